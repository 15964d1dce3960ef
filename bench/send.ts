// Sending throughput through the outbox (plan due email steps with guardrails, render, queue in one
// transaction, send over SMTP, log each as a touch) to a loopback smtp-server, against raw pooled
// nodemailer sends of the same mails to the same server in the same run.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { openContext } from '../src/app/context.ts';
import { initWorkspace } from '../src/app/workspace.ts';
import { saveCadence } from '../src/app/cadences.ts';
import { enroll } from '../src/app/enrollments.ts';
import { saveMailbox } from '../src/app/mailboxes.ts';
import { planDueEmails, queuePlanned } from '../src/app/outbox/render.ts';
import { sendQueued } from '../src/app/outbox/send.ts';
import { openSqliteStore } from '../src/store/store.ts';
import { insertOneCompanyProspects } from './fixtures.ts';
import { dataDir, fmt, log, type BenchResult } from './lib.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';

async function startServer(): Promise<{ port: number; received: () => number; stop: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    maxClients: 64,
    onData(stream, _session, cb) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.server.address() as AddressInfo).port, received: () => received, stop: () => new Promise((r) => server.close(() => r())) };
}

/** SMTP connections, for the raw baseline and the outbox alike (loopback smtp-server answers each in ~12 ms). */
const CONNECTIONS = 8;

export async function benchSend(n = 2000): Promise<BenchResult> {
  const dir = mkdtempSync(join(dataDir(), 'send-'));
  const server = await startServer();
  const savedKey = process.env.TALLY_SECRET_KEY;
  process.env.TALLY_SECRET_KEY = 'bench key';
  const now = Date.UTC(2026, 10, 23, 14, 0); // a Monday, inside the email window
  try {
    const store = await openSqliteStore(join(dir, 'send.db'));
    await initWorkspace(runtimeFor(store), { timezone: 'UTC' }, now);
    const ctx = await openContext(runtimeFor(store), { now: () => now });
    await saveCadence(ctx, {
      name: 'Bench mail',
      steps: [
        { channel: 'email', delay: { amount: 0, unit: 'business_days' }, name: 'Hello', subject: 'Hello {{first_name}}', template: 'Hi {{first_name}},\n\nA benchmark of peers for {{company}}.\n\n{{sender_name}}', reason: 'a benchmark of peers', talkingPoints: [], sending: 'automatic' },
        { channel: 'email', delay: { amount: 2, unit: 'business_days' }, name: 'Again', template: 'Hi again {{first_name}}.', reason: 'more', talkingPoints: [], sending: 'automatic' },
      ],
    });
    log(`${fmt(n)} prospects`);
    const ids = await insertOneCompanyProspects(ctx, n, now);
    await enroll(ctx, ids, 'Bench mail');
    await saveMailbox(ctx, { smtpHost: '127.0.0.1', smtpPort: server.port, smtpTls: 'none', user: '', password: 'unused', fromAddress: 'rep@bench.example', dailyLimit: 10 * n, minSpacingSeconds: 0, warmup: false });

    // Baseline: raw pooled nodemailer, same concurrency, mails of the same size.
    const mails = (await planDueEmails(ctx)).items.map((p) => p.mail!);
    log(`baseline: ${fmt(n)} raw nodemailer sends (pool of ${CONNECTIONS})`);
    const raw = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
    const r0 = performance.now();
    await Promise.all(
      mails.map((m, i) =>
        raw.sendMail({ from: { name: 'Rep', address: 'rep@bench.example' }, to: `p${i}@c${i}.example`, subject: m.subject, text: m.text, html: m.html ?? undefined, headers: m.headers, messageId: `<raw.${i}@bench.example>` }),
      ),
    );
    const rawMs = performance.now() - r0;
    raw.close();

    log(`outbox: plan + render + queue ${fmt(n)} mails`);
    const q0 = performance.now();
    const plan = await planDueEmails(ctx);
    const queued = await queuePlanned(ctx, plan);
    const queueMs = performance.now() - q0;
    log(`outbox: send ${fmt(queued)} mails and log the touches`);
    const s0 = performance.now();
    const report = await sendQueued(ctx, plan.mailbox, { concurrency: CONNECTIONS });
    const sendMs = performance.now() - s0;
    if (report.sent !== n) throw new Error(`sent ${report.sent} of ${n}`);
    const touches = await store.db.selectFrom('touches').select((eb) => eb.fn.countAll<number>().as('c')).executeTakeFirstOrThrow();
    if (Number(touches.c) !== n) throw new Error(`logged ${touches.c} touches for ${n} mails`);
    await store.close();

    const rawRate = n / (rawMs / 1000);
    const outboxRate = n / ((queueMs + sendMs) / 1000);
    const sendRate = n / (sendMs / 1000);
    return {
      name: 'send',
      lines: [
        `raw nodemailer (pooled, ${CONNECTIONS} connections) to a loopback smtp-server: ${fmt(rawRate)} mails/s (${fmt(n)} mails in ${fmt(rawMs)} ms)`,
        `through the outbox: ${fmt(outboxRate)} mails/s end to end (plan with guardrails + render + queue ${fmt(queueMs)} ms, send + touch ${fmt(sendMs)} ms; sending alone ${fmt(sendRate)} mails/s)`,
        `ratio outbox / raw: ${fmt(outboxRate / rawRate, 2)} (target ≥ 200 mails/s through the outbox)`,
      ],
      results: { raw_per_s: rawRate, outbox_per_s: outboxRate, outbox_send_only_per_s: sendRate, ratio: outboxRate / rawRate, queue_ms: queueMs, send_ms: sendMs },
    };
  } finally {
    if (savedKey === undefined) delete process.env.TALLY_SECRET_KEY;
    else process.env.TALLY_SECRET_KEY = savedKey;
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
