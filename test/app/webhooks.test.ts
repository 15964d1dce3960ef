// Outgoing webhooks against a real HTTP receiver on loopback (node:http) and a real SQLite file:
// the signature checks out, a 500 and a hang past the timeout are retried on the backoff schedule,
// the third try lands exactly once, two deliverers never send one delivery twice, and an event is
// written in the transaction of its touch (a failed transaction leaves neither).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNow } from '../helpers/clock.ts';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/store.ts';
import { openContext, type Context } from '../../src/app/context.ts';
import { logTouch } from '../../src/app/touches.ts';
import { createWebhook, deliverDueWebhooks, listDeliveries, listWebhooks, removeWebhook, testWebhook, verifySignature } from '../../src/app/webhooks.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../../src/core/webhook-events.ts';
import { webhooksJob } from '../../src/jobs/catalogue.ts';
import { InProcessRunner } from '../../src/jobs/runner.ts';
import { createLogger } from '../../src/observability/log.ts';
import { TallyCli } from '../helpers/cli.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const dir = tempDir();
const T0 = Date.parse('2026-03-02T10:00:00Z');
const PEOPLE = `email,first_name,last_name,company
amy@acme.example,Amy,Adams,Acme
ben@acme.example,Ben,Brown,Acme
cal@globex.example,Cal,Cole,Globex
dee@solo.example,Dee,Diaz,
`;
const CADENCE = `name: Quick
steps:
  - { channel: email, delay: 0, name: Hello, value_item: a benchmark }
  - { channel: call, delay: 4h, name: Call, value_item: the benchmark walked through }
`;

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver whose answers are scripted per request: a status, or 'hang' (never answers). */
class Receiver {
  server!: Server;
  url = '';
  received: Received[] = [];
  script: (n: number) => number | 'hang' = () => 200;
  private hanging: ServerResponse[] = [];

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const answer = this.script(this.received.length);
        if (answer === 'hang') this.hanging.push(res);
        else res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'nope');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/tally`;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let cli: TallyCli;
let store: Store;
const receiver = new Receiver();

const ctxAt = (now: number): Promise<Context> => openContext(runtimeFor(store), { now: () => now });
const deliveries = () => store.db.selectFrom('webhook_deliveries').selectAll().orderBy('id').execute();

async function clearHooks(): Promise<void> {
  const ctx = await ctxAt(T0);
  for (const h of await listWebhooks(ctx)) await removeWebhook(ctx, h.id);
  receiver.received = [];
}

beforeAll(async () => {
  cli = new TallyCli(join(dir, 'hooks.db'), '2026-03-02T09:00:00Z');
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example', '--user-name', 'Me');
  // The receiver is on loopback over plain http: the documented way for an internal receiver is the allow-list.
  await cli.ok('settings', 'set', 'webhooks.allowHosts', '127.0.0.1');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', PEOPLE));
  await cli.ok('cadence', 'add', writeFile(dir, 'quick.yaml', CADENCE));
  await cli.ok('enroll', 'amy@acme.example', 'ben@acme.example', 'cal@globex.example', 'dee@solo.example', '--cadence', 'Quick');
  store = await openStore(cli.db);
  await receiver.start();
});

afterAll(async () => {
  await receiver.stop();
  await store?.close();
});

describe('delivery with retries', () => {
  it('signs each try, retries a 500 and a hang on the backoff schedule, and delivers once on the third try', async () => {
    await clearHooks();
    const ctx = await ctxAt(T0);
    const hook = await createWebhook(ctx, { url: receiver.url, events: ['touch.logged'] });
    expect(hook.secret).toMatch(/^whsec_/);
    // The secret is stored encrypted, never as is.
    const stored = await store.db.selectFrom('webhooks').select('secret').where('id', '=', hook.id).executeTakeFirstOrThrow();
    expect(stored.secret).not.toContain(hook.secret);
    const touch = await logTouch(ctx, 'amy@acme.example', { channel: 'email', outcome: 'sent' });

    receiver.script = (n) => (n === 1 ? 500 : n === 2 ? 'hang' : 200);
    const opts = { random: () => 0, timeoutMs: 400 };

    const first = await deliverDueWebhooks(runtimeFor(store), { ...opts, now: T0 });
    expect(first).toMatchObject({ attempted: 1, delivered: 0, retrying: 1, failed: 0 });
    expect(first.results[0]).toMatchObject({ status: 'pending', attempts: 1, statusCode: 500, nextAttemptAt: T0 + RETRY_DELAYS_MS[0]! });

    // Not due yet: nothing is sent a millisecond early.
    expect((await deliverDueWebhooks(runtimeFor(store), { ...opts, now: T0 + 59_999 })).attempted).toBe(0);

    const t1 = T0 + 60_000;
    const second = await deliverDueWebhooks(runtimeFor(store), { ...opts, now: t1 });
    expect(second.results[0]).toMatchObject({ status: 'pending', attempts: 2, statusCode: null, nextAttemptAt: t1 + RETRY_DELAYS_MS[1]! });
    // A hang is 'unreachable' like any failed connection: nothing more about the network is told.
    expect(second.results[0]!.error).toBe('unreachable');

    const t2 = t1 + 5 * 60_000;
    const third = await deliverDueWebhooks(runtimeFor(store), { ...opts, now: t2 });
    expect(third).toMatchObject({ attempted: 1, delivered: 1 });
    expect((await deliverDueWebhooks(runtimeFor(store), { ...opts, now: t2 + 86_400_000 })).attempted).toBe(0);

    const rows = await deliveries();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200, last_error: null, event_type: 'touch.logged' });
    expect(Number(rows[0]!.delivered_at)).toBe(t2);

    // Three requests, the same delivery id and body each time, each signed at its own time.
    expect(receiver.received).toHaveLength(3);
    const sentAt = [T0, t1, t2];
    receiver.received.forEach((r, i) => {
      expect(r.headers['tally-event']).toBe('touch.logged');
      expect(r.headers['tally-delivery']).toBe(String(rows[0]!.id));
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.body).toBe(receiver.received[0]!.body);
      const sig = String(r.headers['tally-signature']);
      const t = Math.floor(sentAt[i]! / 1000);
      // Recomputed here by hand, the way a receiver in any language would.
      const deliveryId = String(r.headers['tally-delivery']);
      const expected = createHmac('sha256', hook.secret).update(`${t}.${deliveryId}.${r.body}`).digest('hex');
      expect(sig).toBe(`t=${t},v1=${expected}`);
      expect(verifySignature(sig, r.body, hook.secret, { now: sentAt[i]!, deliveryId })).toBe(true);
      expect(verifySignature(sig, r.body, 'whsec_wrong', { now: sentAt[i]!, deliveryId })).toBe(false);
      expect(verifySignature(sig, `${r.body} `, hook.secret, { now: sentAt[i]!, deliveryId })).toBe(false);
      // The delivery id is signed too: a forged Tally-Delivery header does not verify.
      expect(verifySignature(sig, r.body, hook.secret, { now: sentAt[i]!, deliveryId: `${deliveryId}9` })).toBe(false);
      // A replay long after is refused.
      expect(verifySignature(sig, r.body, hook.secret, { now: sentAt[i]! + 3_600_000, deliveryId })).toBe(false);
    });
    const event = JSON.parse(receiver.received[0]!.body);
    expect(event).toMatchObject({ type: 'touch.logged', data: { touch: { id: touch.touchId, channel: 'email', outcome: 'sent', step: 1 }, prospect: { email: 'amy@acme.example' }, tally: 1 } });
    expect(event.id).toBe(rows[0]!.event_id);

    const listed = await listDeliveries(ctx, hook.id);
    expect(listed[0]).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, nextAttemptAt: null });
  });

  it('gives up after the last attempt and shows the delivery as failed', async () => {
    await clearHooks();
    const ctx = await ctxAt(T0);
    const hook = await createWebhook(ctx, { url: receiver.url, events: ['touch.logged'] });
    await logTouch(ctx, 'ben@acme.example', { channel: 'email', outcome: 'sent' });
    receiver.script = () => 503;
    let now = T0;
    const tries: number[] = [];
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const r = await deliverDueWebhooks(runtimeFor(store), { now, random: () => 0.5 });
      expect(r.attempted).toBe(1);
      tries.push(now);
      const next = r.results[0]!.nextAttemptAt;
      if (i < MAX_ATTEMPTS - 1) {
        // Jitter adds up to 10%, never less than the schedule.
        const delay = RETRY_DELAYS_MS[i]!;
        expect(next! - now).toBe(delay + Math.floor(delay * 0.1 * 0.5));
        now = next!;
      } else expect(next).toBeNull();
    }
    expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
    const [d] = await listDeliveries(ctx, hook.id);
    expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastStatusCode: 503, lastError: 'the receiver answered 503', nextAttemptAt: null });
    expect((await listWebhooks(ctx))[0]!.deliveries).toEqual({ pending: 0, delivered: 0, failed: 1 });
    expect((await deliverDueWebhooks(runtimeFor(store), { now: now + 7 * 86_400_000 })).attempted).toBe(0);
  });

  it('two deliverers running at once send each delivery once', async () => {
    await clearHooks();
    const ctx = await ctxAt(T0);
    await createWebhook(ctx, { url: receiver.url });
    for (const who of ['cal@globex.example', 'dee@solo.example']) await logTouch(ctx, who, { channel: 'call', outcome: 'no_answer' });
    const pending = (await deliveries()).length;
    expect(pending).toBe(2);
    receiver.script = () => 200;
    const other = await openStore(cli.db);
    try {
      const runs = await Promise.all([deliverDueWebhooks(runtimeFor(store), { now: T0 }), deliverDueWebhooks(runtimeFor(other), { now: T0 }), deliverDueWebhooks(runtimeFor(store), { now: T0 })]);
      expect(runs.reduce((n, r) => n + r.delivered, 0)).toBe(2);
    } finally {
      await other.close();
    }
    expect(receiver.received).toHaveLength(2);
    expect(new Set(receiver.received.map((r) => r.headers['tally-delivery'])).size).toBe(2);
  });
});

describe('events in the transaction of their change', () => {
  it('a failing transaction leaves neither the touch nor its event; a good one leaves both', async () => {
    await clearHooks();
    const ctx = await ctxAt(T0);
    await createWebhook(ctx, { url: receiver.url });
    const count = async () => ({
      touches: Number((await store.db.selectFrom('touches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
      deliveries: (await deliveries()).length,
    });
    const before = await count();
    // The same store, except that every transaction fails once its work is done (a full disk at commit).
    const failing = Object.create(store) as Store;
    failing.transaction = (fn) =>
      store.transaction(async (tx) => {
        await fn(tx);
        throw new Error('disk full');
      });
    await expect(logTouch({ ...ctx, store: failing }, 'amy@acme.example', { channel: 'call', outcome: 'left_voicemail' })).rejects.toThrow('disk full');
    expect(await count()).toEqual(before);

    const t = await logTouch(ctx, 'amy@acme.example', { channel: 'call', outcome: 'left_voicemail' });
    // Amy's last step: the touch also finishes her enrollment.
    expect(t.enrollment?.after.status).toBe('finished');
    expect(await count()).toEqual({ touches: before.touches + 1, deliveries: before.deliveries + 2 });
    const rows = (await deliveries()).slice(before.deliveries);
    expect(rows.map((r) => r.event_type).sort()).toEqual(['enrollment.finished', 'touch.logged']);
    expect(JSON.parse(rows.find((r) => r.event_type === 'touch.logged')!.payload).data.touch.id).toBe(t.touchId);
  });

  it('a reply writes touch.logged, reply.received and enrollment.finished, each once', async () => {
    await clearHooks();
    const ctx = await ctxAt(T0);
    await createWebhook(ctx, { url: receiver.url });
    const reply = await logTouch(ctx, 'ben@acme.example', { channel: 'call', outcome: 'meeting_booked' });
    expect(reply.enrollment?.after.status).toBe('replied');
    const rows = await deliveries();
    // Written in one transaction; receivers must not rely on the order (retries reorder anyway).
    const byType = new Map(rows.map((r) => [r.event_type, JSON.parse(r.payload)]));
    expect([...byType.keys()].sort()).toEqual(['enrollment.finished', 'reply.received', 'touch.logged']);
    expect(rows).toHaveLength(3);
    expect(byType.get('enrollment.finished').data.enrollment).toMatchObject({ cadence: 'Quick', status: 'replied', reason: expect.any(String) });
    expect(byType.get('reply.received').data).toMatchObject({ source: 'logged', outcome: 'meeting_booked', touch_id: reply.touchId });
    // Each event has its own id; webhooks subscribed to other events get nothing.
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(3);
  });

  it('only active webhooks subscribed to the event get it', async () => {
    await clearHooks();
    const ctx = await ctxAt(T0);
    const replies = await createWebhook(ctx, { url: receiver.url, events: ['reply.received'] });
    const off = await createWebhook(ctx, { url: receiver.url });
    await store.db.updateTable('webhooks').set({ active: 0 }).where('id', '=', off.id).execute();
    await logTouch(ctx, 'cal@globex.example', { channel: 'call', outcome: 'no_answer' });
    expect(await deliveries()).toEqual([]);
    await logTouch(ctx, 'cal@globex.example', { channel: 'call', outcome: 'replied' });
    const rows = await deliveries();
    expect(rows.map((r) => [r.webhook_id, r.event_type])).toEqual([[replies.id, 'reply.received']]);
  });
});

describe('managing webhooks', () => {
  it('checks the input and who asks', async () => {
    const ctx = await ctxAt(T0);
    await expect(createWebhook(ctx, { url: 'ftp://example.com/x' })).rejects.toMatchObject({ where: { field: 'url' } });
    await expect(createWebhook(ctx, { url: 'not a url' })).rejects.toMatchObject({ where: { field: 'url' } });
    await expect(createWebhook(ctx, { url: receiver.url, events: ['touch.deleted'] })).rejects.toMatchObject({ where: { field: 'events' }, message: expect.stringContaining('touch.deleted') });
    await expect(createWebhook({ ...ctx, user: { ...ctx.user, role: 'rep' } }, { url: receiver.url })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(listDeliveries(ctx, 999_999)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('test sends a ping now and reports the answer', async () => {
    await clearHooks();
    const ctx = await ctxAt(testNow());
    const hook = await createWebhook(ctx, { url: receiver.url, events: ['touch.logged'] });
    receiver.script = () => 204;
    expect(await testWebhook(ctx, hook.id)).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 204, eventType: 'webhook.test' });
    receiver.script = () => 500;
    // A failed ping is not retried: the person asking sees the answer now.
    expect(await testWebhook(ctx, hook.id)).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500 });
    const first = receiver.received[0]!;
    expect(verifySignature(String(first.headers['tally-signature']), first.body, hook.secret, { now: testNow(), deliveryId: String(first.headers['tally-delivery']) })).toBe(true);
  });

  it('works from the CLI: add, list, deliver, test, remove', async () => {
    await clearHooks();
    receiver.script = () => 200;
    cli.at(new Date(testNow()).toISOString());
    const added = await cli.json<{ id: number; secret: string }>('webhook', 'add', receiver.url, '--events', 'touch.logged,reply.received');
    expect(added.secret).toMatch(/^whsec_/);
    const text = await cli.ok('webhook', 'add', receiver.url);
    expect(text).toMatch(/Signing secret \(shown only now.*\): whsec_/);
    expect((await cli.run('webhook', 'add', receiver.url, '--events', 'nope')).stderr).toMatch(/unknown event "nope"/);
    await cli.ok('log', 'dee@solo.example', '--channel', 'call', '--outcome', 'no_answer');
    // Dee's last step: touch.logged to both webhooks, enrollment.finished to the one taking all events.
    const run = await cli.ok('webhook', 'deliver');
    expect(run).toContain('3 attempted: 3 delivered');
    const list = await cli.ok('webhook', 'list');
    expect(list).toContain(`#${added.id} ${receiver.url}`);
    expect(list).toMatch(/1 delivered, 0 pending, 0 failed/);
    expect(list).not.toContain(added.secret);
    expect(await cli.ok('webhook', 'test', String(added.id))).toContain('Delivered: the receiver answered HTTP 200.');
    expect((await cli.run('webhook', 'remove', 'x')).code).toBe(2);
    await cli.ok('webhook', 'remove', String(added.id));
    expect((await cli.run('webhook', 'remove', String(added.id))).stderr).toContain(`no webhook ${added.id}`);
  });
});

describe('the job runner', () => {
  it('delivers due webhooks on its own, with no command run', async () => {
    await clearHooks();
    receiver.script = () => 200;
    const ctx = await ctxAt(testNow());
    await createWebhook(ctx, { url: receiver.url, events: ['touch.logged'] });
    await logTouch(ctx, 'cal@globex.example', { channel: 'call', outcome: 'no_answer' });
    const runner = new InProcessRunner({ runtime: runtimeFor(store, { now: testNow }), log: createLogger({ name: 'test', level: 'silent' }), kinds: [webhooksJob], intervals: { webhooks: 0.2 } });
    await runner.start();
    try {
      await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(1);
    } finally {
      await runner.stop({ timeoutMs: 5_000 });
    }
    expect(receiver.received[0]!.headers['tally-event']).toBe('touch.logged');
    expect((await deliveries()).at(-1)).toMatchObject({ status: 'delivered', attempts: 1 });
  });
});
