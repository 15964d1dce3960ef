// A bounced or known-bad address: nothing more goes to it; other channels stay open.
import { channelDriver } from '../../channels/registry.ts';
import { defineRule } from '../rule.ts';

export const badEmail = defineRule({
  id: 'bad_email',
  permanent: true,
  calendar: false,
  settings: {},
  explanation: 'Sends nothing more to an email address that bounced or was marked bad; calls, LinkedIn and the other channels stay open.',
  summary: () => null,
  check: (touch) =>
    touch.flags?.emailBad === true && channelDriver(touch.channel).address === 'email'
      ? { explanation: `never by email: ${touch.name}'s email address is marked bad`, until: null }
      : null,
});
