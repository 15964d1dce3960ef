import type { ChannelDriver } from './driver.ts';

export const email: ChannelDriver = {
  id: 'email',
  label: 'Email',
  address: 'email',
  templateFields: [
    { key: 'subject', slot: 'subject', label: 'Subject', audience: 'prospect', multiline: false },
    { key: 'template', slot: 'text', label: 'Body', audience: 'prospect', multiline: true },
  ],
  actions: [{ kind: 'mailbox_send' }, { kind: 'open_link', href: 'mailto:{email}?subject={subject}&body={text}', label: 'Open in mail' }],
  outcomes: ['sent', 'replied', 'meeting_booked', 'not_interested'],
  defaultMinutes: 3,
  defaultWindow: { start: '07:00', end: '19:00' },
};
