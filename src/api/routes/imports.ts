// CSV import: upload the file as a text/csv body, then poll the job for progress and the report.
import { z } from 'zod';
import { ENCODINGS } from '../../app/csv-text.ts';
import { parseMapping } from '../../app/import-prospects.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import type { ImportJobs } from '../import-jobs.ts';
import { accepted, flagSchema, ok, type Api } from '../schemas.ts';

const jobSchema = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  progress: z.object({ bytes: z.number(), totalBytes: z.number(), rows: z.number() }),
  report: z.object({
    file: z.string(), rows: z.number(), inserted: z.number(), updated: z.number(), companiesCreated: z.number(), customFields: z.array(z.string()), dryRun: z.boolean(),
    duplicates: z.array(z.object({ line: z.number(), email: z.string(), firstLine: z.number() })),
    rejected: z.array(z.object({ line: z.number(), reason: z.string(), field: z.string().optional() })),
  }).nullable(),
  error: z.object({ code: z.string(), message: z.string(), field: z.string().nullable(), line: z.number().nullable() }).nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
});

export const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

export function importRoutes(app: Api, jobs: ImportJobs): void {
  // Bytes as sent: the import service detects the encoding and reports bad bytes by line.
  app.addContentTypeParser(['text/csv', 'application/csv'], { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

  app.post('/api/imports', {
    config: { auth: 'manager' },
    bodyLimit: IMPORT_BODY_LIMIT,
    schema: {
      tags: ['imports'],
      summary: 'Import prospects from a CSV sent as the text/csv body (managers; one transaction). Poll the job it returns.',
      querystring: z.object({
        file: z.string().max(200).default('upload.csv').describe('the file name, for messages'),
        map: z.union([z.string(), z.array(z.string())]).optional().describe('"CSV column=field", repeatable'),
        encoding: z.enum(ENCODINGS).default('utf-8'),
        owner: z.string().max(254).optional().describe('owner (email) of rows without an owner column'),
        dryRun: flagSchema,
      }),
      response: accepted(jobSchema),
    },
  }, async (req, reply) => {
    if (!Buffer.isBuffer(req.body)) throw refuse('unsupported_media_type', 'send the CSV file as the body with Content-Type: text/csv', 'body');
    const map = req.query.map === undefined ? [] : [req.query.map].flat();
    parseMapping(map); // usage errors now, not in the job
    const name = req.query.file.replace(/[^\w.-]+/g, '_') || 'upload.csv';
    const { job } = jobs.start(ctxOf(req), req.body, name, { map, encoding: req.query.encoding, owner: req.query.owner, dryRun: req.query.dryRun });
    return reply.code(202).send(job);
  });

  app.get('/api/imports/:id', {
    config: { auth: 'manager' },
    schema: { tags: ['imports'], summary: 'An import job: progress, then the report or the error', params: z.object({ id: z.uuid() }), response: ok(jobSchema) },
  }, async (req) => {
    const job = jobs.get(req.params.id, ctxOf(req).user.id);
    if (!job) throw refuse('not_found', `no import job ${req.params.id}`);
    return job;
  });
}
