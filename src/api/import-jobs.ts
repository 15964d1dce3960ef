// CSV imports run in the background so the browser can poll their progress; previews (a dry run that
// also shows the mapping and the first rows) run in the request. One upload must never stop the
// server: the body goes to a private temporary file as it arrives and the import reads it back in
// 16 KiB chunks, writing each chunk's rows before reading on (the event loop gets a turn between
// chunks); imports and previews take turns (one at a time per person, MAX_RUNNING on the server, the
// others wait in line with their position shown); on SQLite each runs on a connection of its own, so
// the server's reads go on while the import's transaction is open. A finished job keeps its counts
// and the first REPORT_ROWS rejected rows; all of them are in a CSV file downloadable while the job is
// kept. Jobs live in memory: a restart forgets them, which is fine because an import is one
// transaction (all or nothing).
import { randomUUID } from 'node:crypto';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Context } from '../app/context.ts';
import type { CsvSource } from '../app/csv-stream.ts';
import type { Store } from '../app/ports/store/index.ts';
import { importProspects, type ImportOptions, type ImportPreview, type ImportProblem, type ImportReport } from '../app/import-prospects.ts';
import { neutraliseCell } from '../core/csv-cells.ts';
import { RateLimitedError, TallyError } from '../core/errors.ts';
import { MAX_RUNNING, PREVIEW_ROWS, REPORT_ROWS, type ImportJobError, type ImportJobView } from '../contract/imports.ts';

/** A job as the API shows it, plus whose it is. */
export interface ImportJob extends Omit<ImportJobView, 'report'> {
  userId: number;
  report: ImportReport | null;
}

export type ImportRequest = Omit<ImportOptions, 'onProgress' | 'preview' | 'dryRun' | 'listLimit' | 'problems'>;

/** Imports and previews one person may have waiting in line. */
export const MAX_WAITING = 3;

export interface ImportPreviewResult {
  columns: { header: string; target: string }[];
  /** The file cannot be imported as mapped (no email column, two columns on one field…); the columns still show. */
  problem: ImportJobError | null;
  rows: ImportPreview['rows'];
  report: ImportReport | null;
}

/** An upload on disk, as the route received it. */
export interface Upload {
  path: string;
  size: number;
  name: string;
}

/** A store for one import, closed after it (SQLite: a connection of its own). */
export type ImportStore = Store & { close(): Promise<void> };

const KEEP_MS = 60 * 60_000;
/** Rows of a chunk are read and written in one go: 16 KiB is about a hundred rows, a few milliseconds. */
const CHUNK = 16 * 1024;

function jobError(err: TallyError): ImportJobError {
  return { code: err.code, message: err.message, field: err.where.field ?? null, line: err.where.line ?? null };
}

/**
 * The upload in chunks, with a turn of the event loop after each: the file stream reads ahead, so
 * its next chunk is often there already and awaiting it alone would let the import run on unbroken.
 */
function sourceOf(upload: Upload): CsvSource {
  return {
    name: upload.name,
    size: upload.size,
    async *chunks() {
      for await (const chunk of createReadStream(upload.path, { highWaterMark: CHUNK })) {
        yield chunk as Buffer;
        await setImmediate();
      }
    },
  };
}

/** Who runs now: one import or preview per person, MAX_RUNNING in all, the rest first come, first served. */
export class Turns {
  private readonly running = new Set<number>();
  private readonly line: { userId: number; go: () => void }[] = [];

  /** Resolves when it is the person's turn; `end` must be called once their work is over. */
  take(userId: number): { turn: Promise<void>; position: () => number | null; end: () => void } {
    if (this.line.filter((w) => w.userId === userId).length >= MAX_WAITING) {
      throw new RateLimitedError(`you already have ${MAX_WAITING} imports waiting: let them finish first`, 30);
    }
    let started = false;
    const entry = { userId, go: () => undefined as void };
    const turn = new Promise<void>((resolve) => {
      entry.go = () => {
        started = true;
        resolve();
      };
    });
    this.line.push(entry);
    this.pump();
    return {
      turn,
      position: () => (started ? null : this.line.indexOf(entry) + 1),
      end: () => {
        this.running.delete(userId);
        this.pump();
      },
    };
  }

  private pump(): void {
    for (let i = 0; i < this.line.length && this.running.size < MAX_RUNNING; ) {
      const next = this.line[i]!;
      if (this.running.has(next.userId)) {
        i++;
        continue;
      }
      this.line.splice(i, 1);
      this.running.add(next.userId);
      next.go();
    }
  }
}

