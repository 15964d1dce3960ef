// Who may do what, walked over the server's own route table: anonymous callers are refused
// everywhere, state changes need the CSRF header, a rep can reach no other rep's prospect
// through any endpoint, a manager can, and an API token acts exactly as its user.
import { beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, liveProspectOf, hasStackTrace, type World, Client } from './harness.ts';
import { SAMPLES, sampleFor, type Target } from './samples.ts';

let w: World;
let target: Target;
let samProspects: { id: number; email: string }[];

const routes = () => w.app.tallyRoutes;
const isPublic = (r: { auth?: string }) => r.auth === 'public';

/** Everything stored about a rep's prospects, to prove nothing of it changed. */
async function snapshot(ownerId: number): Promise<string> {
  const db = w.store.db;
  const ids = (await db.selectFrom('prospects').select('id').where('owner_id', '=', ownerId).execute()).map((p) => p.id);
  const [prospects, touches, enrollments, notes, noteChanges] = await Promise.all([
    db.selectFrom('prospects').selectAll().where('id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('touches').selectAll().where('prospect_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('enrollments').selectAll().where('prospect_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('notes').selectAll().where('prospect_id', 'in', ids).orderBy('id').execute(),
    db.selectFrom('note_changes').selectAll().where('prospect_id', 'in', ids).orderBy('id').execute(),
  ]);
  return JSON.stringify({ prospects, touches, enrollments, notes, noteChanges });
}

beforeAll(async () => {
  w = await demoWorld();
  const p = await liveProspectOf(w.store, w.ids.sam);
  const tok = await w.sam.post('/api/tokens', { name: 'sam script' });
  const job = await w.manager.req('POST', '/api/imports?dryRun=true', { raw: 'email\nnobody@example.com\n', contentType: 'text/csv' });
  expect(job.status).toBe(202);
  const touch = await w.sam.post(`/api/prospects/${p.id}/touches`, { channel: 'call', outcome: 'no_answer' });
  expect(touch.status, touch.text).toBe(201);
  const block = await w.sam.post('/api/settings/blocks', { weekday: 1, start: '08:00', minutes: 45 });
  expect(block.status, block.text).toBe(201);
  const { company_id: companyId } = await w.store.db.selectFrom('prospects').select('company_id').where('id', '=', p.id).executeTakeFirstOrThrow();
  const paused = await w.sam.post('/api/enrollments/pause', { prospectIds: [p.id] });
  expect(paused.status, paused.text).toBe(200);
  expect((await w.sam.post(`/api/bulk-changes/${paused.body.bulkChangeId}/undo`)).status).toBe(200);
  const note = await w.sam.post(`/api/prospects/${p.id}/notes`, { text: 'Prefers calls after 4pm.' });
  expect(note.status, note.text).toBe(201);
  target = {
    prospectId: p.id, prospectEmail: p.email, ownerEmail: 'sam@demo.tally', cadence: 'Tally default outbound', tokenId: tok.body.id, jobId: job.body.id, touchId: touch.body.touchId,
    blockId: block.body.id, companyId: companyId!, bulkChangeId: paused.body.bulkChangeId,
    noteId: note.body.noteId,
    enrollmentId: (await w.store.db.selectFrom('enrollments').select('id').where('prospect_id', '=', p.id).where('status', '=', 'active').executeTakeFirstOrThrow()).id,
  };
  samProspects = await w.store.db.selectFrom('prospects').select(['id', 'email']).where('owner_id', '=', w.ids.sam).execute();
  expect(samProspects.length).toBeGreaterThan(3);
});

describe('the route table', () => {
  it('has a sample request for every route, and every sample names a real route', () => {
    const keys = routes().map((r) => `${r.method} ${r.url}`);
    for (const r of routes()) expect(() => sampleFor(r.method, r.url, target)).not.toThrow();
    expect(Object.keys(SAMPLES).sort()).toEqual([...new Set(keys)].sort());
    expect(routes().length).toBeGreaterThanOrEqual(24);
  });

  it('gives every API route an explicit access rule', () => {
    for (const r of routes()) expect(['public', 'user', 'manager'], `${r.method} ${r.url}`).toContain(r.auth);
    expect(routes().filter(isPublic).map((r) => r.url).sort()).toEqual([
      '/api/auth/accept', '/api/auth/login', '/api/auth/password-reset', '/api/auth/password-reset/request', '/api/auth/setup', '/api/auth/signup', '/api/openapi.json',
    ]);
  });
});

describe('anonymous callers', () => {
  it('are refused by every non-public route with 401, before the body is even read', async () => {
    for (const r of routes().filter((x) => !isPublic(x))) {
      for (const s of sampleFor(r.method, r.url, target)) {
        const res = await w.anon().req(r.method, s.path, s);
        expect(res.status, `${r.method} ${s.path}`).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      }
    }
  });

  it('are refused with a made-up or malformed API token', async () => {
    for (const r of routes().filter((x) => !isPublic(x))) {
      const [s] = sampleFor(r.method, r.url, target);
      const bad = await w.anon().req(r.method, s!.path, { ...s, headers: { authorization: 'Bearer tly_madeup' } });
      expect(bad.status, `${r.method} ${r.url}`).toBe(401);
      const odd = await w.anon().req(r.method, s!.path, { ...s, headers: { authorization: 'Basic abc' } });
      expect(odd.status, `${r.method} ${r.url}`).toBe(401);
    }
  });
});

describe('CSRF', () => {
  it('refuses every state-changing route called with the session cookie but without the token header', async () => {
    const before = await snapshot(w.ids.sam);
    for (const r of routes().filter((x) => !isPublic(x) && x.method !== 'GET')) {
      for (const s of sampleFor(r.method, r.url, target)) {
        for (const csrf of [false, 'wrong-token'] as const) {
          const res = await w.manager.req(r.method, s.path, { ...s, csrf });
          expect(res.status, `${r.method} ${s.path} csrf=${csrf}`).toBe(403);
          expect(res.body.error.code).toBe('csrf');
        }
      }
    }
    expect(await snapshot(w.ids.sam)).toBe(before);
    // The session itself is still good.
    expect((await w.manager.get('/api/auth/me')).status).toBe(200);
  });
});

describe('one rep and another rep\'s prospects', () => {
  it('priya can neither read nor change anything of sam\'s through any endpoint', async () => {
    const before = await snapshot(w.ids.sam);
    const samEmails = samProspects.map((p) => p.email);
    const prospectRoutes = new Set(routes().filter((r) => /^\/api\/(prospects\/:id|bulk-changes\/:id|queue\/drafts\/)/.test(r.url)).map((r) => `${r.method} ${r.url}`));
    for (const r of routes().filter((x) => !isPublic(x) && x.url !== '/api/auth/logout')) {
      for (const s of sampleFor(r.method, r.url, target)) {
        const res = await w.priya.req(r.method, s.path, s);
        const where = `${r.method} ${s.path}`;
        expect(res.status, where).toBeLessThan(500);
        expect(hasStackTrace(res.text), where).toBe(false);
        for (const email of samEmails) expect(res.text.includes(email), `${where} leaks ${email}`).toBe(false);
        if (prospectRoutes.has(`${r.method} ${r.url}`)) {
          expect(res.status, where).toBe(404);
          expect(res.body.error.code).toBe('not_found');
        }
        if (r.url === '/api/enrollments') expect(res.body.enrolled, where).toEqual([]);
        if (r.auth === 'manager') expect(res.status, where).toBe(403);
      }
    }
    expect(await snapshot(w.ids.sam)).toBe(before);
  });

  it('a rep cannot ask for the team views', async () => {
    expect((await w.priya.get('/api/queue?team=true')).body.error.code).toBe('forbidden');
    expect((await w.priya.get('/api/stats?team=true')).status).toBe(403);
    expect((await w.priya.get('/api/inbox?team=true')).body.error.code).toBe('forbidden');
  });

  it('a rep sees only their own prospects on the board', async () => {
    const page = await w.sam.get('/api/prospects?limit=200');
    expect(page.status).toBe(200);
    expect(page.body.total).toBe(samProspects.length);
    expect(page.body.items.every((p: { owner: { id: number } }) => p.owner.id === w.ids.sam)).toBe(true);
  });
});

/** Another rep asks for records of sam's prospect: each is "not found", naming nothing, changing nothing. */
async function priyaFindsNothing(requests: [string, string, object | undefined][]): Promise<void> {
  const before = await snapshot(w.ids.sam);
  for (const [method, path, body] of requests) {
    const res = await w.priya.req(method, path, { body });
    expect(res.status, `${method} ${path}`).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.text).not.toContain(target.prospectEmail);
  }
  expect(await snapshot(w.ids.sam)).toBe(before);
}

describe('correcting and deleting a touch', () => {
  it('another rep finds none of it (404); the prospect\'s owner cannot change a touch someone else logged (403); a manager can, recorded', async () => {
    await priyaFindsNothing([
      ['PATCH', `/api/touches/${target.touchId}`, { note: 'not mine' }], ['DELETE', `/api/touches/${target.touchId}`, undefined], ['POST', `/api/touches/${target.touchId}/undo`, {}],
    ]);

    // The manager logs a touch on sam's prospect: sam owns the prospect, not the touch.
    const managers = await w.manager.post(`/api/prospects/${target.prospectId}/touches`, { channel: 'call', outcome: 'no_answer', note: 'rang twice' });
    expect(managers.status, managers.text).toBe(201);
    const bySam = await w.sam.req('PATCH', `/api/touches/${managers.body.touchId}`, { body: { outcome: 'left_voicemail' } });
    expect(bySam.status, bySam.text).toBe(403);
    expect(bySam.body.error.message).toBe('only the person who logged a touch, or a manager, can change it');
    expect((await w.sam.req('DELETE', `/api/touches/${managers.body.touchId}`)).status).toBe(403);

    // A manager corrects sam's own touch: the change is kept with who, when and what it was.
    const fixed = await w.manager.req('PATCH', `/api/touches/${target.touchId}`, { body: { outcome: 'left_voicemail', note: 'left a message' } });
    expect(fixed.status, fixed.text).toBe(200);
    const change = await w.store.db.selectFrom('touch_changes').selectAll().where('touch_id', '=', target.touchId).executeTakeFirstOrThrow();
    expect(change).toMatchObject({ action: 'corrected', user_id: w.ids.manager });
    expect(JSON.parse(change.before)).toMatchObject({ outcome: 'no_answer', note: null });
    expect(JSON.parse(change.after!)).toMatchObject({ outcome: 'left_voicemail', note: 'left a message' });
    // Put back as it was, for the tests that follow.
    expect((await w.manager.req('PATCH', `/api/touches/${target.touchId}`, { body: { outcome: 'no_answer', note: '' } })).status).toBe(200);
    expect((await w.manager.req('DELETE', `/api/touches/${managers.body.touchId}`)).status).toBe(200);
  });
});

describe('notes', () => {
  it('another rep finds none of it (404); the owner cannot change a note someone else wrote (403); a manager can, recorded; a note is not a touch', async () => {
    await priyaFindsNothing([
      ['PATCH', `/api/notes/${target.noteId}`, { text: 'not mine' }], ['DELETE', `/api/notes/${target.noteId}`, undefined], ['POST', `/api/prospects/${target.prospectId}/notes`, { text: 'hi' }],
    ]);

    const view = await w.sam.get(`/api/prospects/${target.prospectId}`);
    const deliveries = async () => Number((await w.store.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const sent = await deliveries();
    const managers = await w.manager.post(`/api/prospects/${target.prospectId}/notes`, { text: 'Budget frozen until Q2.\nAsk again in April.' });
    expect(managers.status, managers.text).toBe(201);
    // Not a touch: the tally, the enrollment and the webhooks are as they were.
    const after = await w.sam.get(`/api/prospects/${target.prospectId}`);
    expect(after.body.tally).toEqual(view.body.tally);
    expect(after.body.enrollments).toEqual(view.body.enrollments);
    expect(await deliveries()).toBe(sent);
    const shown = after.body.timeline.find((e: { noteId?: number }) => e.noteId === managers.body.noteId);
    expect(shown).toMatchObject({ kind: 'note', by: 'Morgan Manager', note: 'Budget frozen until Q2.\nAsk again in April.', canChange: false });

    const bySam = await w.sam.req('PATCH', `/api/notes/${managers.body.noteId}`, { body: { text: 'mine now' } });
    expect(bySam.status, bySam.text).toBe(403);
    expect(bySam.body.error.message).toBe('only the person who wrote a note, or a manager, can change it');
    expect((await w.sam.req('DELETE', `/api/notes/${managers.body.noteId}`)).status).toBe(403);
    const empty = await w.manager.req('PATCH', `/api/notes/${managers.body.noteId}`, { body: { text: '  ' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('the note is empty: write something to keep');

    // A manager edits sam's note: the text it had is kept with who and when.
    const fixed = await w.manager.req('PATCH', `/api/notes/${target.noteId}`, { body: { text: 'Prefers calls after 5pm.' } });
    expect(fixed.status, fixed.text).toBe(200);
    const change = await w.store.db.selectFrom('note_changes').selectAll().where('note_id', '=', target.noteId).executeTakeFirstOrThrow();
    expect(change).toMatchObject({ action: 'edited', user_id: w.ids.manager, before: 'Prefers calls after 4pm.' });
    const edited = (await w.sam.get(`/api/prospects/${target.prospectId}`)).body.timeline.find((e: { noteId?: number }) => e.noteId === target.noteId);
    expect(edited).toMatchObject({ note: 'Prefers calls after 5pm.', canChange: true, edits: [{ by: 'Morgan Manager', was: 'Prefers calls after 4pm.' }] });
    expect((await w.manager.req('DELETE', `/api/notes/${managers.body.noteId}`)).status).toBe(200);
    const gone = (await w.sam.get(`/api/prospects/${target.prospectId}`)).body.timeline;
    expect(gone.some((e: { noteId?: number }) => e.noteId === managers.body.noteId)).toBe(false);
    expect(gone).toContainEqual(expect.objectContaining({ kind: 'change', text: 'Morgan Manager deleted a note: Budget frozen until Q2.\nAsk again in April.' }));
  });
});

describe('a manager', () => {
  it('sees the team and can work a rep\'s prospect', async () => {
    const board = await w.manager.get('/api/prospects?limit=200');
    const owners = new Set(board.body.items.map((p: { owner: { id: number } }) => p.owner.id));
    expect(owners).toEqual(new Set([w.ids.manager, w.ids.sam, w.ids.priya]));
    const view = await w.manager.get(`/api/prospects/${target.prospectId}`);
    expect(view.status).toBe(200);
    expect(view.body.prospect.email).toBe(target.prospectEmail);
    const touch = await w.manager.post(`/api/prospects/${target.prospectId}/touches`, { channel: 'email', outcome: 'sent' });
    expect(touch.status).toBe(201);
    expect(touch.body.tally).toBe(view.body.tally.count + 1);
    expect((await w.manager.get('/api/stats?team=true')).body.scope).toBe('team');
    const q = await w.manager.get('/api/queue?team=true&days=14&limit=500');
    expect(q.body.owner).toBe('team');
  });
});

describe('API tokens', () => {
  it('act as their user, with no CSRF header, and stop working once revoked', async () => {
    const made = await w.priya.post('/api/tokens', { name: 'my script' });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^tly_/);
    const stored = await w.store.db.selectFrom('api_tokens').select('token_hash').where('id', '=', made.body.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(made.body.token);
    const script = new Client(w.base);
    script.bearer = made.body.token;
    expect((await script.get('/api/auth/me')).body.user.email).toBe('priya@demo.tally');
    const own = await liveProspectOf(w.store, w.ids.priya);
    expect((await script.post(`/api/prospects/${own.id}/touches`, { channel: 'call', outcome: 'left_voicemail' })).status).toBe(201);
    expect((await script.get(`/api/prospects/${target.prospectId}`)).status).toBe(404);
    expect((await script.post(`/api/prospects/${target.prospectId}/touches`, { channel: 'call', outcome: 'no_answer' })).status).toBe(404);
    expect((await script.post('/api/auth/invites', { email: 'z@example.com', name: 'Z' })).status).toBe(403);
    const list = await w.priya.get('/api/tokens');
    expect(list.body.items.map((t: { name: string }) => t.name)).toContain('my script');
    expect(list.text).not.toContain(made.body.token);
    // Sam cannot revoke priya's token.
    expect((await w.sam.req('DELETE', `/api/tokens/${made.body.id}`)).status).toBe(404);
    expect((await w.priya.req('DELETE', `/api/tokens/${made.body.id}`)).status).toBe(204);
    expect((await script.get('/api/auth/me')).status).toBe(401);
  });
});
