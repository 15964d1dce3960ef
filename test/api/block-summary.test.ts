// GET /api/queue/block-summary sums up the acting rep's own block: another rep asking for the same
// hours reads their own (empty) figures, never the first rep's; a reversed block is refused in words.
import { beforeAll, expect, it } from 'vitest';
import { testNow } from '../helpers/clock.ts';
import { demoWorld, liveProspectOf, type World } from './harness.ts';

let w: World;
const from = () => testNow() - 3_600_000;
const to = () => testNow() + 3_600_000;

beforeAll(async () => {
  w = await demoWorld();
});

it("a rep reads their block's touches; another rep cannot read them", async () => {
  const path = `/api/queue/block-summary?from=${from()}&to=${to()}`;
  const before = (await w.sam.get(path)).body;
  const p = await liveProspectOf(w.store, w.ids.sam);
  expect((await w.sam.post(`/api/prospects/${p.id}/touches`, { channel: 'call', outcome: 'meeting_booked' })).status).toBe(201);
  const mine = await w.sam.get(path);
  expect(mine.status, mine.text).toBe(200);
  expect(mine.body.touches).toBe(before.touches + 1);
  expect(mine.body.meetings).toBe(before.meetings + 1);
  expect(mine.body.industryFollowUpRate).toBe(0.25);
  const priya = await w.priya.get(path);
  expect(priya.status).toBe(200);
  // Priya's figures are built from her prospects only: Sam's meeting is not among them.
  const priyaProspects = await w.store.db.selectFrom('prospects').select('id').where('owner_id', '=', w.ids.priya).execute();
  const priyaTouchesInBlock = await w.store.db.selectFrom('touches').select('id')
    .where('prospect_id', 'in', priyaProspects.map((r) => r.id)).where('occurred_at', '>=', from()).where('occurred_at', '<', to()).execute();
  expect(priya.body.touches).toBe(priyaTouchesInBlock.length);
});

it('a block that ends before it starts is refused in plain words', async () => {
  const r = await w.sam.get(`/api/queue/block-summary?from=${to()}&to=${from()}`);
  expect(r.status).toBe(400);
  expect(r.body.error.message).toBe('the block must end after it starts');
});

it('a block ended now (no "to") closes on the server\'s clock: a touch just logged counts', async () => {
  const start = testNow() - 60_000;
  const before = (await w.sam.get(`/api/queue/block-summary?from=${start}`)).body;
  const p = await liveProspectOf(w.store, w.ids.sam);
  expect((await w.sam.post(`/api/prospects/${p.id}/touches`, { channel: 'call', outcome: 'no_answer' })).status).toBe(201);
  const r = await w.sam.get(`/api/queue/block-summary?from=${start}`);
  expect(r.status, r.text).toBe(200);
  expect(r.body.touches).toBe(before.touches + 1);
  expect(r.body.from).toBe(start);
  expect(r.body.to).toBeGreaterThanOrEqual(start + 60_000);
});
