// The dashboard endpoint against a small history built by hand through the API, on a real server
// with a pinned clock: the numbers match the hand count, a manager sees the team and any rep's
// view, a rep sees only their own figures. Also the webhook routes' manager-only access.
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, PASSWORD, startServer } from './harness.ts';
import { openContext } from '../../src/app/context.ts';
import { addBlock } from '../../src/app/blocks.ts';
import type { Store } from '../../src/store/store.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const DAY = 86_400_000;
const T = Date.parse('2026-03-02T14:00:00Z'); // a Monday
let clock = T - 41 * DAY;
let store: Store;
let base: string;
const manager = { client: null as unknown as Client, email: 'morgan@team.example', id: 0 };
const sam = { client: null as unknown as Client, email: 'sam@team.example', id: 0 };
const priya = { client: null as unknown as Client, email: 'priya@team.example', id: 0 };
const p: Record<string, number> = {};

async function logIn(who: { client: Client; email: string }): Promise<void> {
  who.client = new Client(base);
  const r = await who.client.post('/api/auth/login', { email: who.email, password: PASSWORD });
  expect(r.status).toBe(200);
}

async function touch(who: Client, prospect: string, daysBeforeT: number, channel: string, outcome: string): Promise<void> {
  clock = T - daysBeforeT * DAY;
  const r = await who.post(`/api/prospects/${p[prospect]}/touches`, { channel, outcome });
  expect(r.status, r.text).toBe(201);
}

