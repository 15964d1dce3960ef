// Accounts (sign-up on an empty database, sign-in, sign-out, cookie flags, invitations), the one
// error shape for bad requests, the OpenAPI document, and the services behind a few routes.
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, hasStackTrace, PASSWORD, startServer } from './harness.ts';
import { ERROR_CODES, TallyError } from '../../src/core/errors.ts';
import { statusOf } from '../../src/api/errors.ts';
import { testNow } from '../helpers/clock.ts';

let base: string;
let app: Awaited<ReturnType<typeof startServer>>['app'];
let store: Awaited<ReturnType<typeof startServer>>['store'];
let setupCode = '';
let owner: Client;

beforeAll(async () => {
  ({ app, store, base, setupCode } = await startServer({ bodyLimit: 64 * 1024 }));
  owner = new Client(base);
});

const cookie = (c: Client, name: string) => c.setCookies.filter((s) => s.startsWith(`${name}=`)).at(-1) ?? '';

describe('accounts', () => {
  it('the first sign-up creates the workspace with its owner as manager; later ones are refused', async () => {
    const res = await owner.post('/api/auth/signup', { email: 'Owner@Example.com', name: 'Olga Owner', password: PASSWORD, workspaceName: 'Olga Sales', timezone: 'Europe/Paris', setupCode });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: 'owner@example.com', role: 'manager' });
    expect(res.body.workspace).toMatchObject({ name: 'Olga Sales', timezone: 'Europe/Paris' });
    expect(res.body.claimed).toBe(false);
    const stored = await store.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    const again = await new Client(base).post('/api/auth/signup', { email: 'other@example.com', name: 'Other', password: PASSWORD });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('signup_closed');
    expect((await owner.get('/api/cadences')).body.total).toBeGreaterThan(0); // the built-in cadences came with it
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, Secure only over https', async () => {
    const session = cookie(owner, 'tally_session');
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/i);
    expect(cookie(owner, 'tally_csrf')).not.toMatch(/HttpOnly/i);
    // The session token is stored only as a hash.
    const token = owner.cookies.get('tally_session')!;
    const rows = await store.db.selectFrom('sessions').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === token)).toBe(false);
    const https = new Client(base);
    const res = await https.post('/api/auth/login', { email: 'owner@example.com', password: PASSWORD }, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(cookie(https, 'tally_session')).toMatch(/;\s*Secure/i);
  });

  it('logs in, refuses a wrong password without saying which part was wrong, and logs out', async () => {
    const c = new Client(base);
    const wrong = await c.post('/api/auth/login', { email: 'owner@example.com', password: 'not the password' });
    const unknown = await c.post('/api/auth/login', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    const ok = await c.post('/api/auth/login', { email: 'OWNER@example.com', password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(typeof ok.body.csrfToken).toBe('string');
    const me = await c.get('/api/auth/me');
    expect(me.body.user.email).toBe('owner@example.com');
    expect(me.body.csrfToken).toBe(ok.body.csrfToken);
    const stale = new Map(c.cookies);
    expect((await c.post('/api/auth/logout')).status).toBe(204);
    expect(c.cookies.has('tally_session')).toBe(false);
    expect((await c.get('/api/auth/me')).status).toBe(401);
    // The old cookie is dead on the server too, not only forgotten by the browser.
    const replay = new Client(base);
    for (const [k, v] of stale) replay.cookies.set(k, v);
    expect((await replay.get('/api/auth/me')).status).toBe(401);
  });

  it('invites a rep, who sets a password once; reps cannot invite', async () => {
    const inv = await owner.post('/api/auth/invites', { email: 'rita@example.com', name: 'Rita Rep' });
    expect(inv.status).toBe(201);
    expect(inv.body.role).toBe('rep');
    const rita = new Client(base);
    const short = await rita.post('/api/auth/accept', { token: inv.body.token, password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('password');
    const acc = await rita.post('/api/auth/accept', { token: inv.body.token, password: PASSWORD });
    expect(acc.status).toBe(200);
    expect(acc.body.user).toMatchObject({ email: 'rita@example.com', role: 'rep' });
    expect((await new Client(base).post('/api/auth/accept', { token: inv.body.token, password: PASSWORD })).status).toBe(400);
    const denied = await rita.post('/api/auth/invites', { email: 'x@example.com', name: 'X' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
  });
});

describe('bad requests get one error shape, with the field, and never a stack trace', () => {
  it('malformed JSON', async () => {
    const res = await owner.req('POST', '/api/cadences/preview', { raw: '{"cadence": ' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'malformed_json', message: expect.any(String), field: 'body' } });
    expect(hasStackTrace(res.text)).toBe(false);
  });

  it('wrong types name the field', async () => {
    const res = await owner.post('/api/prospects/1/touches', { channel: 'call', outcome: 42 });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid');
    expect(res.body.error.field).toBe('outcome');
    const id = await owner.get('/api/prospects/abc');
    expect(id.status).toBe(400);
    expect(id.body.error.field).toBe('id');
    const q = await owner.get('/api/prospects?limit=5000');
    expect(q.body.error.field).toBe('limit');
    const nested = await owner.post('/api/cadences', { name: 'Bad', steps: [{ channel: 'fax', delay: 0, value_item: 'x' }] });
    expect(nested.status).toBe(400);
    expect(nested.body.error.field).toBe('steps[0].channel');
    expect(nested.body.error.message).toMatch(/channel must be one of/);
  });

  it('an oversized body is refused with 413', async () => {
    const res = await owner.req('POST', '/api/cadences/preview', { raw: JSON.stringify({ cadence: 'x'.repeat(100 * 1024) }) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('too_large');
  });

  it('unknown endpoints and unknown ids are 404s in the same shape', async () => {
    const none = await owner.get('/api/nothing-here');
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('not_found');
    const p = await owner.get('/api/prospects/99999');
    expect(p.status).toBe(404);
    expect(p.body.error.message).toMatch(/unknown prospect/);
  });

  it('a service refusal keeps its meaning: a touch in the future, a cadence that does not exist', async () => {
    const p = await store.db
      .insertInto('prospects')
      .values({ workspace_id: 1, owner_id: 1, email: 'pat@example.com', email_key: 'pat@example.com', first_name: 'Pat', last_name: null, phone: null, title: null, company_id: null, timezone: null, opted_out_at: null, created_at: 0, updated_at: 0 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const future = await owner.post(`/api/prospects/${p.id}/touches`, { channel: 'call', outcome: 'no_answer', at: '2999-01-01' });
    expect(future.status).toBe(400);
    expect(future.body.error.field).toBe('at');
    const notIn = await owner.post(`/api/prospects/${p.id}/pause`, {});
    expect(notIn.status).toBe(409);
    expect(notIn.body.error.message).toMatch(/not in a cadence/);
    const cad = await owner.post('/api/enrollments', { cadence: 'No such cadence', prospectIds: [p.id] });
    expect(cad.status).toBe(404);
    const both = await owner.post('/api/enrollments', { cadence: 1 });
    expect(both.status).toBe(400);
    expect(both.body.error.field).toBe('prospectIds');
    const enrolled = await owner.post('/api/enrollments', { cadence: 'Tally default outbound', prospectIds: [p.id] });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.enrolled).toHaveLength(1);
    const tooFar = await owner.post(`/api/prospects/${p.id}/snooze`, { until: '2099-03-02', reason: 'on leave' });
    expect(tooFar.body.error).toMatchObject({ code: 'invalid', field: 'until' });
    const until = new Date(testNow() + 90 * 86_400_000).toISOString().slice(0, 10);
    const snooze = await owner.post(`/api/prospects/${p.id}/snooze`, { until, reason: 'on leave' });
    expect(snooze.status).toBe(200);
    expect(snooze.body.after.status).toBe('snoozed');
    expect((await owner.post(`/api/prospects/${p.id}/resume`)).body.after.status).toBe('active');
    const view = await owner.get(`/api/prospects/${p.id}`);
    expect(view.body.enrollments[0].cadence).toBe('Tally default outbound');
  });
});

describe('error codes and HTTP statuses', () => {
  it('gives every service error code a 4xx or 5xx status, and a dependency that is down is 503, not 400', () => {
    for (const code of ERROR_CODES) expect(statusOf(new TallyError('x', code)), code).toBeGreaterThanOrEqual(400);
    expect(statusOf(new TallyError('cannot connect to the database', 'unavailable'))).toBe(503);
    expect(statusOf(new TallyError('no such prospect', 'not_found'))).toBe(404);
    expect(statusOf(new TallyError('bad email'))).toBe(400);
  });
});

describe('cadences and imports', () => {
  it('saves a new version from JSON and previews its dates under the workspace rules', async () => {
    const def = { name: 'Two touch', steps: [{ channel: 'email', delay: 0, value_item: 'a benchmark' }, { channel: 'call', delay: '2 business days', value_item: 'the call' }] };
    const first = await owner.post('/api/cadences', def);
    expect(first.status).toBe(201);
    expect(first.body.change).toBe('created');
    const taken = await owner.post('/api/cadences', { ...def, name: ' two  TOUCH ' });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'conflict', field: 'name' });
    const second = await owner.post('/api/cadences/Two%20touch/versions', { ...def, steps: [...def.steps, { channel: 'email', delay: 1, value_item: 'a close' }] });
    expect(second.body).toMatchObject({ change: 'new_version', cadence: { version: 2 } });
    const got = await owner.get(`/api/cadences/${encodeURIComponent('Two touch')}?version=1`);
    expect(got.body.definition.steps).toHaveLength(2);
    // Friday 6 March 2026 17:00 in Paris: the email is due at once (inside 07–19); the call two business
    // days later lands on Tuesday 17:00, the end of the call window, so it moves to Wednesday 09:00.
    const preview = await owner.post('/api/cadences/preview', { cadence: 'Two touch', timezone: 'Europe/Paris', start: '2026-03-06T17:00:00+01:00' });
    expect(preview.status).toBe(200);
    const iso = preview.body.steps.map((s: { dueAt: number }) => new Date(s.dueAt).toISOString());
    expect(iso.slice(0, 2)).toEqual(['2026-03-06T16:00:00.000Z', '2026-03-11T08:00:00.000Z']);
    expect(preview.body.steps).toHaveLength(3);
    const bad = await owner.post('/api/cadences/preview', { definition: { name: 'x', steps: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('steps');
  });

  it('imports a CSV upload as a job whose progress and report can be polled', async () => {
    const csv = 'email,first_name,company\nann@acme.example,Ann,Acme\nbob@acme.example,Bob,Acme\nnot-an-email,Carl,Acme\n';
    const start = await owner.req('POST', '/api/imports?file=people.csv', { raw: csv, contentType: 'text/csv' });
    expect(start.status).toBe(202);
    let job = start.body;
    for (let i = 0; i < 100 && (job.status === 'running' || job.status === 'queued'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = (await owner.get(`/api/imports/${job.id}`)).body;
    }
    expect(job.status).toBe('done');
    expect(job.report).toMatchObject({ file: 'people.csv', rows: 3, inserted: 2 });
    expect(job.report.rejected[0].line).toBe(4);
    expect(job.progress.bytes).toBe(job.progress.totalBytes);
    const noEmail = await owner.req('POST', '/api/imports', { raw: 'name\nAnn\n', contentType: 'text/csv' });
    let failed = noEmail.body;
    for (let i = 0; i < 100 && (failed.status === 'running' || failed.status === 'queued'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      failed = (await owner.get(`/api/imports/${failed.id}`)).body;
    }
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ code: 'missing_column', line: 1 });
    const json = await owner.post('/api/imports', { email: 'x' });
    expect(json.status).toBe(400);
  });
});

describe('the OpenAPI document', () => {
  it('is valid JSON, OpenAPI 3, and lists every route with its method', async () => {
    const res = await new Client(base).get('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.text) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const documented = app.tallyRoutes.filter((r) => r.url !== '/api/openapi.json');
    for (const r of documented) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[r.method.toLowerCase()], `${r.method} ${path}`).toBeDefined();
    }
    const touches = doc.paths['/api/prospects/{id}/touches']!.post as { requestBody: unknown; responses: Record<string, unknown> };
    expect(touches.requestBody).toBeDefined();
    expect(Object.keys(touches.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '404']));
    const docs = await new Client(base).get('/api/docs/');
    expect(docs.status).toBe(200);
    expect(docs.text).toMatch(/swagger/i);
  });
});
