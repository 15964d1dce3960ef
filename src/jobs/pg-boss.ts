// The pg-boss runner (PostgreSQL). Two roles, either or both in one process:
//  - scheduling: every interval, one job per target (workspace or mailbox) is offered to the queue
//    with sendThrottled keyed "kind:id", so however many schedulers run, a key gets at most one job
//    per interval, and the queue's `short` policy keeps at most one of them waiting;
//  - consuming: `concurrency` pg-boss workers per queue; each run holds the key's advisory lock
//    (src/jobs/locks.ts), so a key never runs twice at once, even after pg-boss hands out an
//    expired job again. Why `short` and not `stately`: docs/decisions.md.
import PgBoss from 'pg-boss';
import { errorFields } from '../observability/log.ts';
import type { QueueSize } from '../observability/metrics.ts';
import { JOB_KINDS, intervalsFor, syncJob, type Intervals, type JobEnv, type JobKind } from './catalogue.ts';
import { executeJob } from './execute.ts';
import { AdvisoryLocks } from './locks.ts';
import { DEFAULT_STOP_TIMEOUT_MS, type JobRunner, type RunnerOptions, type RunnerStatus } from './runner.ts';

export const QUEUE_PREFIX = 'tally-';
const SCHEMA = 'pgboss';

export const queueName = (kind: JobKind | string) => `${QUEUE_PREFIX}${typeof kind === 'string' ? kind : kind.name}`;

export interface PgBossRunnerOptions extends RunnerOptions {
  /** The PostgreSQL URL (the store's location is redacted; pg-boss and the locks need the real one). */
  url: string;
  /** Enqueue jobs on the intervals (default true). */
  schedule?: boolean;
  /** Work jobs in this process (default true). */
  consume?: boolean;
  /** How often an idle worker asks for a job (seconds, default 2, at least 0.5). */
  pollSeconds?: number;
  /** A run still active after this long is failed by pg-boss's maintenance (default 15 min). */
  expireInSeconds?: number;
}

interface JobData {
  id: number;
}

export class PgBossRunner implements JobRunner {
  readonly mode = 'pg-boss';
  readonly boss: PgBoss;
  private readonly kinds: readonly JobKind[];
  private readonly intervals: Intervals;
  private readonly concurrency: number;
  private readonly env: JobEnv;
  private readonly locks: AdvisoryLocks;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private running = 0;
  private started = false;
  private stopping = false;

