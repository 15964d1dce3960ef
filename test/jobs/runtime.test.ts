// The in-process job runner on SQLite, over real servers on loopback: the scheduler tick, sends to
// an SMTP server and syncs from Dovecot happen by themselves on their intervals; failures are
// logged and counted, never thrown; /healthz, /readyz and /metrics answer over HTTP; and a spawned
// `tally serve` stops cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../src/api/server.ts';
import type { JobKind } from '../../src/jobs/catalogue.ts';
import { InProcessRunner } from '../../src/jobs/runner.ts';
import { createLogger } from '../../src/observability/log.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { TallyCli } from '../helpers/cli.ts';
import { count, query } from '../helpers/db.ts';
import { freePort, startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { logCapture, waitFor } from './helpers.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const PASSWORD = 'imap-secret-pw';
const USER = 'rep@tally.test';
const NOW = Date.parse('2026-03-02T14:00:00Z'); // a Monday, inside the email window

const CADENCE = `name: Job test
steps:
  - channel: email
    delay: 0
    name: Opener
    subject: "Hello {{first_name}}"
    template: "Hi {{first_name}}, a benchmark for {{company}}."
    reason: a benchmark
    sending: automatic
  - channel: call
    delay: 2
    value_item: the benchmark walked through
`;

const PEOPLE = `email,first_name,last_name,company
amy@acme.example,Amy,Adams,Acme
ben@globex.example,Ben,Brown,Globex
cal@initech.example,Cal,Cole,Initech
`;

let smtp: SmtpCapture;
let imap: DovecotServer;
let cli: TallyCli;
let store: Store;
const dir = tempDir();
const id: Record<string, number> = {};

beforeAll(async () => {
  [smtp, imap] = await Promise.all([startSmtp({ user: USER, password: PASSWORD }), startDovecot({ user: USER, password: PASSWORD })]);
  process.env.TALLY_TEST_JOB_PW = PASSWORD;
  cli = new TallyCli(join(dir, 'jobs.db'), new Date(NOW).toISOString());
  await cli.ok('init', '--timezone', 'UTC', '--email', 'sam@tally.test', '--user-name', 'Sam');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', PEOPLE));
  await cli.ok('cadence', 'add', writeFile(dir, 'jobs.yaml', CADENCE));
  for (const r of query<{ id: number; email: string }>(cli.db, 'select id, email from prospects')) id[r.email.split('@')[0]!] = r.id;
  await cli.ok('enroll', ...Object.values(id).map(String), '--cadence', 'Job test');
  await cli.ok(
    'mailbox', 'add',
    '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none',
    '--imap-host', imap.host, '--imap-port', String(imap.port), '--imap-tls', 'none',
    '--user', USER, '--from', USER, '--min-spacing', '0', '--password-env', 'TALLY_TEST_JOB_PW',
  );
  store = await openStore(cli.db);
}, 120_000);

afterAll(async () => {
  await store?.close();
  await Promise.all([smtp?.stop(), imap?.stop()]);
});

async function deliver(raw: string): Promise<void> {
  const c = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
  await c.connect();
  await c.append('INBOX', Buffer.from(raw, 'utf8'));
  await c.logout();
}

const enrollment = (who: string) => query<{ status: string; step_index: number }>(cli.db, 'select status, step_index from enrollments where prospect_id = ?', id[who])[0]!;

describe('the in-process runner on SQLite', () => {
  let runner: InProcessRunner;
  let metrics: Metrics;
  const logs = logCapture();
  let app: FastifyInstance;
  let base: string;

  it('sends due mail, ticks and syncs replies on its intervals, with no command run', async () => {
    metrics = new Metrics(store, () => NOW);
    runner = new InProcessRunner({ runtime: runtimeFor(store, { now: () => NOW }), log: createLogger({ name: 'test', destination: logs.stream, level: 'debug' }), metrics, intervals: { tick: 0.2, send: 0.2, sync: 0.3 } });
    metrics.attach(runner);
    await runner.start();
    await waitFor('three mails at the SMTP server', () => smtp.mails.length === 3);
    // The SMTP server has the mail a moment before the sender logs the touch.
    await waitFor('the three touches', () => count(cli.db, 'touches', "channel = 'email' and outcome = 'sent'") === 3);
    expect(enrollment('amy')).toMatchObject({ status: 'active', step_index: 1 });

    // Amy answers the opener: the next sync stops her cadence.
    const opener = query<{ message_id: string }>(cli.db, 'select message_id from outbox where prospect_id = ?', id.amy)[0]!.message_id;
    await deliver(
      `From: Amy Adams <amy@acme.example>\r\nTo: ${USER}\r\nSubject: Re: Hello Amy\r\nMessage-ID: <amy-reply-1@acme.example>\r\nIn-Reply-To: ${opener}\r\nReferences: ${opener}\r\nDate: Mon, 02 Mar 2026 15:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSounds good, let's talk Thursday.\r\n`,
    );
    await waitFor("Amy's reply to be applied", () => enrollment('amy').status === 'replied');
    await waitFor('a few ticks', async () => (await metrics.jobRuns.get()).values.some((v) => v.labels.kind === 'tick' && v.labels.outcome === 'ok' && v.value >= 3));
    // Nothing is sent twice however many send runs happened.
    expect(smtp.mails).toHaveLength(3);

    const lines = logs.lines();
    for (const kind of ['tick', 'send', 'sync']) expect(lines.some((l) => l.job === kind && l.msg === 'job done')).toBe(true);
    expect(logs.text()).not.toContain(PASSWORD);
  });

  it('reports its metrics and readiness over HTTP', async () => {
    app = await buildServer({ runtime: runtimeFor(store, { now: () => NOW }), database: store, webDir: false, health: { metrics, jobs: () => runner.status() } });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { database: 'ok', migrations: 'ok', jobs: 'in-process, scheduling, consuming' } });

    const res = await fetch(`${base}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^tally_mails_total\{outcome="sent"\} 3$/m);
    expect(text).toMatch(/^tally_job_runs_total\{kind="send",outcome="ok"\} \d+$/m);
    expect(text).toMatch(/^tally_job_runs_total\{kind="sync",outcome="ok"\} \d+$/m);
    expect(text).toMatch(/^tally_job_duration_seconds_count\{kind="tick"\} \d+$/m);
    expect(text).toMatch(/^tally_outbox\{status="queued"\} 0$/m);
    expect(text).toMatch(/^tally_due_enrollments \d+$/m);
    const lag = Number(/^tally_sync_lag_seconds\{mailbox="\d+"\} ([\d.e+-]+)$/m.exec(text)?.[1]);
    expect(lag).toBeLessThan(5);
  });

  it('is not ready once the runner has stopped, nor when the database is gone', async () => {
    await runner.stop({ timeoutMs: 5_000 });
    expect(runner.status()).toMatchObject({ started: false, running: 0 });
    const r = await fetch(`${base}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ ready: false, error: { code: 'not_ready', message: 'job runner not started' }, checks: { database: 'ok', jobs: 'not started' } });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    await app.close();

    const gone = await openStore(join(dir, 'gone.db'));
    const app2 = await buildServer({ runtime: runtimeFor(gone), database: gone, webDir: false });
    await gone.close();
    const base2 = await app2.listen({ port: 0, host: '127.0.0.1' });
    const r2 = await fetch(`${base2}/readyz`);
    expect(r2.status).toBe(503);
    expect(((await r2.json()) as { error: { message: string } }).error.message).toMatch(/^database unreachable: /);
    await app2.close();
  });

  it('logs and counts a failing job without throwing, and keeps running the others', async () => {
    const runs: number[] = [];
    const broken: JobKind = { name: 'broken', everySeconds: 0.05, targets: async () => [1], run: async () => { throw new Error('SMTP said no'); } };
    const fine: JobKind = { name: 'fine', everySeconds: 0.05, targets: async () => [1, 2], run: async (_env, target) => (runs.push(target), { ok: 1 }) };
    const m = new Metrics(store);
    const log = logCapture();
    const r = new InProcessRunner({ runtime: runtimeFor(store), log: createLogger({ name: 'test', destination: log.stream }), metrics: m, kinds: [broken, fine] });
    await r.start();
    await waitFor('runs of both kinds', () => runs.length >= 6 && log.lines().filter((l) => l.msg === 'job failed').length >= 3);
    await r.stop();
    const failed = log.lines().find((l) => l.msg === 'job failed')!;
    expect(failed).toMatchObject({ level: 50, job: 'broken', target: 1 });
    expect(JSON.stringify(failed)).toContain('SMTP said no');
    const values = (await m.jobRuns.get()).values;
    expect(values.find((v) => v.labels.kind === 'broken' && v.labels.outcome === 'failed')!.value).toBeGreaterThanOrEqual(3);
    expect(values.find((v) => v.labels.kind === 'fine' && v.labels.outcome === 'ok')!.value).toBeGreaterThanOrEqual(6);
    expect(new Set(runs)).toEqual(new Set([1, 2]));
  });
});

describe('tally serve', () => {
  it('runs the jobs, answers /readyz, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/tally.js'), '--db', cli.db, 'serve', '--port', String(port), '--tick-every', '0.5'], {
      env: { ...process.env, TALLY_NOW: new Date(NOW).toISOString(), TALLY_LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor('the server', () => out.includes('Press Ctrl-C to stop.'), 60_000);
    await waitFor('a scheduled tick', () => out.includes('"job":"tick"'), 10_000);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    const stopping = Date.now();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // As soon as its runs and connections are done: not after the jobs' stop timeout (30 s), nor its exit timer behind that.
    expect(Date.now() - stopping).toBeLessThan(15_000);
    expect(out).toContain('"msg":"server stopping"');
    expect(out).toContain('"msg":"server stopped"');
    expect(out).not.toContain(PASSWORD);
  }, 90_000);
});
