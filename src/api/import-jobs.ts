// CSV imports run in the background so the browser can poll their progress. Jobs live in memory:
// a restart forgets them, which is fine because an import is one transaction (all or nothing).
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from '../app/context.ts';
import { importProspects, type ImportOptions, type ImportReport } from '../app/import-prospects.ts';
import { TallyError } from '../app/errors.ts';

export interface ImportJob {
  id: string;
  userId: number;
  status: 'running' | 'done' | 'failed';
  progress: { bytes: number; totalBytes: number; rows: number };
  report: ImportReport | null;
  error: { code: string; message: string; field: string | null; line: number | null } | null;
  startedAt: number;
  finishedAt: number | null;
}

const KEEP_MS = 60 * 60_000;

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  get(id: string, userId: number): ImportJob | undefined {
    const job = this.jobs.get(id);
    return job && job.userId === userId ? job : undefined;
  }

  /** Starts the import and returns at once; `done` settles when it ends (for tests and shutdown). */
  start(ctx: Context, csv: Buffer, fileName: string, opts: Omit<ImportOptions, 'onProgress'>): { job: ImportJob; done: Promise<void> } {
    this.prune(ctx.now());
    const job: ImportJob = {
      id: randomUUID(), userId: ctx.user.id, status: 'running', progress: { bytes: 0, totalBytes: csv.length, rows: 0 },
      report: null, error: null, startedAt: ctx.now(), finishedAt: null,
    };
    this.jobs.set(job.id, job);
    const done = (async () => {
      // The import service reads a file (for its encoding checks and line numbers): give it one.
      const dir = await mkdtemp(join(tmpdir(), 'tally-import-'));
      const path = join(dir, fileName);
      try {
        await writeFile(path, csv);
        job.report = await importProspects(ctx, path, { ...opts, onProgress: (p) => (job.progress = p) });
        job.status = 'done';
      } catch (err) {
        job.status = 'failed';
        job.error = err instanceof TallyError
          ? { code: err.code, message: err.message, field: err.where.field ?? null, line: err.where.line ?? null }
          : { code: 'internal', message: 'the import failed on the server; nothing was written', field: null, line: null };
      } finally {
        job.finishedAt = ctx.now();
        await rm(dir, { recursive: true, force: true });
      }
    })();
    return { job, done };
  }

  private prune(now: number): void {
    for (const [id, j] of this.jobs) if (j.finishedAt !== null && now - j.finishedAt > KEEP_MS) this.jobs.delete(id);
  }
}