  constructor(private readonly opts: PgBossRunnerOptions) {
    this.kinds = opts.kinds ?? JOB_KINDS;
    this.intervals = intervalsFor(this.kinds, opts.intervals);
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.env = { runtime: opts.runtime, log: opts.log, metrics: opts.metrics ?? null };
    const consumers = opts.consume === false ? 0 : this.concurrency * this.kinds.length;
    this.locks = new AdvisoryLocks(opts.url, consumers + 1);
    this.boss = new PgBoss({
      connectionString: opts.url,
      schema: SCHEMA,
      application_name: 'tally-jobs',
      max: Math.min(20, consumers + 4),
      // Our own timers enqueue per target; pg-boss's cron (whole minutes, one job per schedule) is not used.
      schedule: false,
      supervise: true,
      migrate: true,
    });
    // pg-boss re-emits connection errors here; without a listener they would crash the process.
    // Losing the database is noticed by the worker's watchdog, which exits for its supervisor.
    this.boss.on('error', (err) => this.env.log.warn({ ...errorFields(err) }, 'pg-boss reported an error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    const expire = this.opts.expireInSeconds ?? 15 * 60;
    for (const kind of this.kinds) {
      const name = queueName(kind);
      // Workers starting together race to create the same queues; PostgreSQL may pick one as a
      // deadlock victim. The queue exists afterwards either way, so look again and retry.
      for (let attempt = 1; ; attempt++) {
        try {
          if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name, { name, policy: 'short', retryLimit: 0, expireInSeconds: expire });
          break;
        } catch (err) {
          const code = (err as { code?: string }).code;
          if (attempt >= 5 || (code !== '40P01' && code !== '23505')) throw err;
          await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
        }
      }
    }
    if (this.opts.consume !== false) {
      const pollingIntervalSeconds = Math.max(0.5, this.opts.pollSeconds ?? 2);
      for (const kind of this.kinds) {
        for (let i = 0; i < this.concurrency; i++) {
          await this.boss.work<JobData>(queueName(kind), { batchSize: 1, pollingIntervalSeconds }, async (jobs) => this.handle(kind, jobs));
        }
      }
    }
    this.started = true;
    if (this.opts.schedule !== false) for (const kind of this.kinds) this.plan(kind, 0);
    this.env.log.info({ mode: this.mode, intervals: this.intervals, concurrency: this.concurrency, schedule: this.opts.schedule !== false, consume: this.opts.consume !== false }, 'jobs started');
  }

  private async handle(kind: JobKind, jobs: PgBoss.Job<JobData>[]): Promise<object> {
    const job = jobs[0];
    const id = job?.data?.id;
    if (!job || !Number.isInteger(id)) throw new Error(`job without a target id (data must be {"id": <number>})`);
    this.running++;
    try {
      const r = await executeJob(this.env, this.locks, kind, id!, { jobId: job.id });
      // Thrown so pg-boss records the job as failed (the error is already logged and counted).
      if (r.outcome === 'failed') throw new Error(r.error);
      return r.outcome === 'ok' ? { outcome: 'ok', ...r.summary } : { outcome: 'skipped' };
    } finally {
      this.running--;
    }
  }

  private plan(kind: JobKind, ms: number): void {
    if (this.stopping) return;
    const t = setTimeout(() => void this.enqueue(kind), ms);
    t.unref();
    this.timers.set(kind.name, t);
  }

  /** Offers one job per target; the throttle slot and the `short` policy drop the duplicates. */
  async enqueue(kind: JobKind): Promise<number> {
    let offered = 0;
    const every = Math.max(1, Math.round(this.intervals[kind.name]!));
    try {
      for (const id of await kind.targets(this.env.runtime.store)) {
        const key = `${kind.name}:${id}`;
        if (await this.boss.sendThrottled(queueName(kind), { id }, { retryLimit: 0 }, every, key)) offered++;
      }
    } catch (err) {
      this.env.log.error({ job: kind.name, ...errorFields(err) }, 'cannot enqueue jobs');
    }
    this.plan(kind, this.intervals[kind.name]! * 1000);
    return offered;
  }

  /**
   * pg-boss 10 counts a run as in flight only once its fetch has returned: a fetch still on the wire
   * when stop() begins returns a job after the pool is closed, and that job stays 'active'. So the
   * workers stop fetching first and a second passes (a fetch is one short query) before stop() goes on;
   * a run that started meanwhile is then in flight and waited for.
   */
  private async settleFetches(): Promise<void> {
    if (this.opts.consume === false) return;
    await Promise.all(this.kinds.map((kind) => this.boss.offWork(queueName(kind)).catch(() => undefined)));
    await new Promise((r) => setTimeout(r, 1_000));
  }

  async stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (!this.started || this.stopping) return;
    this.stopping = true;
    for (const t of this.timers.values()) clearTimeout(t);
    const timeoutMs = opts.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    await this.settleFetches();
    if (this.running) this.env.log.info({ running: this.running, timeoutMs }, 'jobs stopping: waiting for the runs in flight');
    // Graceful: workers stop fetching, runs in flight get up to the timeout, any still active
    // after it are failed (returned) rather than left active; then pg-boss closes its pool.
    try {
      await this.boss.stop({ graceful: true, timeout: timeoutMs, wait: true, close: true });
    } catch (err) {
      this.env.log.warn({ ...errorFields(err) }, 'pg-boss did not stop cleanly');
    }
    await this.locks.close().catch(() => undefined);
    this.started = false;
    this.env.log.info('jobs stopped');
  }

  status(): RunnerStatus {
    const live = this.started && !this.stopping;
    return { mode: this.mode, started: this.started, stopping: this.stopping, scheduling: live && this.opts.schedule !== false, consuming: live && this.opts.consume !== false, running: this.running };
  }

  /** Last successful sync per mailbox, from pg-boss's own records (live and archived jobs), so every process agrees. */
  async lastSyncs(): Promise<Map<number, number>> {
    const name = queueName(syncJob);
    // pg-boss's own tables, read through pg-boss's own connection.
    const { rows } = (await this.boss.getDb().executeSql(
      `select (data->>'id')::int as id, max(completed_on) as at from (
        select data, completed_on from ${SCHEMA}.job where name = $1 and state = 'completed' and output->>'outcome' = 'ok'
        union all
        select data, completed_on from ${SCHEMA}.archive where name = $1 and state = 'completed' and output->>'outcome' = 'ok'
      ) s group by 1`,
      [name],
    )) as { rows: { id: number; at: Date }[] };
    return new Map(rows.map((r) => [Number(r.id), new Date(r.at).getTime()]));
  }

  async queueSizes(): Promise<QueueSize[]> {
    const { rows } = (await this.boss.getDb().executeSql(
      `select name as queue, state::text as state, count(*)::int as count from ${SCHEMA}.job
      where name like $1 and state in ('created', 'retry', 'active') group by 1, 2 order by 1, 2`,
      [`${QUEUE_PREFIX}%`],
    )) as { rows: { queue: string; state: string; count: number }[] };
    return rows.map((r) => ({ queue: r.queue, state: r.state, count: Number(r.count) }));
  }
}
