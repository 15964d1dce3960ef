// The board, one prospect's timeline, logging a touch, and the rep's moves on an enrollment.
import { z } from 'zod';
import { DateTime } from 'luxon';
import { BOARD_SORTS, listBoard, selectBoardIds, type BoardFilter } from '../../app/board.ts';
import { showProspect } from '../../app/prospects.ts';
import { logTouch } from '../../app/touches.ts';
import { changeEnrollment, changeEnrollments, enroll, type BulkChangeReport } from '../../app/enrollments.ts';
import { selectProspectIds } from '../../app/selection.ts';
import { userZone, type Context } from '../../app/context.ts';
import { ENROLLMENT_STATUSES } from '../../core/types.ts';
import { OUTCOMES } from '../../core/outcomes.ts';
import { channelSchema } from '../../core/channels/schema.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import { created, idParams, idSchema, instantSchema, limitSchema, offsetSchema, ok, type Api } from '../schemas.ts';

/** ISO text to epoch ms; a date alone is midnight in the acting user's zone. */
export function parseInstant(ctx: Context, text: string, field: string): number {
  const dt = DateTime.fromISO(text.trim(), { zone: userZone(ctx) });
  if (!dt.isValid) throw refuse('invalid', `cannot read the date "${text}" (use ISO 8601: 2026-12-01 or 2026-12-01T10:00:00Z)`, field);
  return dt.toMillis();
}

const boardRow = z.object({
  id: z.number(),
  name: z.string(),
  email: z.string(),
  title: z.string().nullable(),
  company: z.string().nullable(),
  priority: z.number(),
  owner: z.object({ id: z.number(), name: z.string() }),
  tally: z.number().describe('touches logged so far'),
  tallyLine: z.string().describe('the tally drawn in marks, e.g. "||||/ ||  7"'),
  stage: z.object({ status: z.string(), cadence: z.string(), cadenceId: z.number(), step: z.number(), steps: z.number(), enrollmentId: z.number() }).nullable()
    .describe('the latest enrollment'),
  nextStep: z.object({ name: z.string(), channel: z.string() }).nullable().describe('the next step of a live enrollment'),
  nextDueAt: z.number().nullable().describe('when the next step of a live enrollment is due'),
  overdue: z.boolean(),
  lastTouchAt: z.number().nullable(),
});

/** The board's filter: the page's query string, and what "all N matching" means in bulk requests. */
const boardFilterFields = {
  search: z.string().max(200).optional().describe('text in the name, email or company'),
  owner: idSchema.optional().describe('owner user id'),
  stage: z.enum([...ENROLLMENT_STATUSES, 'none']).optional().describe('status of the latest enrollment, or "none"'),
  cadence: idSchema.optional().describe('cadence id of the latest enrollment'),
  company: z.string().max(200).optional(),
  due: z.enum(['overdue', 'today']).optional(),
  channel: channelSchema().optional().describe('channel of the next step'),
};
const boardFilterSchema = z.object(boardFilterFields).strict();
type BoardFilterInput = z.infer<typeof boardFilterSchema>;

function boardFilter(q: BoardFilterInput): BoardFilter {
  return { search: q.search, ownerId: q.owner, stage: q.stage, cadenceId: q.cadence, company: q.company, due: q.due, channel: q.channel };
}

const bulkBody = {
  prospectIds: z.array(z.number().int()).min(1).max(10_000).optional(),
  board: boardFilterSchema.optional().describe('every prospect the board filter matches ("select all N matching")'),
};
const oneSelection = (b: { prospectIds?: unknown; board?: unknown }) => (b.prospectIds === undefined) !== (b.board === undefined);

const bulkReport = z.object({
  changed: z.array(z.object({ prospectId: z.number(), enrollmentId: z.number(), status: z.string() })),
  skipped: z.array(z.object({ prospectId: z.number(), reason: z.string() })),
  counts: z.record(z.string(), z.number()).describe('prospects per outcome: the new status, or why they were skipped'),
});

function withCounts(r: BulkChangeReport) {
  const counts: Record<string, number> = {};
  for (const c of r.changed) counts[c.status] = (counts[c.status] ?? 0) + 1;
  for (const s of r.skipped) counts[s.reason] = (counts[s.reason] ?? 0) + 1;
  return { ...r, counts };
}

