// CSV import: preview the file (a dry run that also shows the mapping and the first rows), upload
// it as a text/csv body, then poll the job for progress and the report. Reps import too: every row
// they import is theirs, and a row that would change a teammate's prospect is rejected.
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { lastImport, parseMapping } from '../../app/import-prospects.ts';
import { PROSPECT_FIELDS } from '../../core/import-format.ts';
import { TallyError } from '../../core/errors.ts';
import { isManager } from '../../app/context.ts';
import { imports, type ImportQuery } from '../../contract/imports.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import type { ImportJobs, ImportRequest, Upload } from '../import-jobs.ts';
import { implement, type Api } from '../routing.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

/** Uploads handed to the import jobs, which delete them; any other is deleted when the response is sent. */
const handedOver = new WeakSet<Upload>();

function isUpload(body: unknown): body is Upload {
  return typeof body === 'object' && body !== null && typeof (body as Upload).path === 'string';
}

/** The upload and its options, with usage errors raised now rather than in the job (the service checks again). */
function importRequest(req: FastifyRequest, q: ImportQuery): { upload: Upload; opts: ImportRequest } {
  if (!isUpload(req.body)) throw refuse('unsupported_media_type', 'send the CSV file as the body with Content-Type: text/csv', 'body');
  const map = q.map === undefined ? [] : [q.map].flat();
  parseMapping(map);
  const ctx = ctxOf(req);
  if (q.owner && !isManager(ctx) && q.owner.trim().toLowerCase() !== ctx.user.email) throw refuse('forbidden', 'only a manager can import prospects for another owner', 'owner');
  const name = q.file.replace(/[^\w.-]+/g, '_') || 'upload.csv';
  handedOver.add(req.body);
  return { upload: { ...req.body, name }, opts: { map, encoding: q.encoding, owner: q.owner } };
}

function tooLarge(): Error {
  return Object.assign(new Error('the request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
}

/** The body, written to a private file as it arrives (never whole in memory), at most IMPORT_BODY_LIMIT bytes. */
async function receive(jobs: ImportJobs, req: FastifyRequest, payload: NodeJS.ReadableStream): Promise<Upload> {
  if (Number(req.headers['content-length'] ?? 0) > IMPORT_BODY_LIMIT) throw tooLarge();
  const path = jobs.uploadPath();
  let size = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, next) {
      size += chunk.length;
      next(size > IMPORT_BODY_LIMIT ? tooLarge() : null, chunk);
    },
  });
  try {
    await pipeline(payload, count, createWriteStream(path, { mode: 0o600 }));
  } catch (err) {
    rmSync(path, { force: true });
    throw err;
  }
  return { path, size, name: 'upload.csv' };
}

/** A request that ended before its upload reached a job (bad query, refused) leaves no file behind. */
async function dropUpload(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  if (isUpload(req.body) && !handedOver.has(req.body)) rmSync(req.body.path, { force: true });
}

export function importRoutes(app: Api, jobs: ImportJobs): void {
  // Bytes as sent, to disk: the import service detects the encoding and reports bad bytes by line.
  app.addContentTypeParser(['text/csv', 'application/csv'], { bodyLimit: IMPORT_BODY_LIMIT }, (req, payload, done) => {
    receive(jobs, req, payload).then((upload) => done(null, upload), (err: Error) => done(err, undefined));
  });

  implement(app, imports, {
    start: async (req, reply) => {
      const { upload, opts } = importRequest(req, req.query);
      const { job } = jobs.start(ctxOf(req), upload, { ...opts, dryRun: req.query.dryRun });
      return reply.code(202).send(job);
    },

    preview: async (req) => {
      const ctx = ctxOf(req);
      const { upload, opts } = importRequest(req, req.query);
      let result;
      try {
        result = await jobs.preview(ctx, upload, opts);
      } catch (err) {
        // The error shape has no line: put it in the message, where people read it.
        if (err instanceof TallyError && err.where.line !== undefined) throw new TallyError(`line ${err.where.line}: ${err.message}`, err.code, err.where);
        throw err;
      }
      const r = result.report;
      return {
        ...result,
        counts: r && { rows: r.rows, new: r.inserted, updated: r.updated, duplicates: r.duplicateCount, rejected: r.rejectedCount },
        fields: PROSPECT_FIELDS.filter((f) => f !== 'owner' || isManager(ctx)),
      };
    },

    last: async (req) => ({ last: await lastImport(ctxOf(req)) }),

    job: async (req) => {
      const job = jobs.get(req.params.id, ctxOf(req).user.id);
      if (!job) throw refuse('not_found', `no import job ${req.params.id}`);
      return job;
    },

    problems: async (req, reply) => {
      const path = jobs.problemsFile(req.params.id, ctxOf(req).user.id);
      if (!path) throw refuse('not_found', `no rejected rows kept for import ${req.params.id}`);
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="import-problems.csv"').send(createReadStream(path));
    },
  }, { start: { bodyLimit: IMPORT_BODY_LIMIT, onResponse: dropUpload }, preview: { bodyLimit: IMPORT_BODY_LIMIT, onResponse: dropUpload } });
}
