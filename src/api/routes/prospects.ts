// The board, one prospect's timeline, logging a touch, and the rep's moves on an enrollment.
import { DateTime } from 'luxon';
import { listBoard, selectBoardIds, type BoardFilter } from '../../app/board.ts';
import { setProspectZone, showProspect } from '../../app/prospects.ts';
import { correctTouch, deleteTouch, logTouch, undoTouch } from '../../app/touches.ts';
import { changeEnrollment, type BulkChangeReport } from '../../app/enrollments.ts';
import { changeManyUndoably, enrollSafely } from '../../app/bulk-changes.ts';
import { selectProspectIds } from '../../app/selection.ts';
import { userZone, type Context } from '../../app/context.ts';
import { prospects, type BoardFilterQuery } from '../../contract/prospects.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import { implement, type Api } from '../routing.ts';

/** ISO text to epoch ms; a date alone is midnight in the acting user's zone. */
export function parseInstant(ctx: Context, text: string, field: string): number {
  const dt = DateTime.fromISO(text.trim(), { zone: userZone(ctx) });
  if (!dt.isValid) throw refuse('invalid', `cannot read the date "${text}" (use ISO 8601: 2026-12-01 or 2026-12-01T10:00:00Z)`, field);
  return dt.toMillis();
}

export function boardFilter(q: BoardFilterQuery): BoardFilter {
  return { search: q.search, ownerId: q.owner, stage: q.stage, cadenceId: q.cadence, company: q.company, due: q.due, channel: q.channel, importId: q.import };
}

function withCounts<R extends BulkChangeReport>(r: R) {
  const counts: Record<string, number> = {};
  for (const c of r.changed) counts[c.status] = (counts[c.status] ?? 0) + 1;
  for (const s of r.skipped) counts[s.reason] = (counts[s.reason] ?? 0) + 1;
  return { ...r, counts };
}

export function prospectRoutes(app: Api): void {
  implement(app, prospects, {
    board: async (req) => {
      const q = req.query;
      return listBoard(ctxOf(req), boardFilter(q), { sort: q.sort, dir: q.dir, limit: q.limit, offset: q.offset, after: q.cursor });
    },

    show: async (req) => showProspect(ctxOf(req), req.params.id),
    setTimezone: async (req) => setProspectZone(ctxOf(req), req.params.id, req.body.timezone),

    logTouch: async (req, reply) => {
      const ctx = ctxOf(req);
      const at = req.body.at === undefined ? undefined : parseInstant(ctx, req.body.at, 'at');
      const { card, ...body } = req.body;
      const seen = card && { enrollmentId: card.enrollmentId, stepIndex: card.step - 1 };
      return reply.code(201).send(await logTouch(ctx, req.params.id, { ...body, at, seen }));
    },

    undoTouch: async (req) => undoTouch(ctxOf(req), req.params.id),
    correctTouch: async (req) => correctTouch(ctxOf(req), req.params.id, req.body),
    deleteTouch: async (req) => deleteTouch(ctxOf(req), req.params.id),

    snooze: async (req) => {
      const ctx = ctxOf(req);
      const until = parseInstant(ctx, req.body.until, 'until');
      const reason = req.body.reason ? `snoozed: ${req.body.reason}` : undefined;
      return changeEnrollment(ctx, req.params.id, (now) => ({ type: 'snooze', at: now, until, reason }));
    },

    pause: async (req) => {
      const reason = req.body.reason ? `paused: ${req.body.reason}` : undefined;
      return changeEnrollment(ctxOf(req), req.params.id, (now) => ({ type: 'pause', at: now, reason }));
    },

    resume: async (req) => changeEnrollment(ctxOf(req), req.params.id, (now) => ({ type: 'resume', at: now })),

    enroll: async (req, reply) => {
      const ctx = ctxOf(req);
      const b = req.body;
      const ids = b.prospectIds ?? (b.board ? await selectBoardIds(ctx, boardFilter(b.board)) : await selectProspectIds(ctx, b.filter ?? {}));
      return reply.code(201).send(await enrollSafely(ctx, ids, b.cadence, b.include));
    },

    pauseMany: async (req) => {
      const ctx = ctxOf(req);
      const ids = req.body.prospectIds ?? (await selectBoardIds(ctx, boardFilter(req.body.board ?? {})));
      const reason = req.body.reason ? `paused: ${req.body.reason}` : undefined;
      return withCounts(await changeManyUndoably(ctx, 'pause', ids, (now) => ({ type: 'pause', at: now, reason })));
    },

    resumeMany: async (req) => {
      const ctx = ctxOf(req);
      const ids = req.body.prospectIds ?? (await selectBoardIds(ctx, boardFilter(req.body.board ?? {})));
      return withCounts(await changeManyUndoably(ctx, 'resume', ids, (now) => ({ type: 'resume', at: now })));
    },
  });
}
