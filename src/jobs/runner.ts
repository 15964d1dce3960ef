// The job runtime: one interface, two runners. In-process (SQLite, one process): timers, at most
// `concurrency` runs at a time, never two runs of one key at once. pg-boss (PostgreSQL,
// src/jobs/pg-boss.ts): schedulers enqueue, any number of workers consume.
import type { Logger } from 'pino';
import type { Runtime } from '../app/ports/runtime.ts';
import type { JobsProbe, Metrics } from '../observability/metrics.ts';
import { errorFields } from '../observability/log.ts';
import type { JobsStatus } from '../observability/health.ts';
import { JOB_KINDS, intervalsFor, syncJob, type Intervals, type JobEnv, type JobKind } from './catalogue.ts';
import { executeJob } from './execute.ts';
import { MemoryLocks, type KeyLocks } from './locks.ts';

export interface RunnerStatus extends JobsStatus {
  mode: 'in-process' | 'pg-boss';
}

export interface JobRunner extends JobsProbe {
  readonly mode: RunnerStatus['mode'];
  start(): Promise<void>;
  /** Stops taking new runs, lets the ones in flight finish for up to `timeoutMs`, then returns. */
  stop(opts?: { timeoutMs?: number }): Promise<void>;
  status(): RunnerStatus;
}

export interface RunnerOptions {
  /** The ports the services run on; its clock is the app clock handed to services. */
  runtime: Runtime;
  log: Logger;
  metrics?: Metrics | null;
  kinds?: readonly JobKind[];
  /** Seconds between runs per kind name (defaults from the catalogue). */
  intervals?: Partial<Intervals>;
  /** Runs at once (in-process: in total; pg-boss: per job kind). */
  concurrency?: number;
}

export const DEFAULT_STOP_TIMEOUT_MS = 30_000;

/** Whether `work` settles within `ms`; the timer goes as soon as it does (left pending, it held a stopped server's process open for the whole timeout). */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([work.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class InProcessRunner implements JobRunner {
  readonly mode = 'in-process';
  private readonly kinds: readonly JobKind[];
  private readonly intervals: Intervals;
  private readonly concurrency: number;
  private readonly env: JobEnv;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Keys waiting or running: a key already in either is not added again. */
  private readonly keys = new Set<string>();
  private readonly waiting: { kind: JobKind; id: number }[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly lastSync = new Map<number, number>();
  private started = false;
  private stopping = false;

  constructor(
    opts: RunnerOptions,
    private readonly locks: KeyLocks = new MemoryLocks(),
  ) {
    this.kinds = opts.kinds ?? JOB_KINDS;
    this.intervals = intervalsFor(this.kinds, opts.intervals);
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.env = { runtime: opts.runtime, log: opts.log, metrics: opts.metrics ?? null };
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const kind of this.kinds) this.plan(kind, 0);
    this.env.log.info({ mode: this.mode, intervals: this.intervals, concurrency: this.concurrency }, 'jobs started');
  }

  private plan(kind: JobKind, ms: number): void {
    if (this.stopping) return;
    const t = setTimeout(() => void this.round(kind), ms);
    t.unref();
    this.timers.set(kind.name, t);
  }

  private async round(kind: JobKind): Promise<void> {
    try {
      for (const id of await kind.targets(this.env.runtime.store)) {
        const key = `${kind.name}:${id}`;
        if (this.keys.has(key)) continue; // still waiting or running since the last round
        this.keys.add(key);
        this.waiting.push({ kind, id });
      }
      this.pump();
    } catch (err) {
      this.env.log.error({ job: kind.name, ...errorFields(err) }, 'cannot list the job targets');
      this.env.metrics?.jobRuns.inc({ kind: kind.name, outcome: 'failed' });
    }
    this.plan(kind, this.intervals[kind.name]! * 1000);
  }

  private pump(): void {
    while (!this.stopping && this.inFlight.size < this.concurrency && this.waiting.length > 0) {
      const { kind, id } = this.waiting.shift()!;
      const run: Promise<void> = executeJob(this.env, this.locks, kind, id)
        .then((r) => {
          if (kind.name === syncJob.name && r.outcome === 'ok') this.lastSync.set(id, Date.now());
        })
        .finally(() => {
          this.inFlight.delete(run);
          this.keys.delete(`${kind.name}:${id}`);
          this.pump();
        });
      this.inFlight.add(run);
    }
  }

  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.started || this.stopping) return;
    this.stopping = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.waiting.length = 0;
    const timeoutMs = opts.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    if (this.inFlight.size > 0) {
      this.env.log.info({ running: this.inFlight.size, timeoutMs }, 'jobs stopping: waiting for the runs in flight');
      const finished = await settlesWithin(Promise.allSettled([...this.inFlight]), timeoutMs);
      if (!finished) this.env.log.warn({ running: this.inFlight.size }, 'jobs stopped with runs still in flight (timeout)');
    }
    await this.locks.close();
    this.started = false;
    this.env.log.info('jobs stopped');
  }

  status(): RunnerStatus {
    return { mode: this.mode, started: this.started, stopping: this.stopping, scheduling: this.started && !this.stopping, consuming: this.started && !this.stopping, running: this.inFlight.size };
  }

  async lastSyncs(): Promise<Map<number, number>> {
    return new Map(this.lastSync);
  }
}
