// The prospect asked to stop: never again, on any channel or cadence.
import { defineRule } from '../rule.ts';

export const optedOut = defineRule({
  id: 'opted_out',
  permanent: true,
  calendar: false,
  settings: {},
  explanation: 'Never contacts a prospect who asked to stop (an unsubscribe, a complaint, or an opt-out logged by a rep), on any channel.',
  summary: () => null,
  check: (touch) => (touch.flags?.optedOut === true ? { explanation: `never: ${touch.name} opted out`, until: null } : null),
});
