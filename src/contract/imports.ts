// CSV import: preview the file (a dry run that also shows the mapping and the first rows), upload
// it as a text/csv body, then poll the job for progress and the report.
import { z } from 'zod';
import { ENCODINGS } from '../core/import-format.ts';
import { flagSchema } from './common.ts';
import { accepted, ok, routesOf } from './route.ts';

const route = routesOf('imports');

/** How many rows a preview shows. */
export const PREVIEW_ROWS = 10;
/** Rejected rows (and duplicates) a report lists; the counts count them all and the CSV has them all. */
export const REPORT_ROWS = 100;
/** Imports and previews running at once on the server (each is one transaction and a core's worth of work). */
export const MAX_RUNNING = 2;

const reportSchema = z.object({
  file: z.string(), rows: z.number(), inserted: z.number(), updated: z.number(), companiesCreated: z.number(), customFields: z.array(z.string()), skippedColumns: z.array(z.string()).describe('columns not kept: past 200 custom fields'), dryRun: z.boolean(),
  duplicates: z.array(z.object({ line: z.number(), email: z.string(), firstLine: z.number() })).describe(`the first ${REPORT_ROWS}`),
  rejected: z.array(z.object({ line: z.number(), reason: z.string(), field: z.string().optional() })).describe(`the first ${REPORT_ROWS}`),
  duplicateCount: z.number(), rejectedCount: z.number(),
  importId: z.number().nullable().describe('the import: the board filter `import` and "Enroll these N" name it (null for a dry run)'),
  warnings: z.array(z.object({ line: z.number(), message: z.string(), field: z.string().optional() })).describe(`rows imported with a caveat (an owner not on the team), the first ${REPORT_ROWS}`),
  warningCount: z.number(),
  unmatchedOwners: z.array(z.object({ owner: z.string(), rows: z.number() })).describe('owners named in the file who are not on the team: their rows are the importer\'s'),
  zonesInferred: z.number().describe('rows whose time zone was inferred from their country, state or phone number'),
});
export type ImportReport = z.infer<typeof reportSchema>;

const jobErrorSchema = z.object({ code: z.string(), message: z.string(), field: z.string().nullable(), line: z.number().nullable() });
export type ImportJobError = z.infer<typeof jobErrorSchema>;

export const IMPORT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;

const jobSchema = z.object({
  id: z.string(),
  status: z.enum(IMPORT_JOB_STATUSES),
  position: z.number().nullable().describe(`place in line while queued (1: next); ${MAX_RUNNING} imports run at once, one per person`),
  progress: z.object({ bytes: z.number(), totalBytes: z.number(), rows: z.number() }),
  report: reportSchema.nullable(),
  problemsUrl: z.string().nullable().describe('every rejected and duplicate row as CSV (line, field, reason), kept an hour'),
  error: jobErrorSchema.nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
});
export type ImportJobView = z.infer<typeof jobSchema>;

const previewSchema = z.object({
  columns: z.array(z.object({ header: z.string(), target: z.string().describe('a field, custom.NAME or ignore: what `map` takes') }))
    .describe('the header, each column with the target it maps to (the `map` given, else the usual meaning of its name, else a custom field)'),
  problem: jobErrorSchema.nullable().describe('why the file cannot be imported as mapped (e.g. no email column); fix the mapping and preview again'),
  rows: z.array(z.object({
    line: z.number(), action: z.enum(['new', 'update']), email: z.string(), first_name: z.string().nullable(), last_name: z.string().nullable(),
    phone: z.string().nullable(), title: z.string().nullable(), linkedin_url: z.string().nullable(), company: z.string().nullable(), timezone: z.string().nullable(),
    owner: z.string(), priority: z.number(), custom: z.record(z.string(), z.string()),
    zoneInferred: z.boolean().describe('the zone was inferred from the country, state or phone number'),
  })).describe(`the first ${PREVIEW_ROWS} rows as they would be imported`),
  counts: z.object({ rows: z.number(), new: z.number(), updated: z.number(), duplicates: z.number(), rejected: z.number() }).nullable(),
  report: reportSchema.nullable().describe('the dry run: rejected rows with line, field and reason; duplicates'),
  fields: z.array(z.string()).describe('the targets a column can take (besides custom.NAME and ignore) for you: owner only for managers'),
});
export type ImportPreview = z.infer<typeof previewSchema>;

const importQuery = {
  file: z.string().max(200).default('upload.csv').describe('the file name, for messages'),
  map: z.union([z.string(), z.array(z.string())]).optional().describe('"CSV column=field" (field: email, first_name, …, custom.NAME or ignore), repeatable'),
  encoding: z.enum(ENCODINGS).default('utf-8'),
  owner: z.string().max(254).optional().describe('owner (email) of rows without an owner column (managers)'),
};
export type ImportQuery = z.output<z.ZodObject<typeof importQuery>>;

export const imports = {
  start: route('POST', '/api/imports', 'user', {
    summary: 'Import prospects from a CSV sent as the text/csv body (one transaction). Poll the job it returns.',
    description: 'A rep\'s rows are all theirs (an owner column may only name them) and a row whose email is a teammate\'s prospect is rejected; managers can set owners.',
    querystring: z.object({ ...importQuery, dryRun: flagSchema }),
    response: accepted(jobSchema),
  }, { upload: 'text/csv' }),

  preview: route('POST', '/api/imports/preview', 'user', {
    summary: 'Preview a CSV import (text/csv body): the columns and their mapping, the first rows, rejected rows and counts. Writes nothing.',
    description: 'Takes the same query as POST /api/imports. A file that cannot be read (encoding, quotes) is a 400 whose message names the line.',
    querystring: z.object(importQuery),
    response: ok(previewSchema),
  }, { upload: 'text/csv' }),

  last: route('GET', '/api/imports/last', 'user', {
    summary: 'Your latest import: the board\'s "Last import" filter (`import` = its id) and how many prospects it wrote',
    response: ok(z.object({ last: z.object({ id: z.number(), file: z.string(), createdAt: z.number(), prospects: z.number() }).nullable() })),
  }),

  job: route('GET', '/api/imports/:id', 'user', { summary: 'One of your import jobs: progress, then the report or the error', params: z.object({ id: z.uuid() }), response: ok(jobSchema) }),

  // Answers a CSV file (a download), not JSON: no answer schema.
  problems: route('GET', '/api/imports/:id/problems.csv', 'user', {
    summary: 'Every rejected and duplicate row of one of your finished imports, as CSV (line, field, reason)',
    params: z.object({ id: z.uuid() }),
  }),
};
