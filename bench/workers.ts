// Scheduler and send throughput with 1, 2 and 4 `tally worker` processes on PostgreSQL. Jobs are
// keyed per workspace (tick) and per mailbox (send) and a key never runs twice at once, so the
// work is spread over WORKSPACES workspaces, each with its own rep, mailbox and due email
// enrollments. Every run starts from the same database (cloned from a template), the workers
// only consume (--no-schedule), and this process enqueues one send job per mailbox once they are
// all ready, then one tick job per workspace once every mail arrived. The ratio is against 1 worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { openContext, type Context } from '../src/app/context.ts';
import { initWorkspace } from '../src/app/workspace.ts';
import { saveCadence } from '../src/app/cadences.ts';
import { enroll } from '../src/app/enrollments.ts';
import { saveMailbox } from '../src/app/mailboxes.ts';
import { sendJob, tickJob } from '../src/jobs/catalogue.ts';
import { PgBossRunner, queueName } from '../src/jobs/pg-boss.ts';
import { createLogger } from '../src/observability/log.ts';
import { openPostgresStore, type Store } from '../src/store/store.ts';
import { startPostgres } from '../test/helpers/postgres-server.ts';
import { startSmtp, type SmtpCapture } from '../test/helpers/smtp.ts';
import { insertOneCompanyProspects } from './fixtures.ts';
import { fmt, log, stopProcesses, type BenchResult } from './lib.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';

const WORKSPACES = 8;
/** Live enrollments per due mail that only the tick sees (a call next week): the tick's work is not all job pick-up. */
const TICK_ONLY = 9;
const WORKER_COUNTS = [1, 2, 4];
/** Job runs at once per kind in each worker (the `tally worker` default). */
const CONCURRENCY = 2;
const POLL_SECONDS = 0.5;
const SECRET = 'workers bench key';
const NOW = Date.UTC(2026, 10, 23, 14, 0); // a Monday, inside the email window
const ROOT = join(import.meta.dirname, '..');
const PHASE_TIMEOUT_MS = 15 * 60_000;
const READY_TIMEOUT_MS = 120_000;

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The template database: WORKSPACES workspaces, each one rep with a mailbox, `perWorkspace` due email enrollments and TICK_ONLY times as many calls due next week. */
async function buildTemplate(store: Store, perWorkspace: number, smtpPort: number): Promise<void> {
  await initWorkspace(runtimeFor(store), { timezone: 'UTC', workspaceName: 'Team 1', userEmail: 'rep1@bench.example' }, NOW);
  const ctxs: Context[] = [await openContext(runtimeFor(store), { now: () => NOW })];
  // The app makes one workspace per database; the jobs serve every workspace the database holds.
  for (let w = 2; w <= WORKSPACES; w++) {
    const workspace = await store.db.insertInto('workspaces').values({ name: `Team ${w}`, timezone: 'UTC', settings: '{}', created_at: NOW }).returningAll().executeTakeFirstOrThrow();
    const user = await store.db
      .insertInto('users')
      .values({ workspace_id: workspace.id, email: `rep${w}@bench.example`, name: `Rep ${w}`, role: 'manager', password_hash: null, timezone: null, created_at: NOW })
      .returningAll()
      .executeTakeFirstOrThrow();
    ctxs.push({ ...ctxs[0]!, workspace, user });
  }
  for (const [w, ctx] of ctxs.entries()) {
    await saveCadence(ctx, {
      name: 'Bench mail',
      steps: [
        { channel: 'email', delay: { amount: 0, unit: 'business_days' }, name: 'Hello', subject: 'Hello {{first_name}}', template: 'Hi {{first_name}},\n\nA benchmark of peers for {{company}}.\n\n{{sender_name}}', reason: 'a benchmark of peers', talkingPoints: [], sending: 'automatic' },
        { channel: 'email', delay: { amount: 2, unit: 'business_days' }, name: 'Again', template: 'Hi again {{first_name}}.', reason: 'more', talkingPoints: [], sending: 'automatic' },
      ],
    });
    await saveCadence(ctx, {
      name: 'Bench calls',
      steps: [{ channel: 'call', delay: { amount: 5, unit: 'business_days' }, name: 'Call', reason: 'a benchmark of peers', talkingPoints: [] }],
    });
    // One company per prospect: the per-company daily cap never holds a mail back.
    const people = perWorkspace * (1 + TICK_ONLY);
    const ids = await insertOneCompanyProspects(ctx, people, NOW, `w${w}`);
    await enroll(ctx, ids.slice(0, perWorkspace), 'Bench mail');
    await enroll(ctx, ids.slice(perWorkspace), 'Bench calls');
    await saveMailbox(ctx, { smtpHost: '127.0.0.1', smtpPort, smtpTls: 'none', user: '', password: 'unused', fromAddress: `rep${w + 1}@bench.example`, dailyLimit: 10 * perWorkspace, minSpacingSeconds: 0, warmup: false });
  }
}

