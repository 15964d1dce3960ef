// The load script (`npm run load`, docs/scale.md): several `tally serve` and `tally worker`
// processes on one PostgreSQL for a bounded time, with a realistic mix, so the scale model's
// per-unit figures can be checked on a bigger machine. It seeds the workspaces, reps, prospects and
// enrollments it needs, runs HTTP clients against the servers (mix.ts) while the workers tick every
// workspace and send every mailbox's due mail through pg-boss to a loopback SMTP sink, then reports
// throughput and p99 per endpoint and per job kind. Every process is pinned to one clock (TALLY_NOW,
// a Monday 14:00 UTC, inside the email window) so a run does the same work at any hour.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { queueName } from '../../src/jobs/pg-boss.ts';
import { openPostgresStore, type Store } from '../../src/store/store.ts';
import { startPostgres, type PostgresServer } from '../../test/helpers/postgres-server.ts';
import { startSmtp } from '../../test/helpers/smtp.ts';
import { fmt, percentile, stopProcesses } from '../lib.ts';
import { runMix, type EndpointFigures } from './mix.ts';
import { seed, type SeedSize } from './seed.ts';

export interface LoadOptions extends SeedSize {
  seconds: number;
  servers: number;
  workers: number;
  /** Concurrent HTTP client loops. */
  clients: number;
  /** Seconds between a worker's tick per workspace and send per mailbox. */
  every: number;
  /** An empty database to fill (else a throwaway server is started, as the test suite does). */
  db?: string;
  log?: (line: string) => void;
}

export const DEFAULTS: Omit<LoadOptions, 'workspaces' | 'reps'> = { prospects: 40, seconds: 60, servers: 2, workers: 2, clients: 16, every: 5 };

export interface JobFigures {
  kind: string;
  completed: number;
  failed: number;
  /** Run time (started → completed) of the completed jobs in ms, sorted. */
  durations: number[];
  /** Time waiting in the queue (created → started) in ms, sorted. */
  waits: number[];
}

export interface LoadReport {
  options: LoadOptions;
  machine: string;
  seedSeconds: number;
  seconds: number;
  endpoints: EndpointFigures[];
  jobs: JobFigures[];
  /** Since the workers started (the first send runs before the load window). */
  mailsReceived: number;
  /** Mails received more than once (by Message-ID): must be 0. */
  mailsDuplicated: number;
  loadAverage: number[];
}

const NOW = Date.UTC(2026, 10, 23, 14, 0);
const SECRET = 'load script key';
const ROOT = join(import.meta.dirname, '..', '..');
const READY_TIMEOUT_MS = 120_000;
const JOB_KINDS = ['tick', 'send'];

interface Child {
  child: ChildProcess;
  /** The process's output up to and including its ready line. */
  ready: Promise<string>;
}