/** A cell as CSV: formula starts neutralised, quoted when it holds a comma, quote or line break. */
function csvCell(value: string): string {
  const v = neutraliseCell(value);
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rejected and duplicate rows appended to a CSV file as the import finds them (cells neutralised). */
class ProblemsFile {
  private fd: number | null = null;
  private buffered: string[][] = [];

  constructor(readonly path: string) {}

  add(p: ImportProblem): void {
    const reason = p.kind === 'rejected' ? p.reason : `duplicate of line ${p.firstLine} (${p.email}): first occurrence kept`;
    this.buffered.push([String(p.line), p.kind === 'rejected' ? (p.field ?? '') : 'email', reason]);
    if (this.buffered.length >= 1000) this.flush();
  }

  /** Writes what is buffered; true when the file has any row. */
  close(): boolean {
    this.flush();
    if (this.fd === null) return false;
    closeSync(this.fd);
    return true;
  }

  private flush(): void {
    if (this.buffered.length === 0) return;
    if (this.fd === null) {
      this.fd = openSync(this.path, 'w', 0o600);
      writeSync(this.fd, 'line,field,reason\n');
    }
    writeSync(this.fd, this.buffered.map((row) => `${row.map(csvCell).join(',')}\n`).join(''));
    this.buffered = [];
  }
}

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob & { problemsFile?: string }>();
  private readonly turns = new Turns();
  /** Private to this server (0700): uploads while they are imported, and the rejected rows of finished jobs. */
  readonly dir = mkdtempSync(join(tmpdir(), 'tally-imports-'));

  constructor(
    private readonly log: Pick<FastifyBaseLogger, 'error'>,
    /** A store of its own for each import; without one, imports use the context's. */
    private readonly storeFor?: () => Promise<ImportStore>,
  ) {}

  get(id: string, userId: number): ImportJob | undefined {
    const job = this.jobs.get(id);
    if (!job || job.userId !== userId) return undefined;
    const { problemsFile: _file, ...shown } = job;
    return shown;
  }

  /** The CSV of a job's rejected and duplicate rows, when it has one. */
  problemsFile(id: string, userId: number): string | undefined {
    const job = this.jobs.get(id);
    return job && job.userId === userId ? job.problemsFile : undefined;
  }

  /** A new path in the private directory for an upload. */
  uploadPath(): string {
    return join(this.dir, `${randomUUID()}.upload`);
  }

  /** Runs `fn` in the person's turn on the import's own store; the upload is deleted afterwards. */
  private async inTurn<T>(ctx: Context, upload: Upload, turn: { turn: Promise<void>; end: () => void }, fn: (ctx: Context) => Promise<T>): Promise<T> {
    try {
      await turn.turn;
      const own = await this.storeFor?.();
      try {
        return await fn(own ? { ...ctx, store: own } : ctx);
      } finally {
        await own?.close();
      }
    } finally {
      turn.end();
      rmSync(upload.path, { force: true });
    }
  }

  /**
   * A dry run of the import that also keeps the header's mapping and the first rows. A file whose
   * header was read but cannot be imported as mapped answers with its columns and the problem, so
   * the person can fix the mapping; a file that cannot be read at all throws.
   */
  async preview(ctx: Context, upload: Upload, opts: ImportRequest): Promise<ImportPreviewResult> {
    const preview: ImportPreview = { limit: PREVIEW_ROWS, columns: null, rows: [] };
    const turn = this.turns.take(ctx.user.id);
    try {
      const report = await this.inTurn(ctx, upload, turn, (c) => importProspects(c, sourceOf(upload), { ...opts, dryRun: true, preview, listLimit: REPORT_ROWS }));
      return { columns: preview.columns ?? [], problem: null, rows: preview.rows, report };
    } catch (err) {
      if (!(err instanceof TallyError) || preview.columns === null || err.where.line !== 1) throw err;
      return { columns: preview.columns, problem: jobError(err), rows: [], report: null };
    }
  }

  /** Queues the import and returns at once; `done` settles when it ends (for tests and shutdown). */
  start(ctx: Context, upload: Upload, opts: ImportRequest & { dryRun?: boolean }): { job: ImportJob; done: Promise<void> } {
    this.prune(ctx.now());
    let turn: ReturnType<Turns['take']>;
    try {
      turn = this.turns.take(ctx.user.id);
    } catch (err) {
      rmSync(upload.path, { force: true });
      throw err;
    }
    const job: ImportJob & { problemsFile?: string } = {
      id: randomUUID(), userId: ctx.user.id, status: 'queued', position: turn.position(), progress: { bytes: 0, totalBytes: upload.size, rows: 0 },
      report: null, problemsUrl: null, error: null, startedAt: ctx.now(), finishedAt: null,
    };
    this.jobs.set(job.id, job);
    const problems = new ProblemsFile(join(this.dir, `${job.id}.problems.csv`));
    const done = (async () => {
      try {
        job.report = await this.inTurn(ctx, upload, turn, (c) => {
          job.status = 'running';
          return importProspects(c, sourceOf(upload), {
            ...opts, listLimit: REPORT_ROWS, problems: (p) => problems.add(p), onProgress: (p) => (job.progress = p),
          });
        });
        job.status = 'done';
      } catch (err) {
        if (!(err instanceof TallyError) || err.code === 'unavailable') this.log.error({ err, job: job.id }, 'import failed');
        job.status = 'failed';
        job.error = err instanceof TallyError
          ? jobError(err)
          : { code: 'internal', message: 'the import failed on the server; nothing was written', field: null, line: null };
      } finally {
        if (problems.close() && job.status === 'done') {
          job.problemsFile = problems.path;
          job.problemsUrl = `/api/imports/${job.id}/problems.csv`;
        } else rmSync(problems.path, { force: true });
        job.finishedAt = ctx.now();
      }
    })();
    // The place in line is read when the job is asked for.
    Object.defineProperty(job, 'position', { get: () => (job.status === 'queued' ? turn.position() : null), enumerable: true });
    return { job, done };
  }

  /** Forgets every job and removes the directory (the server is closing). */
  close(): void {
    this.jobs.clear();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private prune(now: number): void {
    for (const [id, j] of this.jobs) {
      if (j.finishedAt === null || now - j.finishedAt <= KEEP_MS) continue;
      this.jobs.delete(id);
      if (j.problemsFile) rmSync(j.problemsFile, { force: true });
    }
  }
}
