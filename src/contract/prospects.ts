// The board, one prospect's timeline, logging a touch, and the rep's moves on enrollments.
import { z } from 'zod';
import { BOARD_DUE, BOARD_SORTS, BOARD_STAGES } from '../core/board.ts';
import { INCLUDABLE_REASONS, LEAVE_OUT_REASONS } from '../core/enroll-safety.ts';
import { OUTCOMES } from '../core/outcomes.ts';
import { EMAIL_STATUSES, ENROLLMENT_STATUSES } from '../core/types.ts';
import { channelField, idParams, idSchema, instantSchema, limitSchema, offsetSchema, queueCardSchema } from './common.ts';
import { created, ok, routesOf } from './route.ts';

const route = routesOf('prospects');

const ownerSchema = z.object({ id: z.number(), name: z.string() });

const boardRow = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  title: z.string().nullable(),
  company: z.string().nullable(),
  priority: z.number(),
  owner: ownerSchema,
  tally: z.number().describe('touches logged so far'),
  tallyLine: z.string().describe('the tally drawn in marks, e.g. "||||/ ||  7"'),
  stage: z.object({ status: z.enum(ENROLLMENT_STATUSES), kind: z.enum(BOARD_STAGES).describe('the stage shown: the status, or meeting_booked'), cadence: z.string(), cadenceId: z.number(), step: z.number(), steps: z.number(), enrollmentId: z.number() }).nullable()
    .describe('the latest enrollment'),
  nextStep: z.object({ name: z.string(), channel: channelField() }).nullable().describe('the next step of a live enrollment'),
  nextDueAt: z.number().nullable().describe('when the next step of a live enrollment is due'),
  overdue: z.boolean(),
  lastTouchAt: z.number().nullable(),
});
export type BoardRow = z.infer<typeof boardRow>;

/** The board's filter: the page's query string, and what "all N matching" means in bulk requests. */
export const boardFilterFields = {
  search: z.string().max(200, 'the search is at most 200 characters').optional().describe('words (each a prefix) in the name, email, title, company or custom fields; case and accents ignored'),
  owner: idSchema.optional().describe('owner user id'),
  stage: z.enum(BOARD_STAGES).optional().describe('status of the latest enrollment, "meeting_booked", or "none"'),
  cadence: idSchema.optional().describe('cadence id of the latest enrollment'),
  company: z.string().max(200).optional(),
  due: z.enum(BOARD_DUE).optional(),
  channel: channelField().optional().describe('channel of the next step'),
  import: idSchema.optional().describe('prospects written by this import (GET /api/imports/last names your last one)'),
};
const boardFilterSchema = z.object(boardFilterFields).strict();
export type BoardFilterQuery = z.infer<typeof boardFilterSchema>;

const boardQuery = z.object({
  ...boardFilterFields,
  sort: z.enum(BOARD_SORTS).default('id').describe('due: next due first (none last); name; touches; id'),
  dir: z.enum(['asc', 'desc']).default('asc'),
  limit: limitSchema(200, 50),
  offset: offsetSchema,
  cursor: idSchema.optional().describe('nextCursor of the previous page (id order only; or page with offset)'),
});

const bulkBody = {
  prospectIds: z.array(z.number().int()).min(1).max(10_000).optional(),
  board: boardFilterSchema.optional().describe('every prospect the board filter matches ("select all N matching")'),
};
const oneSelection = (b: { prospectIds?: unknown; board?: unknown }) => (b.prospectIds === undefined) !== (b.board === undefined);

const skippedSchema = z.array(z.object({ prospectId: z.number(), reason: z.string() }));

const undoable = {
  bulkChangeId: z.number().describe('POST /api/bulk-changes/{id}/undo reverts it'),
  undoUntil: z.number().describe('until when it can be undone (epoch ms)'),
};

const bulkReport = z.object({
  ...undoable,
  changed: z.array(z.object({ prospectId: z.number(), enrollmentId: z.number(), status: z.enum(ENROLLMENT_STATUSES) })),
  skipped: skippedSchema,
  counts: z.record(z.string(), z.number()).describe('prospects per outcome: the new status, or why they were skipped'),
});

const stateSchema = z.object({
  status: z.enum(ENROLLMENT_STATUSES), stepIndex: z.number(), dueAt: z.number().nullable(), reason: z.string().nullable(), touches: z.number(),
  lastTouchAt: z.number().nullable(), startedAt: z.number(), endedAt: z.number().nullable(),
});
const transitionSchema = z.object({
  enrollmentId: z.number(),
  cadence: z.string(),
  before: stateSchema,
  after: stateSchema,
  nextStep: z.object({ name: z.string(), channel: channelField(), reason: z.string(), talkingPoints: z.array(z.string()), subject: z.string().optional() }).nullable(),
});

