// The settings pages: your profile (name, time zone, email signature), your follow-up blocks and
// the private calendar feed that shows them, and the workspace's settings (managers): time zone,
// workdays, holidays, sending windows per channel, and the guardrails as their registry describes
// them. The feed itself is served outside /api/ (calendar apps send no cookie): `calendarFeed`.
import { z } from 'zod';
import { followUpBlockSchema } from '../core/blocks.ts';
import { channelField, idParams } from './common.ts';
import { created, noContent, ok, route, routesOf } from './route.ts';

const r = routesOf('settings');

const profile = z.object({
  name: z.string(), email: z.string(), timezone: z.string().nullable().describe('null: the workspace zone'), workspaceTimezone: z.string(),
  signature: z.string().nullable().describe('added below every mail sent for you, unless a template places {{sender_signature}}'),
});
export type ProfileView = z.infer<typeof profile>;

const block = z.object({ id: z.number(), weekday: z.number().describe('1 = Monday … 7 = Sunday'), start: z.string().describe('HH:mm in your zone'), minutes: z.number() });
export type BlockView = z.infer<typeof block>;
const blockBody = followUpBlockSchema;

const feed = z.object({ createdAt: z.number().nullable().describe('when the current private URL was made; null: none') });
const newFeed = z.object({ token: z.string(), path: z.string().describe('/calendar/<token>.ics: shown once'), createdAt: z.number() });
export type NewFeedView = z.infer<typeof newFeed>;

const clock = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time HH:mm');
const window = z.object({ start: clock, end: clock });

const guardrailField = z.object({
  key: z.string(), label: z.string(), unitLabel: z.string().nullable().describe('the unit in words, after the number: "business days", "touches"'), kind: z.enum(['count', 'time_range']),
  min: z.number().nullable(), max: z.number().nullable(), nullable: z.boolean(), default: z.unknown(),
});
const guardrail = z.object({
  id: z.string(), permanent: z.boolean(), explanation: z.string(), summary: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()), fields: z.array(guardrailField),
});
export type GuardrailView = z.infer<typeof guardrail>;

/** What Tally does with answers (src/app/settings.ts inboundSettingsSchema holds the bounds and defaults). */
const answers = z.object({
  companyWideStop: z.boolean().describe('when one person at a company replies or books a meeting, pause everyone else there'),
  autoReplyDefaultBusinessDays: z.number().int().min(1).max(60).describe('an out-of-office with no return date snoozes this many business days'),
  senderFailuresToPause: z.number().int().min(1).max(1000).describe("sender-side bounces within the window that pause a mailbox's sending"),
  senderFailureWindowHours: z.number().int().min(1).max(720),
});

const workspaceSettings = z.object({
  timezone: z.string(),
  workdays: z.array(z.number()),
  holidays: z.array(z.string()),
  windows: z.array(z.object({
    channel: channelField(), label: z.string(), window: window.nullable().describe("the workspace's; null: the channel's default"), defaultWindow: window.nullable(),
  })),
  guardrails: z.array(guardrail),
  answers: answers.describe('What Tally does with the answers mail brings in'),
});
export type WorkspaceSettingsView = z.infer<typeof workspaceSettings>;

export const settings = {
  profile: r('GET', '/api/settings/profile', 'user', { summary: 'Your profile: name, time zone, email signature', response: ok(profile) }),
  saveProfile: r('PUT', '/api/settings/profile', 'user', {
    summary: 'Change your name, time zone (null: the workspace zone) and email signature',
    body: z.object({
      name: z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(120, 'must be at most 120 characters'),
      timezone: z.string().max(64).nullable(),
      signature: z.string().max(1000, 'must be at most 1000 characters').nullable(),
    }),
    response: ok(profile),
  }),

  blocks: r('GET', '/api/settings/blocks', 'user', {
    summary: 'Your follow-up blocks (your zone) and whether your calendar feed URL is live', response: ok(z.object({ items: z.array(block), zone: z.string(), feed })),
  }),
  addBlock: r('POST', '/api/settings/blocks', 'user', { summary: 'Add a weekly follow-up block', body: blockBody, response: created(block) }),
  moveBlock: r('PUT', '/api/settings/blocks/:id', 'user', { summary: 'Move one of your blocks (day, start, length)', params: idParams, body: blockBody, response: ok(block) }),
  removeBlock: r('DELETE', '/api/settings/blocks/:id', 'user', { summary: 'Remove one of your blocks', params: idParams, response: noContent() }),

  rotateFeed: r('POST', '/api/settings/calendar-feed', 'user', {
    summary: 'A new private calendar URL (shown once); the previous one stops working', response: created(newFeed),
  }),
  revokeFeed: r('DELETE', '/api/settings/calendar-feed', 'user', { summary: 'Turn your calendar URL off', response: noContent() }),

  workspace: r('GET', '/api/settings/workspace', 'manager', {
    summary: "The workspace's zone, workdays, holidays, sending windows and guardrails (managers only)", response: ok(workspaceSettings),
  }),
  saveWorkspace: r('PUT', '/api/settings/workspace', 'manager', {
    summary: "Change the workspace's settings (managers only): each part given replaces the current one; a window set to null goes back to the channel's default",
    body: z.object({
      timezone: z.string().max(64).optional(),
      workdays: z.array(z.number().int().min(1).max(7)).min(1, 'pick at least one workday').optional(),
      holidays: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a holiday is a date YYYY-MM-DD')).max(400).optional(),
      windows: z.record(z.string(), window.nullable()).optional(),
      guardrails: z.record(z.string(), z.unknown()).optional(),
      answers: answers.partial().optional(),
    }),
    response: ok(workspaceSettings),
  }),
};

/** The private calendar feed: the token in the path is the only credential. */
export const calendarFeed = {
  feed: route('GET', '/calendar/:file', 'public', { hide: true, params: z.object({ file: z.string().max(200) }) }),
};
