// CSV imports run in the background so the browser can poll their progress. Jobs live in memory:
// a restart forgets them, which is fine because an import is one transaction (all or nothing).
// Previews run the same import as a dry run, in the request.
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Context } from '../app/context.ts';
import { importProspects, type ImportOptions, type ImportPreview, type ImportReport } from '../app/import-prospects.ts';
import { TallyError } from '../core/errors.ts';

export interface JobError {
  code: string;
  message: string;
  field: string | null;
  line: number | null;
}

export interface ImportJob {
  id: string;
  userId: number;
  status: 'running' | 'done' | 'failed';
  progress: { bytes: number; totalBytes: number; rows: number };
  report: ImportReport | null;
  error: JobError | null;
  startedAt: number;
  finishedAt: number | null;
}

export type ImportRequest = Omit<ImportOptions, 'onProgress' | 'preview' | 'dryRun'>;

/** How many rows a preview shows. */
export const PREVIEW_ROWS = 10;

export interface ImportPreviewResult {
  columns: { header: string; target: string }[];
  /** The file cannot be imported as mapped (no email column, two columns on one field…); the columns still show. */
  problem: JobError | null;
  rows: ImportPreview['rows'];
  report: ImportReport | null;
}

const KEEP_MS = 60 * 60_000;

function jobError(err: TallyError): JobError {
  return { code: err.code, message: err.message, field: err.where.field ?? null, line: err.where.line ?? null };
}

/**
 * A dry run of the import that also keeps the header's mapping and the first rows. A file whose
 * header was read but cannot be imported as mapped answers with its columns and the problem, so
 * the person can fix the mapping; a file that cannot be read at all throws.
 */
export async function previewImport(ctx: Context, csv: Buffer, fileName: string, opts: ImportRequest): Promise<ImportPreviewResult> {
  const preview: ImportPreview = { limit: PREVIEW_ROWS, columns: null, rows: [] };
  try {
    const report = await importProspects(ctx, { name: fileName, bytes: csv }, { ...opts, dryRun: true, preview });
    return { columns: preview.columns ?? [], problem: null, rows: preview.rows, report };
  } catch (err) {
    if (!(err instanceof TallyError) || preview.columns === null || err.where.line !== 1) throw err;
    return { columns: preview.columns, problem: jobError(err), rows: [], report: null };
  }
}

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  constructor(private readonly log: Pick<FastifyBaseLogger, 'error'>) {}

  get(id: string, userId: number): ImportJob | undefined {
    const job = this.jobs.get(id);
    return job && job.userId === userId ? job : undefined;
  }

  /** Starts the import and returns at once; `done` settles when it ends (for tests and shutdown). */
  start(ctx: Context, csv: Buffer, fileName: string, opts: Omit<ImportOptions, 'onProgress' | 'preview'>): { job: ImportJob; done: Promise<void> } {
    this.prune(ctx.now());
    const job: ImportJob = {
      id: randomUUID(), userId: ctx.user.id, status: 'running', progress: { bytes: 0, totalBytes: csv.length, rows: 0 },
      report: null, error: null, startedAt: ctx.now(), finishedAt: null,
    };
    this.jobs.set(job.id, job);
    const done = (async () => {
      try {
        job.report = await importProspects(ctx, { name: fileName, bytes: csv }, { ...opts, onProgress: (p) => (job.progress = p) });
        job.status = 'done';
      } catch (err) {
        if (!(err instanceof TallyError) || err.code === 'unavailable') this.log.error({ err, job: job.id }, 'import failed');
        job.status = 'failed';
        job.error = err instanceof TallyError
          ? jobError(err)
          : { code: 'internal', message: 'the import failed on the server; nothing was written', field: null, line: null };
      } finally {
        job.finishedAt = ctx.now();
      }
    })();
    return { job, done };
  }

  private prune(now: number): void {
    for (const [id, j] of this.jobs) if (j.finishedAt !== null && now - j.finishedAt > KEEP_MS) this.jobs.delete(id);
  }
}
