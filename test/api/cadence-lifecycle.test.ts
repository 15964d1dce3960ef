// A cadence's life over HTTP (issue 18): a taken name is refused, a new version is its own call,
// clone, archive (enrolling refused, by ids and by the board's filter) and back, delete only while
// unused (else the answer offers archiving), restore an old version, its rates; errors in words.
import { beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type World } from './harness.ts';
import type { Outcome } from '../../src/core/outcomes.ts';

let w: World;
const def = (name: string, extra: object[] = []) => ({
  name,
  steps: [{ channel: 'email', delay: 0, reason: 'a benchmark', subject: 'Benchmarks', template: 'Hi {{first_name}}' }, { channel: 'sms', delay: '2d', reason: 'a nudge', message: 'Hi {{first_name}}, did the benchmark help?' }, ...extra],
});

beforeAll(async () => {
  w = await demoWorld();
});

describe('names', () => {
  it('refuses a new cadence under a taken name (any case or spacing), saying what to do instead', async () => {
    const taken = await w.manager.post('/api/cadences', def('  tally DEFAULT   outbound '));
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'conflict', field: 'name' });
    expect(taken.body.error.message).toMatch(/A cadence named "Tally default outbound" already exists \(v\d+\): pick another name, or open "Tally default outbound" and save a new version of it/);
    const list = await w.manager.get('/api/cadences');
    expect(list.body.items.filter((c: { name: string }) => /default outbound/i.test(c.name))).toHaveLength(1);
  });

  it('saves a new version only when asked, and refuses renaming one onto another cadence\'s name', async () => {
    const made = await w.manager.post('/api/cadences', def('Webinar follow-up'));
    expect(made.status).toBe(201);
    const id = made.body.cadence.id;
    const v2 = await w.manager.post(`/api/cadences/${id}/versions`, def('Webinar follow-up', [{ channel: 'linkedin', delay: 1, reason: 'connect', message: 'Good to meet you at the webinar' }]));
    expect(v2.body).toMatchObject({ change: 'new_version', cadence: { id, version: 2 } });
    expect(v2.body.cadence.definition.steps[2]).toMatchObject({ channel: 'linkedin', message: 'Good to meet you at the webinar' });
    const onto = await w.manager.post(`/api/cadences/${id}/versions`, def('Tally nurture'));
    expect(onto.status).toBe(409);
    expect((await w.sam.post(`/api/cadences/${id}/versions`, def('Webinar follow-up'))).status).toBe(403);
  });
});

