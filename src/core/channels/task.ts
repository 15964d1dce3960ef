import type { ChannelDriver } from './driver.ts';

export const task: ChannelDriver = {
  id: 'task',
  label: 'Task',
  address: null,
  templateFields: [{ key: 'instructions', slot: 'text', label: 'Instructions', audience: 'rep', multiline: true }],
  actions: [{ kind: 'do_task' }],
  outcomes: ['done'],
  defaultMinutes: 5,
  defaultWindow: { start: '08:00', end: '18:00' },
};