const prospectViewSchema = z.object({
  prospect: z.object({
    id: z.number(), email: z.string(), first_name: z.string().nullable(), last_name: z.string().nullable(), phone: z.string().nullable(),
    title: z.string().nullable(), company: z.string().nullable(), company_id: z.number().nullable(), timezone: z.string().nullable(), linkedin_url: z.string().nullable(),
    priority: z.number(), owner: z.string(), owner_id: z.number(),
    custom_fields: z.record(z.string(), z.string()), opted_out_at: z.number().nullable(), do_not_contact: z.number(), email_status: z.enum(EMAIL_STATUSES),
    created_at: z.number(), updated_at: z.number(),
    timezone_inferred: z.number().describe('1: the zone was inferred by an import from the country, state or phone number'),
  }),
  tally: z.object({ count: z.number(), line: z.string() }),
  enrollments: z.array(z.object({
    id: z.number(), cadence: z.string(), version: z.number(), status: z.enum(ENROLLMENT_STATUSES), reason: z.string().nullable(),
    step: z.number(), steps: z.number(), nextStep: z.string().nullable(), dueAt: z.number().nullable(),
  })),
  timeline: z.array(z.object({
    at: z.number(), kind: z.enum(['touch', 'enrolled', 'ended', 'mail', 'change', 'note']).describe('a note is a record on the timeline, not a touch: never in the tally'), text: z.string(), channel: channelField().optional(), outcome: z.enum(OUTCOMES).optional(),
    note: z.string().nullable().optional(), cadence: z.string().optional(), step: z.number().nullable().optional(),
    touchId: z.number().optional(),
    canChange: z.boolean().optional().describe('the viewer logged it or is a manager: PATCH or DELETE /api/touches/:id'),
    changes: z.array(z.object({ action: z.enum(['undone', 'corrected', 'deleted']), at: z.number(), by: z.string(), was: z.string().describe('the touch before the change') })).optional(),
    noteId: z.number().optional().describe('notes: PATCH or DELETE /api/notes/:id when canChange'),
    by: z.string().optional().describe('notes: who wrote it'),
    editedAt: z.number().nullable().optional(),
    edits: z.array(z.object({ at: z.number(), by: z.string(), was: z.string().describe('the text before this edit') })).optional(),
  })),
});
export type ProspectView = z.infer<typeof prospectViewSchema>;

export const leftOutGroup = z.object({
  reason: z.enum(LEAVE_OUT_REASONS), words: z.string().describe('"who replied in the last 30 days"'), count: z.number(), includable: z.boolean(),
});

/** A bulk selection: ids, or the board's filter ("all N matching"). */
export const bulkSelection = bulkBody;
export const oneBulkSelection = oneSelection;

const reasonBody = z.object({ reason: z.string().trim().max(500).optional() }).default({});

