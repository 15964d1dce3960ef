import type { ChannelDriver } from './driver.ts';

export const linkedin: ChannelDriver = {
  id: 'linkedin',
  label: 'LinkedIn',
  address: 'linkedin',
  templateFields: [{ key: 'message', slot: 'text', label: 'Message', audience: 'prospect', multiline: true }],
  actions: [{ kind: 'open_link', href: '{linkedin_url}', label: 'Open LinkedIn profile' }, { kind: 'copy_text' }],
  outcomes: ['connection_sent', 'message_sent', 'replied'],
  defaultMinutes: 2,
  defaultWindow: { start: '08:00', end: '18:00' },
};