describe('clone, archive, delete, restore', () => {
  it('clones the current version under "(copy)" names', async () => {
    const a = await w.manager.post('/api/cadences/Tally%20nurture/clone', {});
    expect(a.status).toBe(201);
    expect(a.body.cadence).toMatchObject({ name: 'Tally nurture (copy)', version: 1 });
    const b = await w.manager.post('/api/cadences/Tally%20nurture/clone', {});
    expect(b.body.cadence.name).toBe('Tally nurture (copy 2)');
    const named = await w.manager.post('/api/cadences/Tally%20nurture/clone', { name: 'Nurture for events' });
    expect(named.body.cadence.name).toBe('Nurture for events');
    const source = await w.manager.get('/api/cadences/Tally%20nurture');
    expect(named.body.cadence.definition.steps).toEqual(source.body.definition.steps);
  });

  it('archives: enrolling is refused by ids and by the board filter, live enrollments go on; unarchive brings it back', async () => {
    const made = await w.manager.post('/api/cadences', def('Archive me'));
    const id = made.body.cadence.id;
    const free = await w.store.db.selectFrom('prospects as p').select('p.id').where('p.owner_id', '=', w.ids.manager)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('enrollments as e').select('e.id').whereRef('e.prospect_id', '=', 'p.id'))))
      .where('p.opted_out_at', 'is', null).limit(2).execute();
    expect(free.length).toBe(2);
    const live = await w.manager.post('/api/enrollments', { cadence: id, prospectIds: [free[0]!.id] });
    expect(live.body.enrolled).toHaveLength(1);
    const archived = await w.manager.post(`/api/cadences/${id}/archive`);
    expect(archived.status).toBe(200);
    expect(archived.body).toMatchObject({ id, live: 1 });
    expect(archived.body.archivedAt).toEqual(expect.any(Number));
    for (const body of [{ cadence: id, prospectIds: [free[1]!.id] }, { cadence: 'Archive me', board: { stage: 'none' } }]) {
      const refused = await w.manager.post('/api/enrollments', body);
      expect(refused.status).toBe(409);
      expect(refused.body.error.message).toBe('"Archive me" is archived: it takes no new enrollments (the live ones finish). Unarchive it first, or pick another cadence.');
    }
    const still = await w.store.db.selectFrom('enrollments').select('status').where('cadence_id', '=', id).execute();
    expect(still).toEqual([{ status: 'active' }]);
    expect((await w.manager.get('/api/cadences')).body.items.find((c: { id: number }) => c.id === id).archivedAt).toEqual(expect.any(Number));
    expect((await w.manager.post(`/api/cadences/${id}/unarchive`)).body.archivedAt).toBeNull();
    expect((await w.manager.post('/api/enrollments', { cadence: id, prospectIds: [free[1]!.id] })).body.enrolled).toHaveLength(1);
  });

  it('deletes a cadence nobody was enrolled in; one with history is refused with the offer to archive', async () => {
    const unused = await w.manager.post('/api/cadences', def('Never used'));
    const del = await w.manager.req('DELETE', `/api/cadences/${unused.body.cadence.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ deleted: 'Never used' });
    expect((await w.manager.get(`/api/cadences/${unused.body.cadence.id}`)).status).toBe(404);
    const used = await w.manager.req('DELETE', '/api/cadences/Tally%20default%20outbound');
    expect(used.status).toBe(409);
    expect(used.body.error.message).toMatch(/^"Tally default outbound" cannot be deleted: \d+ prospects were enrolled in it \(\d+ still live\), and their touches count in the reports\. Archive it instead/);
    expect((await w.sam.req('DELETE', `/api/cadences/${unused.body.cadence.id}`)).status).toBe(403);
  });

  it('restores an old version as the next one, keeping the history', async () => {
    const made = await w.manager.post('/api/cadences', def('Restore me'));
    const id = made.body.cadence.id;
    await w.manager.post(`/api/cadences/${id}/versions`, def('Restore me', [{ channel: 'task', delay: 1, reason: 'research', instructions: 'Read their last annual report' }]));
    const r = await w.manager.post(`/api/cadences/${id}/restore`, { version: 1 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ change: 'new_version', cadence: { version: 3 } });
    const now = await w.manager.get(`/api/cadences/${id}`);
    expect(now.body.definition.steps).toHaveLength(2);
    expect(now.body.versions.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect((await w.manager.get(`/api/cadences/${id}?version=2`)).body.definition.steps[2]).toMatchObject({ channel: 'task', instructions: 'Read their last annual report' });
    expect((await w.manager.post(`/api/cadences/${id}/restore`, { version: 3 })).body.change).toBe('unchanged');
    expect((await w.manager.post(`/api/cadences/${id}/restore`, { version: 9 })).status).toBe(404);
  });
});

describe('rates', () => {
  it('gives sent, reply, meeting, opt-out and bounce counts per cadence and per step, the team\'s for a manager and a rep\'s own', async () => {
    const team = await w.manager.get('/api/cadences/Tally%20default%20outbound/stats');
    expect(team.status).toBe(200);
    expect(team.body.scope).toBe('team');
    expect(team.body.steps).toHaveLength(10);
    expect(team.body.cadence.sent).toBeGreaterThan(0);
    expect(team.body.steps[0].sent).toBeGreaterThan(0);
    const mine = await w.sam.get('/api/cadences/Tally%20default%20outbound/stats');
    expect(mine.body.scope).toBe('mine');
    expect(mine.body.enrolled).toBeLessThan(team.body.enrolled);
    const count = (outcomes: Outcome[] | null) => w.store.db.selectFrom('touches as t').innerJoin('enrollments as e', 'e.id', 't.enrollment_id').innerJoin('cadences as c', 'c.id', 'e.cadence_id')
      .innerJoin('cadence_versions as v', 'v.id', 'e.cadence_version_id').whereRef('v.version', '=', 'c.current_version')
      .select((eb) => eb.fn.countAll<number>().as('n')).where('c.name', '=', 'Tally default outbound').where('t.step_index', '<', 10)
      .$if(outcomes !== null, (q) => q.where('t.outcome', 'in', outcomes!)).executeTakeFirstOrThrow().then((r) => Number(r.n));
    // Per step, the current version's enrollments: every touch a rep made counts as sent at its step; answers to mail do not (calls that booked do).
    const sent = team.body.steps.reduce((n: number, s: { sent: number }) => n + s.sent, 0);
    expect(sent).toBeGreaterThanOrEqual(await count(['sent', 'no_answer', 'left_voicemail', 'connected', 'done', 'connection_sent', 'message_sent', 'wrong_number', 'bad_number']));
    expect(sent).toBeLessThanOrEqual(await count(null));
  });
});

describe('errors in words', () => {
  it('names the step and the field, never a path', async () => {
    const bad = await w.manager.post('/api/cadences', { name: 'Bad delay', steps: [def('x').steps[0], { channel: 'call', delay: 'next week', reason: 'x' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_cadence', field: 'steps[1].delay' });
    expect(bad.body.error.message).toBe('Step 2: the delay must be a number of days or hours, e.g. 2d or 4h (found "next week")');
    const long = await w.manager.post('/api/cadences', { ...def('x'), name: 'n'.repeat(300) });
    expect(long.body.error.message).toBe('The name is too long: 300 characters, at most 120');
    const shape = await w.manager.post('/api/cadences', { name: 'Bad shape', steps: [{ channel: 'email', delay: true }] });
    expect(shape.status).toBe(400);
    expect(shape.body.error.message).toMatch(/^Step 1: the delay/);
    expect(shape.body.error.message).not.toMatch(/steps[.[]/);
  });
});
