// The pg-boss runner and `tally worker` on a real PostgreSQL server: a key never runs twice at
// once (queue policy and advisory lock, across two runners and against duplicate deliveries); a
// spawned worker sends due mail to a loopback SMTP server, serves /metrics and /readyz, stops on
// SIGTERM with exit 0 and no job left active; it exits non-zero when its database goes away; and
// it refuses SQLite.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobKind } from '../../src/jobs/catalogue.ts';
import { AdvisoryLocks } from '../../src/jobs/locks.ts';
import { PgBossRunner, queueName } from '../../src/jobs/pg-boss.ts';
import { createLogger } from '../../src/observability/log.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { runCli } from '../helpers/cli.ts';
import { freePort } from '../helpers/dovecot.ts';
import { createTestDatabase, postgresServerUrl } from '../helpers/postgres.ts';
import { startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { logCapture, waitFor } from './helpers.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const NOW = '2026-03-02T14:00:00Z';
const SECRET = 'worker-test-secret-key';
const MAIL_PW = 'smtp-secret-pw';
const USER = 'rep@tally.test';
const BIN = join(import.meta.dirname, '../../bin/tally.js');

let url: string;
let store: Store;
let smtp: SmtpCapture;
const dir = tempDir();

async function tally(...args: string[]): Promise<string> {
  const r = await runCli(args, { db: url, env: { TALLY_NOW: NOW, TALLY_SECRET_KEY: SECRET, TALLY_TEST_MAIL_PW: MAIL_PW } });
  if (r.code !== 0) throw new Error(`tally ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  url = await createTestDatabase();
  smtp = await startSmtp({ user: USER, password: MAIL_PW });
  await tally('init', '--timezone', 'UTC', '--email', 'sam@tally.test', '--user-name', 'Sam');
  await tally('import', 'prospects', writeFile(dir, 'people.csv', 'email,first_name,company\namy@acme.example,Amy,Acme\nben@globex.example,Ben,Globex\ncal@initech.example,Cal,Initech\n'));
  await tally('cadence', 'add', writeFile(dir, 'c.yaml', 'name: W\nsteps:\n  - channel: email\n    delay: 0\n    subject: "Hi {{first_name}}"\n    template: "Hi {{first_name}} at {{company}}."\n    reason: a benchmark\n    sending: automatic\n  - channel: call\n    delay: 2\n    value_item: a call\n'));
  await tally('enroll', '--unenrolled', '--cadence', 'W');
  await tally('mailbox', 'add', '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none', '--user', USER, '--from', USER, '--min-spacing', '0', '--password-env', 'TALLY_TEST_MAIL_PW');
  store = await openStore(url);
}, 180_000);

afterAll(async () => {
  await store?.close();
  await smtp?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('exclusivity', () => {
  it('the advisory lock admits one holder per key, across connections', async () => {
    const a = new AdvisoryLocks(url, 2);
    const b = new AdvisoryLocks(url, 2);
    let release!: () => void;
    const held = a.withLock('send', 7, () => new Promise<void>((r) => (release = r)));
    await waitFor('the first holder', () => release !== undefined);
    await sleep(100);
    expect(await b.withLock('send', 7, async () => 'second')).toEqual({ acquired: false });
    expect(await b.withLock('send', 8, async () => 'other key')).toEqual({ acquired: true, value: 'other key' });
    expect(await b.withLock('sync', 7, async () => 'other kind')).toEqual({ acquired: true, value: 'other kind' });
    release();
    await held;
    expect(await b.withLock('send', 7, async () => 'after')).toEqual({ acquired: true, value: 'after' });
    await Promise.all([a.close(), b.close()]);
  });

  it('two pg-boss runners never run the same key at once, even when jobs are delivered twice', async () => {
    const running = new Map<number, number>();
    let overlap = 0;
    const done: number[] = [];
    const probe: JobKind = {
      name: 'probe',
      everySeconds: 1,
      targets: async () => [1, 2],
      async run(_env, id) {
        const n = (running.get(id) ?? 0) + 1;
        running.set(id, n);
        if (n > 1) overlap++;
        await sleep(300);
        running.set(id, (running.get(id) ?? 1) - 1);
        done.push(id);
        return { id };
      },
    };
    const logs = logCapture();
    const make = () => {
      const metrics = new Metrics(store);
      const runner = new PgBossRunner({ url, runtime: runtimeFor(store), log: createLogger({ name: 'test', destination: logs.stream }), metrics, kinds: [probe], concurrency: 3, pollSeconds: 0.5 });
      return { runner, metrics };
    };
    const a = make();
    const b = make();
    const runs = async (outcome: string) => {
      let n = 0;
      for (const m of [a.metrics, b.metrics]) n += (await m.jobRuns.get()).values.filter((v) => v.labels.outcome === outcome).reduce((s, v) => s + v.value, 0);
      return n;
    };
    // A run of key 1 that is still going somewhere (another machine, or pg-boss's first delivery of
    // a job it has since expired): its lock is held outside both runners.
    const elsewhere = new AdvisoryLocks(url, 1);
    let release!: () => void;
    const held = elsewhere.withLock('probe', 1, () => new Promise<void>((r) => (release = r)));
    await waitFor('the outside run', () => release !== undefined);
    await Promise.all([a.runner.start(), b.runner.start()]);
    // More jobs for key 1 than the throttle would ever let in: what a redelivery looks like.
    for (let i = 0; i < 4; i++) await a.runner.boss.send(queueName(probe), { id: 1 });
    await waitFor('the deliveries of key 1 to be skipped', async () => (await runs('skipped')) >= 4, 60_000);
    expect(done.filter((x) => x === 1)).toEqual([]);
    release();
    await held;
    await waitFor('runs of both keys', () => done.filter((x) => x === 1).length >= 2 && done.filter((x) => x === 2).length >= 2, 60_000);
    await Promise.all([a.runner.stop({ timeoutMs: 5_000 }), b.runner.stop({ timeoutMs: 5_000 }), elsewhere.close()]);
    expect(overlap).toBe(0);
    expect(await runs('ok')).toBe(done.length);
  }, 90_000);
});

function spawnWorker(dbUrl: string, args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'worker', ...args], {
    env: { ...process.env, TALLY_DATABASE_URL: dbUrl, TALLY_SECRET_KEY: SECRET, TALLY_NOW: NOW, TALLY_LOG_LEVEL: 'info' },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, out: () => out, exited };
}

describe('tally worker', () => {
  it('sends due mail, serves metrics, and on SIGTERM stops cleanly with no job left active', async () => {
    const port = await freePort();
    const w = spawnWorker(url, ['--send-every', '1', '--tick-every', '1', '--concurrency', '2', '--poll', '0.5', '--metrics-port', String(port)]);
    try {
      await waitFor('worker ready', () => w.out().includes('worker ready'), 120_000);
      await waitFor('three mails at the SMTP server', () => smtp.mails.length === 3, 60_000);
      await waitFor('the touches', async () => Number((await sql<{ n: number }>`select count(*)::int as n from touches where outcome = 'sent'`.execute(store.db)).rows[0]!.n) === 3, 30_000);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, checks: { jobs: 'pg-boss, scheduling, consuming' } });
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/^tally_mails_total\{outcome="sent"\} 3$/m);
      expect(text).toMatch(/^tally_job_runs_total\{kind="tick",outcome="ok"\} \d+$/m);
      expect(text).toContain('# TYPE tally_job_queue gauge');
    } finally {
      w.child.kill('SIGTERM');
    }
    expect(await w.exited).toBe(0);
    expect(w.out()).toContain('"msg":"worker stopped"');
    expect(w.out()).not.toContain(MAIL_PW);
    expect(w.out()).not.toContain(SECRET);
    const active = await sql<{ n: number }>`select count(*)::int as n from pgboss.job where state = 'active'`.execute(store.db);
    expect(active.rows[0]!.n).toBe(0);
    expect(smtp.mails).toHaveLength(3);
  }, 240_000);

  it('exits non-zero when its database goes away, instead of polling forever', async () => {
    const lostUrl = await createTestDatabase();
    const w = spawnWorker(lostUrl, ['--send-every', '1', '--poll', '0.5']);
    await waitFor('worker ready', () => w.out().includes('worker ready'), 120_000);
    const admin = new pg.Client({ connectionString: postgresServerUrl() });
    await admin.connect();
    await admin.query(`drop database ${new URL(lostUrl).pathname.slice(1)} with (force)`);
    await admin.end();
    expect(await w.exited).toBe(1);
    expect(w.out()).toContain('lost the database');
  }, 240_000);

  it('refuses a SQLite file: the jobs run inside tally serve there', async () => {
    const r = await runCli(['worker'], { db: join(dir, 'laptop.db') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('tally worker needs PostgreSQL');
  });
});
