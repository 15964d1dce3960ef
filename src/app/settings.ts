// Workspace settings: stored as JSON on the workspace, read with defaults filled in.
import { z } from 'zod';
import { CHANNELS, type Channel } from '../core/types.ts';
import { DEFAULT_WINDOWS, isValidTimeZone, type ScheduleRules } from '../core/schedule.ts';
import { guardrailSettingsSchema } from '../core/guardrails.ts';

const clock = z.string().regex(/^([01]?\d|2[0-4]):[0-5]\d$/, 'time must be HH:mm');
const windowSchema = z.object({ start: clock, end: clock });

export const workspaceSettingsSchema = z.object({
  workdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'holiday must be YYYY-MM-DD')).default([]),
  windows: z.partialRecord(z.enum(CHANNELS), windowSchema).default({}),
  minutesPerChannel: z.partialRecord(z.enum(CHANNELS), z.number().positive()).default({}),
  guardrails: guardrailSettingsSchema.default(guardrailSettingsSchema.parse({})),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export function readSettings(json: string): WorkspaceSettings {
  return workspaceSettingsSchema.parse(JSON.parse(json || '{}'));
}

export function scheduleRulesFor(settings: WorkspaceSettings, timezone: string): ScheduleRules {
  const windows = { ...DEFAULT_WINDOWS } as Record<Channel, { start: string; end: string }>;
  for (const [channel, w] of Object.entries(settings.windows)) windows[channel as Channel] = w;
  return { timezone: isValidTimeZone(timezone) ? timezone : 'UTC', workdays: settings.workdays, holidays: settings.holidays, windows };
}