const stateSchema = z.object({
  status: z.string(), stepIndex: z.number(), dueAt: z.number().nullable(), reason: z.string().nullable(), touches: z.number(),
  lastTouchAt: z.number().nullable(), startedAt: z.number(), endedAt: z.number().nullable(),
});
const transitionSchema = z.object({
  enrollmentId: z.number(),
  cadence: z.string(),
  before: stateSchema,
  after: stateSchema,
  nextStep: z.object({ name: z.string(), channel: z.string(), reason: z.string(), talkingPoints: z.array(z.string()), subject: z.string().optional() }).nullable(),
});

const prospectViewSchema = z.object({
  prospect: z.object({
    id: z.number(), email: z.string(), first_name: z.string().nullable(), last_name: z.string().nullable(), phone: z.string().nullable(),
    title: z.string().nullable(), company: z.string().nullable(), timezone: z.string().nullable(), priority: z.number(), owner: z.string(), owner_id: z.number(),
    custom_fields: z.record(z.string(), z.string()), opted_out_at: z.number().nullable(), do_not_contact: z.number(), email_status: z.string(),
    created_at: z.number(), updated_at: z.number(),
  }),
  tally: z.object({ count: z.number(), line: z.string() }),
  enrollments: z.array(z.object({
    id: z.number(), cadence: z.string(), version: z.number(), status: z.string(), reason: z.string().nullable(),
    step: z.number(), steps: z.number(), nextStep: z.string().nullable(), dueAt: z.number().nullable(),
  })),
  timeline: z.array(z.object({
    at: z.number(), kind: z.enum(['touch', 'enrolled', 'ended']), text: z.string(), channel: z.string().optional(), outcome: z.string().optional(),
    note: z.string().nullable().optional(), cadence: z.string().optional(), step: z.number().nullable().optional(),
  })),
});

const reasonBody = z.object({ reason: z.string().trim().max(500).optional() }).default({});

