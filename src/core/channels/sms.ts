import type { ChannelDriver } from './driver.ts';

export const sms: ChannelDriver = {
  id: 'sms',
  label: 'SMS',
  address: 'phone',
  templateFields: [{ key: 'message', slot: 'text', label: 'Message', audience: 'prospect', multiline: true }],
  actions: [{ kind: 'open_link', href: 'sms:{phone}', label: 'Text' }, { kind: 'copy_text' }],
  outcomes: ['sent', 'replied'],
  defaultMinutes: 2,
  defaultWindow: { start: '09:00', end: '18:00' },
};
