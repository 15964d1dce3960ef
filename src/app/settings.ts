// Workspace settings: stored as JSON on the workspace, read with defaults filled in.
import { z } from 'zod';
import { perChannelSchema } from '../core/channels/schema.ts';
import { isValidTimeZone, type ScheduleRules } from '../core/schedule.ts';
import { guardrailSettingsSchema } from '../core/guardrails/index.ts';
import { allowListEntryProblem } from '../core/outbound-policy.ts';
import { DEFAULT_ROLE_ADDRESSES } from '../core/inbound/triage.ts';

// 00:00–23:59, and 24:00 for "until midnight" (what the schedule core accepts).
const clock = z.string().regex(/^(([01]?\d|2[0-3]):[0-5]\d|24:00)$/, 'time must be HH:mm (00:00–24:00)');
const minutes = (hhmm: string) => Number(hhmm.split(':')[0]) * 60 + Number(hhmm.split(':')[1]);
const windowSchema = z
  .object({ start: clock, end: clock })
  .refine((w) => minutes(w.start) < minutes(w.end), { message: 'a sending window must end after it starts', path: ['end'] });

/** How inbound mail is matched to prospects (issue 16). */
export const inboundSettingsSchema = z.object({
  /** A message matched by its sender's address alone acts only on a live enrollment or one that ended within these days. */
  addressMatchDays: z.number().int().min(0).max(365).default(30),
  /** Addresses that never match a prospect by address alone: "info@" names a local part on any domain. */
  roleAddresses: z
    .array(z.string().trim().toLowerCase().regex(/^[^\s@]+@([^\s@]+\.[^\s@]+)?$/, 'a role address is "info@" (any domain) or a whole address'))
    .default([...DEFAULT_ROLE_ADDRESSES]),
  /** Sender-side refusals (SPF, block lists, spam filters…) within the window that pause a mailbox's sending. */
  senderFailuresToPause: z.number().int().min(1).max(1000).default(5),
  senderFailureWindowHours: z.number().int().min(1).max(24 * 30).default(24),
  /**
   * Complaints ("this is spam" feedback reports) over the last 30 days that pause a mailbox: at least
   * this many, and more than this share of the mails it sent (0.003: the 0.3% Gmail and Yahoo hold bulk senders to).
   */
  complaintsToPause: z.number().int().min(1).max(1000).default(3),
  complaintRateToPause: z.number().min(0).max(1).default(0.003),
  /** An out-of-office that names no return date snoozes for this many business days. */
  autoReplyDefaultBusinessDays: z.number().int().min(1).max(60).default(5),
  /** When one person at a company replies or books a meeting, pause everyone else's cadence there (app/company-stop.ts). */
  companyWideStop: z.boolean().default(false),
});
export type InboundSettings = z.infer<typeof inboundSettingsSchema>;

export const workspaceSettingsSchema = z.object({
  workdays: z.array(z.number().int().min(1).max(7)).min(1).default([1, 2, 3, 4, 5]),
  holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'holiday must be YYYY-MM-DD')).default([]),
  windows: perChannelSchema(windowSchema).default({}),
  minutesPerChannel: perChannelSchema(z.number().positive()).default({}),
  guardrails: guardrailSettingsSchema.default(guardrailSettingsSchema.parse({})),
  /** Internal receivers a manager allows webhooks to reach (plain http, private addresses): host or host:port. */
  webhooks: z
    .object({
      allowHosts: z.array(z.string().max(300).refine((h) => allowListEntryProblem(h) === null, { message: 'each entry must be a host or host:port (e.g. hooks.internal or 10.0.0.5:8080)' })).max(100).default([]),
    })
    .default({ allowHosts: [] }),
  inbound: inboundSettingsSchema.default(inboundSettingsSchema.parse({})),
  /** Mail from every mailbox: the one-click unsubscribe link of a mailbox that names none of its own (app/unsubscribe-url.ts). */
  mail: z
    .object({ unsubscribeUrl: z.string().max(500).regex(/^https:\/\/\S+$/i, 'the unsubscribe URL must be an https:// link (RFC 8058 one-click)').nullable().default(null) })
    .default({ unsubscribeUrl: null }),
});
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;

export function readSettings(json: string): WorkspaceSettings {
  const raw: unknown = JSON.parse(json || '{}');
  const parsed = workspaceSettingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // A value stored before a rule got stricter (e.g. a "24:30" window) falls back to its default
  // instead of locking the workspace out: "tally settings set" can then put a valid one in.
  const draft = (typeof raw === 'object' && raw !== null ? structuredClone(raw) : {}) as Record<string, unknown>;
  for (const issue of parsed.error.issues) {
    const [top, key] = issue.path;
    if (typeof top !== 'string') continue;
    const parent = draft[top];
    if (typeof key === 'string' && typeof parent === 'object' && parent !== null && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[key];
    else delete draft[top];
  }
  const repaired = workspaceSettingsSchema.safeParse(draft);
  return repaired.success ? repaired.data : workspaceSettingsSchema.parse({});
}

export function scheduleRulesFor(settings: WorkspaceSettings, timezone: string): ScheduleRules {
  // Channels not set here keep their driver's window (core/schedule.ts).
  return { timezone: isValidTimeZone(timezone) ? timezone : 'UTC', workdays: settings.workdays, holidays: settings.holidays, windows: settings.windows };
}