beforeAll(async () => {
  let setupCode: string;
  ({ store, base, setupCode } = await startServer({ now: () => clock }));
  manager.client = new Client(base);
  expect((await manager.client.post('/api/auth/signup', { email: manager.email, name: 'Morgan', password: PASSWORD, timezone: 'UTC', setupCode })).status).toBe(201);
  for (const rep of [sam, priya]) {
    const inv = await manager.client.post('/api/auth/invites', { email: rep.email, name: rep === sam ? 'Sam' : 'Priya', role: 'rep' });
    rep.client = new Client(base);
    expect((await rep.client.post('/api/auth/accept', { token: inv.body.token, password: PASSWORD })).status).toBe(200);
  }
  const users = await store.db.selectFrom('users').select(['id', 'email']).execute();
  for (const who of [manager, sam, priya]) who.id = users.find((u) => u.email === who.email)!.id;
  // Sam owns p1–p4, Priya q1–q2: rows straight into the table (the import has its own tests).
  const ws = (await store.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
  for (const [key, owner] of [['p1', sam], ['p2', sam], ['p3', sam], ['p4', sam], ['q1', priya], ['q2', priya]] as const) {
    const row = await store.db
      .insertInto('prospects')
      .values({ workspace_id: ws, owner_id: owner.id, email: `${key}@example.com`, email_key: `${key}@example.com`, first_name: key.toUpperCase(), last_name: null, phone: null, title: null, company_id: null, timezone: null, created_at: clock, updated_at: clock })
      .returning('id')
      .executeTakeFirstOrThrow();
    p[key] = row.id;
  }
  for (const [rep, keys] of [[sam, ['p1', 'p2', 'p3', 'p4']], [priya, ['q1', 'q2']]] as const) {
    const r = await rep.client.post('/api/enrollments', { cadence: 'Tally default outbound', prospectIds: keys.map((k) => p[k]) });
    expect(r.body.enrolled).toHaveLength(keys.length);
  }
  // p1: two touches long ago (outside the 30-day period).
  await touch(sam.client, 'p1', 40, 'email', 'sent');
  await touch(sam.client, 'p1', 38, 'call', 'no_answer');
  // The sessions made 41 days ago have run out: sign in again, as people would.
  clock = T - 10 * DAY;
  for (const who of [manager, sam, priya]) await logIn(who);
  await touch(sam.client, 'p2', 10, 'email', 'sent');
  await touch(sam.client, 'p3', 9, 'email', 'sent');
  await touch(sam.client, 'p3', 7, 'call', 'meeting_booked');
  await touch(priya.client, 'q1', 9, 'email', 'sent');
  clock = T;
  // Sam reserves Tuesdays 09:00 for an hour.
  const ctx = await openContext(runtimeFor(store), { as: sam.email, now: () => clock });
  await addBlock(ctx, { weekday: 2, start: '09:00', minutes: 60 });
});

describe('a rep\'s dashboard', () => {
  it('matches the hand count', async () => {
    const r = await sam.client.get('/api/dashboard');
    expect(r.status, r.text).toBe(200);
    const d = r.body;
    expect(d.scope).toEqual({ kind: 'rep', userId: sam.id, name: 'Sam' });
    expect(d.period).toEqual({ key: 'all', since: null });
    expect(d.industryFollowUpRate).toBe(0.25);
    expect(d.stats).toMatchObject({
      prospects: 4, touched: 3, followedUp: 2, totalTouches: 5, replies: 1, droppedBeforeFive: 0,
      touchesPerProspect: { histogram: { '1': 1, '2': 2 }, median: 2 },
      touchesUntilReply: { histogram: { '2': 1 }, mean: 2 },
    });
    expect(d.stats.followUpRate).toBeCloseTo(2 / 3);
    expect(d.replyRates.byStep).toEqual([
      { key: '1', touches: 3, replies: 0, rate: 0 },
      { key: '2', touches: 2, replies: 1, rate: 0.5 },
    ]);
    expect(d.replyRates.byChannel).toEqual([
      { key: 'email', touches: 3, replies: 0, rate: 0 },
      { key: 'call', touches: 2, replies: 1, rate: 0.5 },
    ]);
    // Overdue: every live enrollment of sam's due before now (p3 replied: not live).
    const due = await store.db.selectFrom('enrollments').select('due_at').where('owner_id', '=', sam.id).where('status', '=', 'active').execute();
    const overdue = due.filter((e) => Number(e.due_at) < T).length;
    expect(overdue).toBe(3);
    expect(d.overdue.count).toBe(3);
    expect(d.overdue.buckets.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(3);
    expect(d.overdue.oldestDays).toBeGreaterThanOrEqual(7);
    // Capacity: one Tuesday hour in the coming week; the overdue work lands on today.
    expect(d.capacity.days).toHaveLength(7);
    expect(d.capacity.days[0]).toMatchObject({ date: '2026-03-02', capacityMinutes: 0, dueTouches: 3 });
    expect(d.capacity.days[1]).toMatchObject({ date: '2026-03-03', capacityMinutes: 60 });
    expect(d.capacity).toMatchObject({ capacityMinutes: 60, hasBlocks: true });
    expect(d.capacity.dueMinutes).toBeGreaterThan(0);
    expect(d.reps).toBeNull();
    // The stats endpoint tells the same story.
    expect((await sam.client.get('/api/stats')).body).toMatchObject({ ...d.stats, scope: 'Sam' });
  });

  it('a period is the cohort first touched in it', async () => {
    const d = (await sam.client.get('/api/dashboard?period=30d')).body;
    expect(d.period).toEqual({ key: '30d', since: T - 30 * DAY });
    // p2 and p3 were first touched in the last 30 days; p1 before; p4 never.
    expect(d.stats).toMatchObject({ prospects: 2, touched: 2, followedUp: 1, followUpRate: 0.5, totalTouches: 3 });
    expect((await sam.client.get('/api/dashboard?period=90d')).body.stats.touched).toBe(3);
  });

  it('refuses other reps\' figures and the team', async () => {
    const other = await priya.client.get(`/api/dashboard?rep=${sam.id}`);
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'forbidden', field: 'rep' });
    expect(other.text).not.toContain('p1@example.com');
    expect((await priya.client.get('/api/dashboard?team=true')).body.error).toMatchObject({ code: 'forbidden', field: 'team' });
    // A user id that does not exist is refused the same way: nothing learnt.
    expect((await priya.client.get('/api/dashboard?rep=99999')).status).toBe(403);
    const own = await priya.client.get(`/api/dashboard?rep=${priya.id}`);
    expect(own.status).toBe(200);
    expect(own.body.stats).toMatchObject({ prospects: 2, touched: 1, followedUp: 0, followUpRate: 0 });
  });

  it('names the bad parameter', async () => {
    expect((await sam.client.get('/api/dashboard?period=7d')).body.error).toMatchObject({ code: 'invalid', field: 'period' });
    expect((await sam.client.get('/api/dashboard?rep=abc')).body.error).toMatchObject({ code: 'invalid', field: 'rep' });
  });
});

