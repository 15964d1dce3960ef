// The queue's page drafts the email of only the first cards a rep works; the web queue asks for
// each other card's draft as it comes up. That draft is the one the whole queue would show (the
// CLI's `tally today` drafts every card), and only a card's owner or a manager can ask for it.
import { beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { PAGE_DRAFTS, todayQueue } from '../../src/app/queue.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { testNow } from '../helpers/clock.ts';
import { demoWorld, dueNow, type World } from './harness.ts';

let w: World;

beforeAll(async () => {
  w = await demoWorld();
  // Some email card past the drafted ones, and some card that is no email, on any day.
  const person = (n: string) => ({ email: `${n.toLowerCase()}@drafts-${n.toLowerCase()}.example`, firstName: n, lastName: 'Drafts', company: `Drafts ${n}` });
  await dueNow(w.manager, w.sam, 'email', ['Ada', 'Bea', 'Cy'].map(person));
  await dueNow(w.manager, w.sam, 'call', [person('Dee')]);
});

interface Item { enrollmentId: number; channel: string; held: unknown; message: unknown }

describe('the queue page and its drafts', () => {
  it("drafts the first cards a rep works; each other email card's draft is the one the whole queue shows", async () => {
    const page = await w.sam.get('/api/queue?days=14&limit=500');
    expect(page.status).toBe(200);
    const items: Item[] = page.body.items;
    const working = items.filter((i) => !i.held);
    expect(items.filter((i) => i.message).map((i) => i.enrollmentId)).toEqual(working.slice(0, PAGE_DRAFTS).filter((i) => i.channel === 'email').map((i) => i.enrollmentId));
    const whole = await todayQueue(await openContext(runtimeFor(w.store, { now: testNow }), { as: 'sam@demo.tally' }), { days: 14, limit: 500 });
    const emails = items.filter((i) => i.channel === 'email');
    expect(emails.length).toBeGreaterThan(PAGE_DRAFTS);
    for (const item of emails) {
      const expected = whole.items.find((i) => i.enrollmentId === item.enrollmentId)!.message;
      const draft = await w.sam.get(`/api/queue/drafts/${item.enrollmentId}`);
      expect(draft.status, draft.text).toBe(200);
      expect(draft.body).toEqual(expected);
      if (item.message) expect(item.message).toEqual(expected);
    }
    // A manager may draft anyone's card, as the team queue shows it (from the manager's own mailbox).
    const team = await todayQueue(await openContext(runtimeFor(w.store, { now: testNow }), { as: 'you@demo.tally' }), { days: 14, limit: 500, team: true });
    const first = emails[0]!.enrollmentId;
    const asManager = await w.manager.get(`/api/queue/drafts/${first}`);
    expect(asManager.status).toBe(200);
    expect(asManager.body).toEqual(team.items.find((i) => i.enrollmentId === first)!.message);
  });

  it("refuses another rep's card, a card that is no email and one that is not due", async () => {
    const items: Item[] = (await w.sam.get('/api/queue?days=14&limit=500')).body.items;
    const other = await w.priya.get(`/api/queue/drafts/${items.find((i) => i.channel === 'email')!.enrollmentId}`);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe('not_found');
    const call = items.find((i) => i.channel !== 'email')!;
    const notEmail = await w.sam.get(`/api/queue/drafts/${call.enrollmentId}`);
    expect(notEmail.status).toBe(400);
    expect(notEmail.body.error.message).toMatch(/not an email/);
    expect((await w.sam.get('/api/queue/drafts/987654')).status).toBe(404);
    expect((await w.sam.get('/api/queue/drafts/nope')).status).toBe(400);
  });
});