export const prospects = {
  board: route('GET', '/api/prospects', 'user', {
    summary: 'The board: prospects you may see (a manager: the team), a page at a time',
    querystring: boardQuery,
    response: ok(z.object({
      items: z.array(boardRow),
      total: z.number(),
      offset: z.number(),
      limit: z.number(),
      nextCursor: z.number().nullable(),
      owners: z.array(ownerSchema).describe('whom the owner filter can name'),
    })),
  }),

  show: route('GET', '/api/prospects/:id', 'user', { summary: 'One prospect: details, tally, enrollments and timeline', params: idParams, response: ok(prospectViewSchema) }),

  setTimezone: route('PUT', '/api/prospects/:id/timezone', 'user', {
    summary: "Set a prospect's time zone (an IANA name, or null for the workspace's): it is no longer \"inferred\"",
    params: idParams,
    body: z.object({ timezone: z.string().max(64).nullable() }),
    response: ok(z.object({ timezone: z.string().nullable(), timezoneInferred: z.boolean() })),
  }),

  logTouch: route('POST', '/api/prospects/:id/touches', 'user', {
    summary: 'Log a touch; the enrollment schedules the next one',
    params: idParams,
    body: z.object({
      channel: channelField(),
      outcome: z.enum(OUTCOMES).describe('an outcome the channel offers, or one valid on every channel'),
      note: z.string().max(5000).optional(),
      at: instantSchema.optional().describe('when it happened, if not now'),
      card: queueCardSchema.optional()
        .describe('the queue card it was logged from: refused (409) when that enrollment is no longer at that step'),
    }),
    response: created(z.object({ touchId: z.number(), prospectId: z.number(), tally: z.number(), enrollment: transitionSchema.nullable() })),
  }),

  undoTouch: route('POST', '/api/touches/:id/undo', 'user', {
    summary: 'Undo a touch logged from the queue in the last 10 seconds: the tally, the enrollment and its webhooks go back as they were',
    params: idParams,
    response: ok(z.object({ touchId: z.number(), prospectId: z.number(), tally: z.number(), enrollment: stateSchema.nullable() })),
  }),

  correctTouch: route('PATCH', '/api/touches/:id', 'user', {
    summary: "Correct a touch's outcome or note (its author or a manager); the change is recorded with what it was",
    params: idParams,
    body: z.object({ outcome: z.enum(OUTCOMES).optional(), note: z.string().max(5000).optional().describe('empty removes it') }),
    response: ok(z.object({ touchId: z.number(), outcome: z.enum(OUTCOMES), note: z.string().nullable() })),
  }),

  deleteTouch: route('DELETE', '/api/touches/:id', 'user', {
    summary: 'Delete a touch logged by mistake (its author or a manager); the deletion is recorded with what it was',
    params: idParams,
    response: ok(z.object({ touchId: z.number(), prospectId: z.number(), tally: z.number() })),
  }),

  snooze: route('POST', '/api/prospects/:id/snooze', 'user', {
    summary: 'Push the next touch to a later date',
    params: idParams,
    body: z.object({ until: instantSchema, reason: z.string().trim().max(500).optional() }),
    response: ok(transitionSchema),
  }),

  pause: route('POST', '/api/prospects/:id/pause', 'user', { summary: "Pause the prospect's cadence", params: idParams, body: reasonBody, response: ok(transitionSchema) }),

  resume: route('POST', '/api/prospects/:id/resume', 'user', { summary: 'Resume a paused or snoozed cadence', params: idParams, response: ok(transitionSchema) }),

  enroll: route('POST', '/api/enrollments', 'user', {
    summary: 'Enroll prospects in a cadence, by ids, by a filter or by the board\'s filter (undoable for 10 s)',
    description: 'Leaves out whoever replied, booked a meeting or said not interested in the last 30 days (unless `include` names them), opted out, bounced or is in a live cadence: each is in `skipped` with why, counted in `leftOut`.',
    body: z
      .object({
        cadence: z.union([z.string().min(1), z.number().int()]).describe('cadence id or name'),
        ...bulkBody,
        filter: z.object({
          where: z.array(z.string().max(300)).max(20).optional().describe('"company=Acme", "title~VP", "owner=sam@example.com", "custom.segment=enterprise"'),
          unenrolled: z.boolean().optional(),
        }).optional(),
        include: z.array(z.enum(INCLUDABLE_REASONS)).max(3).default([])
          .describe('who answered lately but is enrolled anyway (left out by default, like those who opted out, bounced or are in a live cadence)'),
      })
      .refine((b) => [b.prospectIds, b.filter, b.board].filter((x) => x !== undefined).length === 1, {
        message: 'give exactly one of prospectIds, filter or board', path: ['prospectIds'],
      }),
    response: created(z.object({
      cadence: z.string(),
      version: z.number(),
      enrolled: z.array(z.object({ prospectId: z.number(), enrollmentId: z.number(), dueAt: z.number() })),
      skipped: skippedSchema,
      leftOut: z.array(leftOutGroup),
      ...undoable,
    })),
  }),

  pauseMany: route('POST', '/api/enrollments/pause', 'user', {
    summary: 'Pause the cadences of many prospects, by ids or by the board\'s filter (one transaction)',
    description: 'Prospects you may not see are skipped as "unknown prospect", like ids that do not exist.',
    body: z.object({ ...bulkBody, reason: z.string().trim().max(500).optional() }).refine(oneSelection, { message: 'give either prospectIds or board', path: ['prospectIds'] }),
    response: ok(bulkReport),
  }),

  resumeMany: route('POST', '/api/enrollments/resume', 'user', {
    summary: 'Resume the paused or snoozed cadences of many prospects, by ids or by the board\'s filter (one transaction)',
    description: 'Prospects you may not see are skipped as "unknown prospect", like ids that do not exist.',
    body: z.object(bulkBody).refine(oneSelection, { message: 'give either prospectIds or board', path: ['prospectIds'] }),
    response: ok(bulkReport),
  }),
};