describe('a manager\'s dashboard', () => {
  it('shows the team with one row per person', async () => {
    const r = await manager.client.get('/api/dashboard?team=true');
    expect(r.status, r.text).toBe(200);
    const d = r.body;
    expect(d.scope).toEqual({ kind: 'team', userId: null, name: 'Team' });
    expect(d.stats).toMatchObject({ prospects: 6, touched: 4, followedUp: 2, followUpRate: 0.5, totalTouches: 6, replies: 1 });
    expect(d.overdue.count).toBe(5);
    expect(d.capacity.capacityMinutes).toBe(60);
    const rows = Object.fromEntries(d.reps.map((x: { name: string }) => [x.name, x]));
    expect(Object.keys(rows).sort()).toEqual(['Morgan', 'Priya', 'Sam']);
    expect(rows.Sam).toMatchObject({ userId: sam.id, role: 'rep', prospects: 4, touched: 3, touches: 5, replies: 1, overdue: 3, capacityMinutes: 60 });
    expect(rows.Sam.followUpRate).toBeCloseTo(2 / 3);
    expect(rows.Priya).toMatchObject({ prospects: 2, touched: 1, followUpRate: 0, touches: 1, replies: 0, overdue: 2, capacityMinutes: 0 });
    expect(rows.Morgan).toMatchObject({ prospects: 0, touched: 0, followUpRate: null, overdue: 0 });
  });

  it('opens one rep\'s view: the same figures the rep sees', async () => {
    const mine = (await sam.client.get('/api/dashboard?period=30d')).body;
    const seen = await manager.client.get(`/api/dashboard?rep=${sam.id}&period=30d`);
    expect(seen.status).toBe(200);
    const { generatedAt: _a, ...a } = seen.body;
    const { generatedAt: _b, ...b } = mine;
    expect(a).toEqual(b);
    expect((await manager.client.get('/api/dashboard?rep=99999')).body.error).toMatchObject({ code: 'not_found', field: 'rep' });
  });

  it('the default view is their own, like any rep', async () => {
    expect((await manager.client.get('/api/dashboard')).body.scope).toEqual({ kind: 'rep', userId: manager.id, name: 'Morgan' });
  });
});

describe('webhook routes', () => {
  it('are for managers; the secret is shown once', async () => {
    expect((await sam.client.get('/api/webhooks')).status).toBe(403);
    // An internal receiver over plain http: refused until a manager allow-lists its host.
    const refused = await manager.client.post('/api/webhooks', { url: 'http://127.0.0.1:9/x', events: ['reply.received'] });
    expect(refused.body.error).toMatchObject({ code: 'invalid', field: 'url', message: expect.stringContaining('refused') });
    expect((await sam.client.req('PUT', '/api/webhooks/allow-list', { body: { hosts: ['127.0.0.1'] } })).status).toBe(403);
    const allowed = await manager.client.req('PUT', '/api/webhooks/allow-list', { body: { hosts: ['127.0.0.1:9'] } });
    expect(allowed.body).toEqual({ hosts: ['127.0.0.1:9'] });
    const bad = await manager.client.post('/api/webhooks', { url: 'http://127.0.0.1:9/x', events: ['touch.deleted'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toMatch(/^events/);
    expect((await manager.client.post('/api/webhooks', { url: 'gopher://x' })).body.error).toMatchObject({ code: 'invalid', field: 'url' });
    const made = await manager.client.post('/api/webhooks', { url: 'http://127.0.0.1:9/x', events: ['reply.received'] });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ url: 'http://127.0.0.1:9/x', events: ['reply.received'], active: true, deliveries: { pending: 0, delivered: 0, failed: 0 } });
    expect(made.body.secret).toMatch(/^whsec_/);
    const list = await manager.client.get('/api/webhooks');
    expect(list.body.items.map((w: { id: number }) => w.id)).toEqual([made.body.id]);
    expect(list.text).not.toContain(made.body.secret);
    // Port 9 (discard) refuses: the test event fails, once, and says why.
    const test = await manager.client.post(`/api/webhooks/${made.body.id}/test`);
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ status: 'failed', attempts: 1, eventType: 'webhook.test', nextAttemptAt: null });
    expect(test.body.lastError).toBeTruthy();
    const deliveries = await manager.client.get(`/api/webhooks/${made.body.id}/deliveries?status=failed`);
    expect(deliveries.body.items.map((x: { id: number }) => x.id)).toEqual([test.body.id]);
    expect((await manager.client.req('DELETE', `/api/webhooks/${made.body.id}`)).status).toBe(204);
    expect((await manager.client.get(`/api/webhooks/${made.body.id}/deliveries`)).status).toBe(404);
  });
});