export function prospectRoutes(app: Api): void {
  app.get('/api/prospects', {
    config: { auth: 'user' },
    schema: {
      tags: ['prospects'],
      summary: 'The board: prospects you may see (a manager: the team), a page at a time',
      querystring: z.object({
        ...boardFilterFields,
        sort: z.enum(BOARD_SORTS).default('id').describe('due: next due first (none last); name; touches; id'),
        dir: z.enum(['asc', 'desc']).default('asc'),
        limit: limitSchema(200, 50),
        offset: offsetSchema,
        cursor: idSchema.optional().describe('nextCursor of the previous page (id order only; or page with offset)'),
      }),
      response: ok(z.object({
        items: z.array(boardRow),
        total: z.number(),
        offset: z.number(),
        limit: z.number(),
        nextCursor: z.number().nullable(),
        owners: z.array(z.object({ id: z.number(), name: z.string() })).describe('whom the owner filter can name'),
      })),
    },
  }, async (req) => {
    const q = req.query;
    return listBoard(ctxOf(req), boardFilter(q), { sort: q.sort, dir: q.dir, limit: q.limit, offset: q.offset, after: q.cursor });
  });

  app.get('/api/prospects/:id', {
    config: { auth: 'user' },
    schema: { tags: ['prospects'], summary: 'One prospect: details, tally, enrollments and timeline', params: idParams, response: ok(prospectViewSchema) },
  }, async (req) => showProspect(ctxOf(req), req.params.id));

  app.post('/api/prospects/:id/touches', {
    config: { auth: 'user' },
    schema: {
      tags: ['prospects'],
      summary: 'Log a touch; the enrollment schedules the next one',
      params: idParams,
      body: z.object({
        channel: channelSchema(),
        outcome: z.enum(OUTCOMES).describe('an outcome the channel offers, or one valid on every channel'),
        note: z.string().max(5000).optional(),
        at: instantSchema.optional().describe('when it happened, if not now'),
      }),
      response: created(z.object({ touchId: z.number(), prospectId: z.number(), tally: z.number(), enrollment: transitionSchema.nullable() })),
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    const at = req.body.at === undefined ? undefined : parseInstant(ctx, req.body.at, 'at');
    return reply.code(201).send(await logTouch(ctx, req.params.id, { ...req.body, at }));
  });

  app.post('/api/prospects/:id/snooze', {
    config: { auth: 'user' },
    schema: {
      tags: ['prospects'],
      summary: 'Push the next touch to a later date',
      params: idParams,
      body: z.object({ until: instantSchema, reason: z.string().trim().max(500).optional() }),
      response: ok(transitionSchema),
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    const until = parseInstant(ctx, req.body.until, 'until');
    const reason = req.body.reason ? `snoozed: ${req.body.reason}` : undefined;
    return changeEnrollment(ctx, req.params.id, (now) => ({ type: 'snooze', at: now, until, reason }));
  });

  app.post('/api/prospects/:id/pause', {
    config: { auth: 'user' },
    schema: { tags: ['prospects'], summary: "Pause the prospect's cadence", params: idParams, body: reasonBody, response: ok(transitionSchema) },
  }, async (req) => {
    const reason = req.body.reason ? `paused: ${req.body.reason}` : undefined;
    return changeEnrollment(ctxOf(req), req.params.id, (now) => ({ type: 'pause', at: now, reason }));
  });

  app.post('/api/prospects/:id/resume', {
    config: { auth: 'user' },
    schema: { tags: ['prospects'], summary: 'Resume a paused or snoozed cadence', params: idParams, response: ok(transitionSchema) },
  }, async (req) => changeEnrollment(ctxOf(req), req.params.id, (now) => ({ type: 'resume', at: now })));

  app.post('/api/enrollments', {
    config: { auth: 'user' },
    schema: {
      tags: ['prospects'],
      summary: 'Enroll prospects in a cadence, by ids, by a filter or by the board\'s filter',
      body: z
        .object({
          cadence: z.union([z.string().min(1), z.number().int()]).describe('cadence id or name'),
          ...bulkBody,
          filter: z.object({
            where: z.array(z.string().max(300)).max(20).optional().describe('"company=Acme", "title~VP", "owner=sam@example.com", "custom.segment=enterprise"'),
            unenrolled: z.boolean().optional(),
          }).optional(),
        })
        .refine((b) => [b.prospectIds, b.filter, b.board].filter((x) => x !== undefined).length === 1, {
          message: 'give exactly one of prospectIds, filter or board', path: ['prospectIds'],
        }),
      response: created(z.object({
        cadence: z.string(),
        version: z.number(),
        enrolled: z.array(z.object({ prospectId: z.number(), enrollmentId: z.number(), dueAt: z.number() })),
        skipped: z.array(z.object({ prospectId: z.number(), reason: z.string() })),
      })),
    },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    const b = req.body;
    const ids = b.prospectIds ?? (b.board ? await selectBoardIds(ctx, boardFilter(b.board)) : await selectProspectIds(ctx, b.filter ?? {}));
    return reply.code(201).send(await enroll(ctx, ids, b.cadence));
  });

  app.post('/api/enrollments/pause', {
    config: { auth: 'user' },
    schema: {
      tags: ['prospects'],
      summary: 'Pause the cadences of many prospects, by ids or by the board\'s filter (one transaction)',
      description: 'Prospects you may not see are skipped as "unknown prospect", like ids that do not exist.',
      body: z.object({ ...bulkBody, reason: z.string().trim().max(500).optional() }).refine(oneSelection, { message: 'give either prospectIds or board', path: ['prospectIds'] }),
      response: ok(bulkReport),
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    const ids = req.body.prospectIds ?? (await selectBoardIds(ctx, boardFilter(req.body.board ?? {})));
    const reason = req.body.reason ? `paused: ${req.body.reason}` : undefined;
    return withCounts(await changeEnrollments(ctx, ids, (now) => ({ type: 'pause', at: now, reason })));
  });

  app.post('/api/enrollments/resume', {
    config: { auth: 'user' },
    schema: {
      tags: ['prospects'],
      summary: 'Resume the paused or snoozed cadences of many prospects, by ids or by the board\'s filter (one transaction)',
      description: 'Prospects you may not see are skipped as "unknown prospect", like ids that do not exist.',
      body: z.object(bulkBody).refine(oneSelection, { message: 'give either prospectIds or board', path: ['prospectIds'] }),
      response: ok(bulkReport),
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    const ids = req.body.prospectIds ?? (await selectBoardIds(ctx, boardFilter(req.body.board ?? {})));
    return withCounts(await changeEnrollments(ctx, ids, (now) => ({ type: 'resume', at: now })));
  });
}
