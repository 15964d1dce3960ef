// CSV import: preview the file (a dry run that also shows the mapping and the first rows), upload
// it as a text/csv body, then poll the job for progress and the report. Reps import too: every row
// they import is theirs, and a row that would change a teammate's prospect is rejected.
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ENCODINGS } from '../../app/csv-text.ts';
import { parseMapping, PROSPECT_FIELDS } from '../../app/import-prospects.ts';
import { TallyError } from '../../core/errors.ts';
import { isManager } from '../../app/context.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import { MAX_RUNNING, PREVIEW_ROWS, REPORT_ROWS, type ImportJobs, type ImportRequest, type Upload } from '../import-jobs.ts';
import { accepted, flagSchema, ok, type Api } from '../schemas.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';

const reportSchema = z.object({
  file: z.string(), rows: z.number(), inserted: z.number(), updated: z.number(), companiesCreated: z.number(), customFields: z.array(z.string()), skippedColumns: z.array(z.string()).describe('columns not kept: past 200 custom fields'), dryRun: z.boolean(),
  duplicates: z.array(z.object({ line: z.number(), email: z.string(), firstLine: z.number() })).describe(`the first ${REPORT_ROWS}`),
  rejected: z.array(z.object({ line: z.number(), reason: z.string(), field: z.string().optional() })).describe(`the first ${REPORT_ROWS}`),
  duplicateCount: z.number(), rejectedCount: z.number(),
});
const jobErrorSchema = z.object({ code: z.string(), message: z.string(), field: z.string().nullable(), line: z.number().nullable() });

const jobSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  position: z.number().nullable().describe(`place in line while queued (1: next); ${MAX_RUNNING} imports run at once, one per person`),
  progress: z.object({ bytes: z.number(), totalBytes: z.number(), rows: z.number() }),
  report: reportSchema.nullable(),
  problemsUrl: z.string().nullable().describe('every rejected and duplicate row as CSV (line, field, reason), kept an hour'),
  error: jobErrorSchema.nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
});

const previewSchema = z.object({
  columns: z.array(z.object({ header: z.string(), target: z.string().describe('a field, custom.NAME or ignore: what `map` takes') }))
    .describe('the header, each column with the target it maps to (the `map` given, else the usual meaning of its name, else a custom field)'),
  problem: jobErrorSchema.nullable().describe('why the file cannot be imported as mapped (e.g. no email column); fix the mapping and preview again'),
  rows: z.array(z.object({
    line: z.number(), action: z.enum(['new', 'update']), email: z.string(), first_name: z.string().nullable(), last_name: z.string().nullable(),
    phone: z.string().nullable(), title: z.string().nullable(), company: z.string().nullable(), timezone: z.string().nullable(),
    owner: z.string(), priority: z.number(), custom: z.record(z.string(), z.string()),
  })).describe(`the first ${PREVIEW_ROWS} rows as they would be imported`),
  counts: z.object({ rows: z.number(), new: z.number(), updated: z.number(), duplicates: z.number(), rejected: z.number() }).nullable(),
  report: reportSchema.nullable().describe('the dry run: rejected rows with line, field and reason; duplicates'),
  fields: z.array(z.string()).describe('the targets a column can take (besides custom.NAME and ignore) for you: owner only for managers'),
});

const importQuery = {
  file: z.string().max(200).default('upload.csv').describe('the file name, for messages'),
  map: z.union([z.string(), z.array(z.string())]).optional().describe('"CSV column=field" (field: email, first_name, …, custom.NAME or ignore), repeatable'),
  encoding: z.enum(ENCODINGS).default('utf-8'),
  owner: z.string().max(254).optional().describe('owner (email) of rows without an owner column (managers)'),
};

export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

/** Uploads handed to the import jobs, which delete them; any other is deleted when the response is sent. */
const handedOver = new WeakSet<Upload>();

function isUpload(body: unknown): body is Upload {
  return typeof body === 'object' && body !== null && typeof (body as Upload).path === 'string';
}

/** The upload and its options, with usage errors raised now rather than in the job (the service checks again). */
function importRequest(req: FastifyRequest, q: { file: string; map?: string | string[]; encoding: string; owner?: string }): { upload: Upload; opts: ImportRequest } {
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

  app.post('/api/imports', {
    config: { auth: 'user' },
    onResponse: dropUpload,
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      tags: ['imports'],
      summary: 'Import prospects from a CSV sent as the text/csv body (one transaction). Poll the job it returns.',
      description: 'A rep\'s rows are all theirs (an owner column may only name them) and a row whose email is a teammate\'s prospect is rejected; managers can set owners.',
      querystring: z.object({ ...importQuery, dryRun: flagSchema }),
      response: accepted(jobSchema),
    },
  }, async (req, reply) => {
    const { upload, opts } = importRequest(req, req.query);
    const { job } = jobs.start(ctxOf(req), upload, { ...opts, dryRun: req.query.dryRun });
    return reply.code(202).send(job);
  });

  app.post('/api/imports/preview', {
    config: { auth: 'user' },
    onResponse: dropUpload,
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      tags: ['imports'],
      summary: 'Preview a CSV import (text/csv body): the columns and their mapping, the first rows, rejected rows and counts. Writes nothing.',
      description: 'Takes the same query as POST /api/imports. A file that cannot be read (encoding, quotes) is a 400 whose message names the line.',
      querystring: z.object(importQuery),
      response: ok(previewSchema),
    },
  }, async (req) => {
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
  });

  app.get('/api/imports/:id', {
    config: { auth: 'user' },
    schema: { tags: ['imports'], summary: 'One of your import jobs: progress, then the report or the error', params: z.object({ id: z.uuid() }), response: ok(jobSchema) },
  }, async (req) => {
    const job = jobs.get(req.params.id, ctxOf(req).user.id);
    if (!job) throw refuse('not_found', `no import job ${req.params.id}`);
    return job;
  });

  app.get('/api/imports/:id/problems.csv', {
    config: { auth: 'user' },
    schema: { tags: ['imports'], summary: 'Every rejected and duplicate row of one of your finished imports, as CSV (line, field, reason)', params: z.object({ id: z.uuid() }) },
  }, async (req, reply) => {
    const path = jobs.problemsFile(req.params.id, ctxOf(req).user.id);
    if (!path) throw refuse('not_found', `no rejected rows kept for import ${req.params.id}`);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="import-problems.csv"').send(createReadStream(path));
  });
}