/** A `tally` process; ready once `readyLine` shows in its log. Its output is drained so a full pipe never blocks it. */
function tally(args: string[], readyLine: string): Child {
  const child = spawn(process.execPath, ['bin/tally.js', ...args], {
    cwd: ROOT,
    env: { ...process.env, TALLY_SECRET_KEY: SECRET, TALLY_NOW: new Date(NOW).toISOString(), TALLY_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let ready = false;
  const p = new Promise<string>((resolve, reject) => {
    const watch = (d: string) => {
      if (ready) return;
      out = (out + d).slice(-4000);
      if (out.includes(readyLine)) {
        ready = true;
        resolve(out);
      }
    };
    child.stdout!.setEncoding('utf8').on('data', watch);
    child.stderr!.setEncoding('utf8').on('data', watch);
    child.once('exit', (code) => reject(new Error(`tally ${args[0]} exited (${code}) before it was ready: ${out.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`tally ${args[0]} did not say "${readyLine}" within ${READY_TIMEOUT_MS / 1000} s: ${out.slice(-2000)}`)), READY_TIMEOUT_MS).unref();
  });
  p.catch(() => undefined); // awaited below; a late failure after the run is not unhandled
  return { child, ready: p };
}


/** Jobs of a kind that ran within [from, to] (database clock), from pg-boss's own table. */
async function jobFigures(store: Store, kind: string, from: Date, to: Date): Promise<JobFigures> {
  const { rows } = await sql<{ state: string; run_ms: number | null; wait_ms: number | null }>`
    select state::text as state,
           extract(epoch from (completed_on - started_on)) * 1000 as run_ms,
           extract(epoch from (started_on - created_on)) * 1000 as wait_ms
      from pgboss.job
     where name = ${queueName(kind)} and started_on between ${from} and ${to}`.execute(store.db);
  const done = rows.filter((r) => r.state === 'completed');
  return {
    kind,
    completed: done.length,
    failed: rows.filter((r) => r.state === 'failed').length,
    durations: done.map((r) => Number(r.run_ms)).sort((a, b) => a - b),
    waits: done.map((r) => Number(r.wait_ms)).sort((a, b) => a - b),
  };
}

const dbNow = async (store: Store) => (await sql<{ t: Date }>`select clock_timestamp() as t`.execute(store.db)).rows[0]!.t;

export async function runLoad(o: LoadOptions): Promise<LoadReport> {
  const log = o.log ?? (() => undefined);
  let server: PostgresServer | null = null;
  let url = o.db;
  if (!url) {
    log('starting a throwaway PostgreSQL');
    server = await startPostgres();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database tally_load');
    await admin.end();
    url = server.url.replace(/\/postgres$/, '/tally_load');
  }
  const smtp = await startSmtp({ keepRaw: false });
  const savedKey = process.env.TALLY_SECRET_KEY;
  process.env.TALLY_SECRET_KEY = SECRET; // the mailbox passwords are encrypted for the processes' key
  const children: ChildProcess[] = [];
  const store = await openPostgresStore(url);
  try {
    log(`seeding ${fmt(o.workspaces)} workspaces × ${fmt(o.reps)} reps × ${fmt(o.prospects)} prospects`);
    const s0 = performance.now();
    const reps = await seed(store, o, NOW, smtp.port, (w) => w % 10 === 0 && log(`${w} of ${o.workspaces} workspaces seeded`));
    await sql`vacuum analyze`.execute(store.db);
    const seedSeconds = (performance.now() - s0) / 1000;

    log(`starting ${o.servers} server(s) and ${o.workers} worker(s)`);
    const servers = Array.from({ length: o.servers }, () => tally(['serve', '--db', url, '--port', '0', '--no-jobs'], 'Tally is serving'));
    const every = String(o.every);
    const workers = Array.from({ length: o.workers }, () => tally(['worker', '--db', url, '--tick-every', every, '--send-every', every, '--poll', '0.5'], 'worker ready'));
    children.push(...servers.map((s) => s.child), ...workers.map((w) => w.child));
    const [urls] = await Promise.all([Promise.all(servers.map(async (s) => address(await s.ready))), Promise.all(workers.map((w) => w.ready))]);

    log(`load: ${o.clients} clients over ${o.servers} server(s) for ${o.seconds} s`);
    const from = await dbNow(store);
    const t0 = performance.now();
    const endpoints = await runMix(urls, reps, o.clients, t0 + o.seconds * 1000);
    const seconds = (performance.now() - t0) / 1000;
    const to = await dbNow(store);
    const loadAverage = loadavg();
    const gone = children.filter((c) => c.exitCode !== null || c.signalCode !== null).length;
    if (gone) throw new Error(`${gone} server or worker process(es) exited during the run`);
    const jobs = await Promise.all(JOB_KINDS.map((k) => jobFigures(store, k, from, to)));
    return { options: o, machine: machine(), seedSeconds, seconds, endpoints, jobs, mailsReceived: smtp.received.size, mailsDuplicated: [...smtp.received.values()].filter((n) => n > 1).length, loadAverage };
  } finally {
    await stopProcesses(children);
    await store.close();
    await smtp.stop();
    if (savedKey === undefined) delete process.env.TALLY_SECRET_KEY;
    else process.env.TALLY_SECRET_KEY = savedKey;
    server?.stop();
  }
}

/** The address a `tally serve --port 0` chose, from its start-up line. */
function address(output: string): string {
  const m = /Tally is serving \S+ on (http:\/\/\S+)/.exec(output);
  if (!m) throw new Error(`tally serve printed no address: ${output.slice(-500)}`);
  return m[1]!;
}

function machine(): string {
  const c = cpus();
  return `${c.length} × ${c[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}`;
}

const ms = (sorted: number[], p: number) => (sorted.length ? `${fmt(percentile(sorted, p), 1)} ms` : '–');

/** The report as lines, for a terminal and for docs/scale.md. */
export function reportLines(r: LoadReport): string[] {
  const o = r.options;
  const lines = [
    `${o.workspaces} workspaces × ${o.reps} reps × ${o.prospects} prospects (${fmt(o.workspaces * o.reps * o.prospects)} prospects and enrollments), seeded in ${fmt(r.seedSeconds, 1)} s`,
    `${o.servers} \`tally serve --no-jobs\`, ${o.workers} \`tally worker\` (tick and send every ${o.every} s), ${o.clients} HTTP clients, ${fmt(r.seconds, 1)} s, on ${r.machine}; load average at the end ${r.loadAverage.map((l) => fmt(l, 1)).join(' ')}`,
  ];
  for (const e of r.endpoints) {
    lines.push(`${e.name}: ${fmt(e.latencies.length / r.seconds, 1)} requests/s (${fmt(e.latencies.length)}), p50 ${ms(e.latencies, 50)}, p99 ${ms(e.latencies, 99)}${e.failed ? `, ${fmt(e.failed)} FAILED (${e.failures.join(' | ')})` : ''}`);
  }
  for (const j of r.jobs) {
    lines.push(`job ${j.kind}: ${fmt(j.completed / r.seconds, 1)} jobs/s (${fmt(j.completed)}), run p50 ${ms(j.durations, 50)}, p99 ${ms(j.durations, 99)}; queued p99 ${ms(j.waits, 99)}${j.failed ? `, ${fmt(j.failed)} FAILED` : ''}`);
  }
  lines.push(`mails received by the SMTP sink since the workers started: ${fmt(r.mailsReceived)}${r.mailsDuplicated ? `, ${fmt(r.mailsDuplicated)} MORE THAN ONCE` : ', each once'}`);
  return lines;
}
