// Prometheus metrics (prom-client) for `tally serve` and `tally worker --metrics-port`. Each process
// has its own registry (never the global one), so tests can build several side by side. Counters are
// updated by the job layer; queue depth and sync lag are read from the database when scraped, so
// every process reports the same team-wide picture.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from '../app/ports/store/index.ts';

/** What the gauges read from the database when scraped. */
export type MetricsSource = Pick<Store, 'due' | 'outbox' | 'mailboxes'>;

export interface QueueSize {
  queue: string;
  state: string;
  count: number;
}

/** What the metrics read from the job runner when scraped (absent when jobs do not run here). */
export interface JobsProbe {
  /** Real epoch ms of the last successful sync per mailbox id. */
  lastSyncs(): Promise<Map<number, number>>;
  /** Jobs waiting or running per queue (pg-boss only). */
  queueSizes?(): Promise<QueueSize[]>;
}

export class Metrics {
  readonly registry = new Registry();
  readonly jobRuns: Counter<'kind' | 'outcome'>;
  readonly jobDuration: Histogram<'kind'>;
  readonly mails: Counter<'outcome'>;
  private probe: JobsProbe | null = null;

  constructor(
    private readonly store: MetricsSource,
    private readonly now: () => number = Date.now,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'tally_process_' });
    this.jobRuns = new Counter({ name: 'tally_job_runs_total', help: 'Job runs by kind and outcome (ok, failed, skipped: another run of the same key was in progress)', labelNames: ['kind', 'outcome'], registers });
    this.jobDuration = new Histogram({ name: 'tally_job_duration_seconds', help: 'Duration of job runs by kind', labelNames: ['kind'], buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300], registers });
    this.mails = new Counter({ name: 'tally_mails_total', help: 'Mails handled by the sender by outcome (sent, failed, retry, cancelled, recovered)', labelNames: ['outcome'], registers });

    // The gauges' collect() has the gauge as `this`; these read the runner and the clock from here.
    const probe = () => this.probe;
    const appNow = () => this.now();
    new Gauge({
      name: 'tally_due_enrollments',
      help: 'Live enrollments whose next touch is due now',
      registers,
      async collect() {
        this.set(await store.due.count({ dueBy: appNow() }));
      },
    });
    new Gauge({
      name: 'tally_outbox',
      help: 'Outbox rows waiting to be sent (queued) or claimed by a sender (sending)',
      labelNames: ['status'],
      registers,
      async collect() {
        const pending = await store.outbox.pending();
        this.reset();
        for (const s of ['queued', 'sending'] as const) this.set({ status: s }, pending[s]);
      },
    });
    new Gauge({
      name: 'tally_sync_lag_seconds',
      help: 'Seconds since the last successful sync of each mailbox with IMAP (since it was added when never synced)',
      labelNames: ['mailbox'],
      registers,
      async collect() {
        this.reset();
        const p = probe();
        if (!p) return;
        const last = await p.lastSyncs();
        const boxes = await store.mailboxes.withImap();
        const now = Date.now(); // operational time, not the app clock (TALLY_NOW pins that one)
        for (const b of boxes) this.set({ mailbox: String(b.id) }, Math.max(0, (now - (last.get(b.id) ?? Number(b.created_at))) / 1000));
      },
    });
    new Gauge({
      name: 'tally_job_queue',
      help: 'pg-boss jobs per queue and state (created, retry, active)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        const p = probe();
        if (!p?.queueSizes) return;
        for (const q of await p.queueSizes()) this.set({ queue: q.queue, state: q.state }, q.count);
      },
    });
  }

  /** Connects the scrape-time gauges to the running jobs. */
  attach(probe: JobsProbe | null): void {
    this.probe = probe;
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
