// Prospects managed one by one from the board, the company view, and the safety of bulk moves.
import { PassThrough } from 'node:stream';
import { selectBoardIds } from '../../app/board.ts';
import { checkEnroll, undoBulkChange } from '../../app/bulk-changes.ts';
import { companyView } from '../../app/company-view.ts';
import { changeEnrollment } from '../../app/enrollments.ts';
import { eraseProspect } from '../../app/erase.ts';
import { exportProspects } from '../../app/export.ts';
import { addNote, deleteNote, editNote } from '../../app/notes.ts';
import { createProspect, updateProspect } from '../../app/prospect-edit.ts';
import { records } from '../../contract/records.ts';
import { ctxOf } from '../auth.ts';
import { implement, type Api } from '../routing.ts';
import { boardFilter } from './prospects.ts';

export function recordRoutes(app: Api): void {
  implement(app, records, {
    addNote: async (req, reply) => reply.code(201).send(await addNote(ctxOf(req), req.params.id, req.body.text)),
    editNote: async (req) => editNote(ctxOf(req), req.params.id, req.body.text),
    deleteNote: async (req) => deleteNote(ctxOf(req), req.params.id),
    create: async (req, reply) => reply.code(201).send(await createProspect(ctxOf(req), req.body)),
    update: async (req) => updateProspect(ctxOf(req), req.params.id, req.body),
    erase: async (req) => eraseProspect(ctxOf(req), req.params.id),

    unenroll: async (req) => {
      const reason = req.body.reason ? `unenrolled: ${req.body.reason}` : undefined;
      const t = await changeEnrollment(ctxOf(req), req.params.id, (now) => ({ type: 'unenroll', at: now, reason }));
      return { enrollmentId: t.enrollmentId, cadence: t.cadence };
    },

    export: async (req, reply) => {
      const ctx = ctxOf(req);
      const ids = await selectBoardIds(ctx, boardFilter(req.query));
      const out = new PassThrough();
      // The rows are read before the answer starts: a failure is still an error answer, not a cut file.
      const body: Buffer[] = [];
      out.on('data', (chunk: Buffer) => body.push(chunk));
      await exportProspects(ctx, out, ids);
      const day = new Date(ctx.now()).toISOString().slice(0, 10);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="prospects-${day}.csv"`).send(Buffer.concat(body));
    },

    company: async (req) => companyView(ctxOf(req), req.params.id),

    checkEnroll: async (req) => {
      const ctx = ctxOf(req);
      const b = req.body;
      const ids = b.prospectIds ?? (await selectBoardIds(ctx, boardFilter(b.board ?? {})));
      const check = await checkEnroll(ctx, ids, b.include);
      return { total: check.total, enroll: check.enroll.length, leftOut: check.groups, included: check.included };
    },

    undoBulk: async (req) => undoBulkChange(ctxOf(req), req.params.id),
  });
}
