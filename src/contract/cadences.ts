// Cadences: list, one version, a new version from a definition, and a preview of its dates.
import { z } from 'zod';
import { DELAY_UNITS, SENDING_MODES } from '../core/types.ts';
import { channelField, instantSchema, limitSchema, needSchema, offsetSchema, sendingSchema } from './common.ts';
import { created, ok, routesOf } from './route.ts';

const route = routesOf('cadences');

const listing = z.object({
  id: z.number(), name: z.string(), version: z.number(), steps: z.number(), live: z.number(), finished: z.number(),
  archivedAt: z.number().nullable().describe('when it was archived: no new enrollments, live ones finish'),
});
export type CadenceListing = z.infer<typeof listing>;

/**
 * A step as in a cadence file (snake_case keys), the shape cadence files, the API and the editor
 * speak. Its message is in its channel's own fields (core/channels: `subject` and `template` for
 * email, `script` for a call, `message`, `instructions`…), so other keys pass through.
 */
const stepFile = z.looseObject({
  channel: channelField(),
  delay: z.union([z.string(), z.number(), z.object({ amount: z.number(), unit: z.enum(DELAY_UNITS) })]).describe('"2 business days", "4h", 3 (business days) or {amount, unit}'),
  name: z.string().optional(),
  subject: z.string().optional(),
  template: z.string().optional(),
  reason: z.string().optional().describe('why this touch helps: a note for the rep, never sent'),
  value_item_key: z.string().optional(),
  objections: z.array(z.string()).optional(),
  objection_tags: z.array(z.string()).optional(),
  talking_points: z.array(z.string()).optional(),
  new_thread: z.boolean().optional(),
  sending: z.enum(SENDING_MODES).optional(),
});
const cadenceFile = z.object({ name: z.string(), description: z.string().optional(), nurture: z.string().optional(), steps: z.array(stepFile) });
export type CadenceStepFile = z.infer<typeof stepFile>;
export type CadenceFile = z.infer<typeof cadenceFile>;

/**
 * What the API takes as a definition: loose on purpose, so that the core's validator (which knows
 * every field) words the errors and names the field ("steps[1].channel: channel must be one of …").
 */
const definitionBody = z
  .looseObject({ name: z.string(), steps: z.array(z.looseObject({ channel: z.string(), delay: z.union([z.string(), z.number(), z.looseObject({}).describe('{amount, unit: business_days | hours}')]), reason: z.string().optional() })) })
  .describe('a cadence as in a cadence file (snake_case keys): name, description, nurture, steps[channel, delay, name, subject, template, reason, value_item_key, objections, objection_tags, talking_points, new_thread, sending]');

const stored = z.object({ id: z.number(), name: z.string(), version: z.number(), definition: cadenceFile });
const versionInfo = z.object({
  version: z.number(), createdAt: z.number(), author: z.string().nullable(), steps: z.number(), live: z.number().describe('enrollments still running on this version'),
});
export type CadenceVersionInfo = z.infer<typeof versionInfo>;

const fullCadence = stored.extend({ currentVersion: z.number(), archivedAt: z.number().nullable(), versions: z.array(versionInfo).describe('every version, newest first') });
export type CadenceFull = z.infer<typeof fullCadence>;

const previewSchema = z.object({
  timezone: z.string(), start: z.number(),
  steps: z.array(z.object({ step: z.number(), name: z.string(), channel: channelField(), dueAt: z.number(), dayOffset: z.number() })),
});
export type CadencePreview = z.infer<typeof previewSchema>;

const messagesSchema = z.object({
  prospect: z.object({ id: z.number().nullable(), name: z.string(), email: z.string(), company: z.string().nullable() }),
  steps: z.array(z.object({
    step: z.number(), name: z.string(),
    draft: z.object({ subject: z.string(), text: z.string(), html: z.string().nullable(), needs: z.array(needSchema) }).nullable(),
    error: z.string().nullable(),
    warnings: z.array(z.object({ field: z.enum(['subject', 'template']), kind: z.enum(['slot', 'rep_words', 'template']), message: z.string() })),
    sending: sendingSchema,
  })),
});
export type CadenceMessages = z.infer<typeof messagesSchema>;