function startWorker(url: string): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['bin/tally.js', 'worker', '--db', url, '--no-schedule', '--concurrency', String(CONCURRENCY), '--poll', String(POLL_SECONDS)], {
    cwd: ROOT,
    env: { ...process.env, TALLY_SECRET_KEY: SECRET, TALLY_NOW: new Date(NOW).toISOString(), TALLY_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let isReady = false;
  let err = '';
  const ready = new Promise<void>((resolve, reject) => {
    // The ready line is logged at info; the rest (job lines) is drained so the pipe never blocks the worker.
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      if (isReady) return;
      out = (out + d).slice(-4000);
      if (out.includes('worker ready')) {
        isReady = true;
        resolve();
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
    child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it was ready: ${err.trim() || out.slice(-2000)}`)));
    setTimeout(() => reject(new Error(`a worker did not say "worker ready" within ${READY_TIMEOUT_MS / 1000} s: ${err.trim() || out.slice(-2000)}`)), READY_TIMEOUT_MS).unref();
  });
  return { child, ready };
}


/** Polls `done` until it is true; `failed` names a reason to give up early. */
async function until(what: string, done: () => Promise<boolean> | boolean, failed: () => Promise<string | null>): Promise<void> {
  const t = performance.now();
  for (let i = 0; ; i++) {
    if (await done()) return;
    if (i % 10 === 0) {
      const why = await failed();
      if (why) throw new Error(`${what}: ${why}`);
    }
    if (performance.now() - t > PHASE_TIMEOUT_MS) throw new Error(`${what}: not done after ${PHASE_TIMEOUT_MS / 60_000} min`);
    await delay(50);
  }
}

interface RunFigures {
  workers: number;
  sendMs: number;
  tickMs: number;
  checked: number;
}

async function runWith(workers: number, url: string, smtp: SmtpCapture, mails: number): Promise<RunFigures> {
  const store = await openPostgresStore(url);
  const started = Array.from({ length: workers }, () => startWorker(url));
  const children = started.map((s) => s.child);
  const enqueuer = new PgBossRunner({ url, runtime: runtimeFor(store), log: createLogger({ name: 'bench', level: 'warn' }), schedule: false, consume: false, intervals: { send: 3600, tick: 3600, sync: 3600 } });
  try {
    await Promise.all(started.map((s) => s.ready));
    await enqueuer.start();
    smtp.received.clear();
    const failedJobs = async (kind: string) => {
      const gone = children.filter((c) => c.exitCode !== null || c.signalCode !== null).length;
      if (gone) return `${gone} worker(s) exited during the run`;
      const r = await pgCount(store, queueName(kind), 'failed');
      return r ? `${r} ${kind} job(s) failed (see the worker log: TALLY_LOG_LEVEL=info)` : null;
    };

    log(`${workers} worker${workers === 1 ? '' : 's'}: sending ${fmt(mails)} mails from ${WORKSPACES} mailboxes`);
    const s0 = performance.now();
    const offer = async (kind: typeof sendJob) => {
      // enqueue() logs and swallows its errors (a scheduler must keep going); here a missing job is fatal.
      const n = await enqueuer.enqueue(kind);
      if (n !== WORKSPACES) throw new Error(`enqueued ${n} ${kind.name} jobs instead of ${WORKSPACES}`);
    };
    await offer(sendJob);
    await until('sends', () => smtp.received.size >= mails, () => failedJobs('send'));
    const sendMs = performance.now() - s0;
    const dupes = [...smtp.received.values()].filter((n) => n > 1).length;
    if (dupes) throw new Error(`${dupes} mails arrived more than once`);

    log(`${workers} worker${workers === 1 ? '' : 's'}: ticking ${WORKSPACES} workspaces`);
    const t0 = performance.now();
    await offer(tickJob);
    await until('ticks', async () => (await pgCount(store, queueName(tickJob), 'completed')) >= WORKSPACES, () => failedJobs('tick'));
    const tickMs = performance.now() - t0;
    const live = await store.db.selectFrom('enrollments').select((eb) => eb.fn.countAll<number>().as('n')).where('status', 'in', ['active', 'snoozed']).executeTakeFirstOrThrow();
    return { workers, sendMs, tickMs, checked: Number(live.n) };
  } finally {
    await enqueuer.stop({ timeoutMs: 1000 }).catch(() => undefined);
    await stopProcesses(children);
    await store.close();
  }
}

/** Jobs of one queue in one state, from pg-boss's own table. */
async function pgCount(store: Store, queue: string, state: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where name = ${queue} and state = ${state}::pgboss.job_state`.execute(store.db);
  return Number(rows[0]?.n ?? 0);
}

export async function benchWorkers(mails = 4_000): Promise<BenchResult> {
  const perWorkspace = Math.max(1, Math.round(mails / WORKSPACES));
  const total = perWorkspace * WORKSPACES;
  log('starting a throwaway PostgreSQL and a loopback SMTP server');
  const server = await startPostgres();
  const smtp = await startSmtp({ keepRaw: false });
  const savedKey = process.env.TALLY_SECRET_KEY;
  process.env.TALLY_SECRET_KEY = SECRET; // the mailbox passwords are encrypted for the workers' key
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database tally_template');
    const urlOf = (db: string) => server.url.replace(/\/postgres$/, `/${db}`);
    log(`template: ${WORKSPACES} workspaces × ${fmt(perWorkspace)} due email enrollments + ${fmt(perWorkspace * TICK_ONLY)} calls`);
    const tpl = await openPostgresStore(urlOf('tally_template'));
    try {
      await buildTemplate(tpl, perWorkspace, smtp.port);
    } finally {
      await tpl.close();
    }

    const runs: RunFigures[] = [];
    for (const workers of WORKER_COUNTS) {
      const db = `tally_w${workers}`;
      await admin.query(`create database ${db} template tally_template`);
      runs.push(await runWith(workers, urlOf(db), smtp, total));
    }
    await admin.end();

    const one = runs[0]!;
    const rate = (r: RunFigures) => ({ send: total / (r.sendMs / 1000), tick: r.checked / (r.tickMs / 1000) });
    const base = rate(one);
    const describe = (kind: 'send' | 'tick', unit: string) =>
      runs.map((r) => `${r.workers} worker${r.workers === 1 ? '' : 's'} ${fmt(rate(r)[kind])} ${unit} (${fmt((kind === 'send' ? r.sendMs : r.tickMs) / 1000, 1)} s)`).join(', ');
    const scaling = (kind: 'send' | 'tick') => runs.slice(1).map((r) => `${r.workers}/1 ${fmt(rate(r)[kind] / base[kind], 2)}×`).join(', ');
    return {
      name: 'workers',
      lines: [
        `setup: PostgreSQL, ${WORKSPACES} workspaces each with one mailbox, ${fmt(perWorkspace)} due email enrollments and ${fmt(perWorkspace * TICK_ONLY)} calls due next week; \`tally worker --no-schedule --concurrency ${CONCURRENCY} --poll ${POLL_SECONDS}\`; one job per mailbox (send) and per workspace (tick) enqueued once all workers are ready`,
        `send throughput (${fmt(total)} mails to a loopback SMTP server, each received exactly once by Message-ID): ${describe('send', 'mails/s')}`,
        `scaling vs 1 worker, sends: ${scaling('send')}`,
        `scheduler tick throughput (${fmt(one.checked)} live enrollments over ${WORKSPACES} workspaces): ${describe('tick', 'enrollments/s')}`,
        `scaling vs 1 worker, ticks: ${scaling('tick')}`,
      ],
      results: Object.fromEntries(runs.flatMap((r) => [[`send${r.workers}PerSec`, rate(r).send], [`tick${r.workers}PerSec`, rate(r).tick]])),
    };
  } finally {
    if (savedKey === undefined) delete process.env.TALLY_SECRET_KEY;
    else process.env.TALLY_SECRET_KEY = savedKey;
    await smtp.stop();
    server.stop();
  }
}
