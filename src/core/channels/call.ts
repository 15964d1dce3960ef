import type { ChannelDriver } from './driver.ts';

export const call: ChannelDriver = {
  id: 'call',
  label: 'Call',
  address: 'phone',
  templateFields: [{ key: 'script', slot: 'text', label: 'Call script', audience: 'rep', multiline: true }],
  actions: [{ kind: 'open_link', href: 'tel:{phone}', label: 'Call' }],
  outcomes: ['connected', 'no_answer', 'left_voicemail', 'wrong_number', 'bad_number', 'meeting_booked', 'not_interested'],
  defaultMinutes: 6,
  defaultWindow: { start: '09:00', end: '17:00' },
};