const counts = z.object({ sent: z.number(), replies: z.number(), meetings: z.number(), optOuts: z.number(), bounces: z.number() });
const statsSchema = z.object({
  cadenceId: z.number(), version: z.number(), enrolled: z.number(),
  scope: z.enum(['team', 'mine']).describe("a manager sees the team's enrollments, a rep their own"),
  cadence: counts.describe('per enrollment reached (sent: enrollments with at least one touch)'),
  steps: z.array(counts).describe('per step of the version: touches made there, in enrollments on that version, and the answers they drew'),
});
export type CadenceStats = z.infer<typeof statsSchema>;

const refParams = z.object({ ref: z.string().min(1).max(200) });
const saved = z.object({ change: z.enum(['created', 'new_version', 'unchanged']), cadence: stored });

export const cadences = {
  list: route('GET', '/api/cadences', 'user', {
    summary: 'Cadences of the workspace, current versions',
    querystring: z.object({ limit: limitSchema(200, 50), offset: offsetSchema }),
    response: ok(z.object({ items: z.array(listing), total: z.number() })),
  }),

  show: route('GET', '/api/cadences/:ref', 'user', {
    summary: 'One cadence (by id or name), at its current version or a given one',
    params: refParams,
    querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
    response: ok(fullCadence),
  }),

  save: route('POST', '/api/cadences', 'manager', {
    summary: 'Add a new cadence (managers). A name already taken is refused (409): a new version of a cadence is POST /api/cadences/{ref}/versions',
    body: definitionBody,
    response: created(saved),
  }),

  saveVersion: route('POST', '/api/cadences/:ref/versions', 'manager', {
    summary: 'Save a new version of a cadence (managers; running enrollments keep theirs). "unchanged" when it is the current version already',
    params: refParams,
    body: definitionBody,
    response: created(saved),
  }),

  clone: route('POST', '/api/cadences/:ref/clone', 'manager', {
    summary: 'Copy a cadence\'s current version as a new cadence (default name: "… (copy)")',
    params: refParams,
    body: z.object({ name: z.string().max(120).optional() }),
    response: created(saved),
  }),

  restore: route('POST', '/api/cadences/:ref/restore', 'manager', {
    summary: 'Make an old version the current one again, saved as the next version',
    params: refParams,
    body: z.object({ version: z.number().int().min(1) }),
    response: created(saved),
  }),

  archive: route('POST', '/api/cadences/:ref/archive', 'manager', {
    summary: 'Archive a cadence: no new enrollments (enrolling is refused), the live ones finish',
    params: refParams,
    response: ok(listing),
  }),

  unarchive: route('POST', '/api/cadences/:ref/unarchive', 'manager', {
    summary: 'Bring an archived cadence back: it takes enrollments again',
    params: refParams,
    response: ok(listing),
  }),

  remove: route('DELETE', '/api/cadences/:ref', 'manager', {
    summary: 'Delete a cadence nobody was ever enrolled in (else 409: archive it instead)',
    params: refParams,
    response: ok(z.object({ deleted: z.string() })),
  }),

  stats: route('GET', '/api/cadences/:ref/stats', 'user', {
    summary: 'Sent, reply, meeting, opt-out and bounce counts of a cadence, overall and per step of a version (enrollments on that version)',
    params: refParams,
    querystring: z.object({ version: z.coerce.number().int().min(1).optional().describe('default: the current version') }),
    response: ok(statsSchema),
  }),

  messages: route('POST', '/api/cadences/messages', 'user', {
    summary: 'Each email step as it would go out to a sample prospect (text and HTML), with what it needs and the rep notes or slots found in its prospect-facing fields (nothing is saved)',
    body: z.object({
      cadence: z.union([z.string().min(1), z.number().int()]).optional().describe('a saved cadence, by id or name'),
      definition: definitionBody.optional().describe('or an unsaved definition'),
      prospect: z.union([z.string().min(1).max(320), z.number().int()]).optional().describe('the sample prospect (id or email; default: a made-up one)'),
    }),
    response: ok(messagesSchema),
  }),

  preview: route('POST', '/api/cadences/preview', 'user', {
    summary: 'The dates a cadence would produce for a sample prospect, under the workspace rules (nothing is saved)',
    body: z.object({
      cadence: z.union([z.string().min(1), z.number().int()]).optional().describe('a saved cadence, by id or name'),
      definition: definitionBody.optional().describe('or an unsaved definition'),
      timezone: z.string().optional().describe("the sample prospect's IANA zone (default: the workspace's)"),
      start: instantSchema.optional().describe('enrollment time (default: now)'),
    }),
    response: ok(previewSchema),
  }),
};
