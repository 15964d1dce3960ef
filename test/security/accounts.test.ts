// Sign-in resists guessing; access can be taken away; an unowned server is claimed only with its
// setup code; the browser gets a strict CSP, HSTS behind TLS, and cookie changes from other sites
// are refused even with a token.
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, demoWorld, PASSWORD, startServer, type World } from '../api/harness.ts';
import { startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { contextForUser } from '../../src/app/context.ts';
import { passwordProblem } from '../../src/core/password-policy.ts';

let w: World;
let smtp: SmtpCapture;

beforeAll(async () => {
  w = await demoWorld();
  smtp = await startSmtp();
  // The manager's mailbox sends account mail (lockout notices, reset links) for the team.
  const manager = (await w.store.users.byId(w.ids.manager))!;
  await saveMailbox(await contextForUser(runtimeFor(w.store), manager), { smtpHost: smtp.host, smtpPort: smtp.port, smtpTls: 'none', password: 'pw', fromAddress: 'you@demo.tally', minSpacingSeconds: 0 });
  return () => smtp.stop();
});

const login = (c: Client, email: string, password: string, headers: Record<string, string> = {}) => c.post('/api/auth/login', { email, password }, { headers });

describe('password policy', () => {
  it('refuses ten spaces, ten NULs, "password12" and the like; accepts a few words', async () => {
    for (const bad of ['          ', '\0'.repeat(10), 'password12', 'aaaaaaaaaaaa', 'qwertyuiop', 'priyapriya1']) {
      expect(await passwordProblem(bad, ['priya@demo.tally', 'Priya']), JSON.stringify(bad)).not.toBeNull();
    }
    expect(await passwordProblem(PASSWORD)).toBeNull();
    const inv = await w.manager.post('/api/auth/invites', { email: 'weak@demo.tally', name: 'Weak', role: 'rep' });
    const r = await new Client(w.base).post('/api/auth/accept', { token: inv.body.token, password: 'password12' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'invalid', field: 'password', message: expect.stringMatching(/too easy to guess/) });
  });
});

describe('sign-in throttling', () => {
  it('answers 429 with Retry-After after a few failures for one account, and tells its owner by mail', async () => {
    const c = new Client(w.base);
    const answers: number[] = [];
    for (let i = 0; i < 7; i++) answers.push((await login(c, 'priya@demo.tally', `wrong password ${i}`, { 'x-forwarded-for': `10.9.0.${i}` })).status);
    expect(answers.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(answers.slice(4)).toEqual([429, 429, 429]);
    const locked = await login(c, 'priya@demo.tally', PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(locked.body.error.code).toBe('rate_limited');
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes('priya@demo.tally')).length, { timeout: 10_000 }).toBe(1);
    expect(smtp.mails.at(-1)!.raw).toMatch(/sign-in to your account paused/);
    // Another account is not locked by Priya's.
    expect((await login(new Client(w.base), 'sam@demo.tally', PASSWORD)).status).toBe(200);
  });

  it('throttles one address spraying many accounts', async () => {
    const c = new Client(w.base);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await login(c, `nobody${i}@demo.tally`, 'wrong password', { 'x-forwarded-for': '10.8.0.1' })).status);
    expect(statuses.slice(0, 19).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});

describe('account lifecycle', () => {
  it('a password change ends the other sessions; the old password stops working', async () => {
    const other = new Client(w.base);
    expect((await login(other, 'sam@demo.tally', PASSWORD)).status).toBe(200);
    const r = await w.sam.post('/api/auth/password', { currentPassword: PASSWORD, password: 'sam sells seashells by the shore' });
    expect(r.status, r.text).toBe(200);
    expect(r.body.sessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await other.get('/api/auth/me')).status).toBe(401);
    expect((await w.sam.get('/api/auth/me')).status).toBe(200);
    expect((await login(new Client(w.base), 'sam@demo.tally', PASSWORD)).status).toBe(401);
    expect((await w.sam.post('/api/auth/password', { currentPassword: 'wrong', password: 'another fine long password' })).body.error.field).toBe('currentPassword');
  });

  it('a reset link is single-use and expires; it ends every session', async () => {
    const link = await w.manager.post(`/api/team/members/${w.ids.sam}/reset-link`);
    expect(link.status).toBe(200);
    expect(link.body.resetPath).toBe(`/reset#${link.body.token}`);
    expect((await w.sam.post(`/api/team/members/${w.ids.priya}/reset-link`)).status).toBe(403);
    const anon = new Client(w.base);
    const done = await anon.post('/api/auth/password-reset', { token: link.body.token, password: 'a brand new password for sam' });
    expect(done.status, done.text).toBe(200);
    expect((await w.sam.get('/api/auth/me')).status).toBe(401);
    const again = await new Client(w.base).post('/api/auth/password-reset', { token: link.body.token, password: 'yet another password for sam' });
    expect(again.body.error).toMatchObject({ code: 'invalid', field: 'token' });
    w.sam = anon;
  });

  it('"forgot my password" mails a link to an account and answers the same for an unknown address', async () => {
    const before = smtp.mails.length;
    const known = await new Client(w.base).post('/api/auth/password-reset/request', { email: 'priya@demo.tally' });
    const unknown = await new Client(w.base).post('/api/auth/password-reset/request', { email: 'ghost@demo.tally' });
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(known.body).toEqual(unknown.body);
    expect(smtp.mails.length).toBe(before + 1);
    expect(smtp.mails.at(-1)!.raw).toMatch(/\/reset#rst_/);
  });

  it('lists and revokes sessions; signs out everywhere else', async () => {
    const extra = new Client(w.base);
    await login(extra, 'you@demo.tally', PASSWORD);
    const list = await w.manager.get('/api/auth/sessions');
    expect(list.body.items.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(list.body.items.length).toBeGreaterThanOrEqual(2);
    const ended = await w.manager.post('/api/auth/sessions/end-others');
    expect(ended.body.ended).toBeGreaterThanOrEqual(1);
    expect((await extra.get('/api/auth/me')).status).toBe(401);
    expect((await w.manager.get('/api/auth/me')).status).toBe(200);
  });

  it('deactivating a rep ends their sessions and tokens at once and hands their prospects to a teammate; reactivating lets them back', async () => {
    const token = await w.priya.post('/api/tokens', { name: 'script' });
    const bearer = new Client(w.base);
    bearer.bearer = token.body.token;
    expect((await bearer.get('/api/auth/me')).status).toBe(200);
    const theirs = await w.store.db.selectFrom('prospects').select((eb) => eb.fn.countAll<number>().as('n')).where('owner_id', '=', w.ids.priya).executeTakeFirstOrThrow();
    expect((await w.manager.post(`/api/team/members/${w.ids.priya}/deactivate`, { reassignTo: w.ids.priya })).status).toBe(400);
    const r = await w.manager.post(`/api/team/members/${w.ids.priya}/deactivate`, { reassignTo: w.ids.manager });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ prospectsMoved: Number(theirs.n), tokensRevoked: 1 });
    expect(r.body.sessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await w.priya.get('/api/auth/me')).status).toBe(401);
    expect((await bearer.get('/api/auth/me')).status).toBe(401);
    expect((await login(new Client(w.base), 'priya@demo.tally', PASSWORD, { 'x-forwarded-for': '10.7.0.1' })).status).not.toBe(200);
    const team = await w.manager.get('/api/team');
    expect(team.body.members.find((m: { id: number }) => m.id === w.ids.priya)).toMatchObject({ active: false });
    expect((await w.manager.post(`/api/team/members/${w.ids.priya}/reactivate`)).status).toBe(200);
  });

  it('changes roles but always keeps one active manager; managers see and revoke any token; invitations can be cancelled', async () => {
    expect((await w.manager.req('PATCH', `/api/team/members/${w.ids.manager}`, { body: { role: 'rep' } })).body.error.code).toBe('conflict');
    const promoted = await w.manager.req('PATCH', `/api/team/members/${w.ids.priya}`, { body: { role: 'manager' } });
    expect(promoted.body.role).toBe('manager');
    await w.manager.req('PATCH', `/api/team/members/${w.ids.priya}`, { body: { role: 'rep' } });

    const made = await w.manager.post('/api/tokens', { name: 'short', expiresInDays: 7 });
    expect(made.body.expiresAt - made.body.createdAt).toBe(7 * 86_400_000);
    const fallback = await w.manager.post('/api/tokens', { name: 'default' });
    expect(fallback.body.expiresAt - fallback.body.createdAt).toBe(90 * 86_400_000);
    const all = await w.manager.get('/api/team/tokens');
    expect(all.body.items.map((t: { id: number }) => t.id)).toEqual(expect.arrayContaining([made.body.id, fallback.body.id]));
    expect((await w.manager.req('DELETE', `/api/team/tokens/${made.body.id}`)).status).toBe(204);

    const inv = await w.manager.post('/api/auth/invites', { email: 'later@demo.tally', name: 'Later', role: 'rep' });
    expect((await w.manager.req('DELETE', `/api/auth/invites/${inv.body.id}`)).status).toBe(204);
    const accept = await new Client(w.base).post('/api/auth/accept', { token: inv.body.token, password: 'a perfectly fine password' });
    expect(accept.body.error.field).toBe('token');
  });

  it('an expired API token stops working', async () => {
    const made = await w.manager.post('/api/tokens', { name: 'soon gone', expiresInDays: 1 });
    await w.store.db.updateTable('api_tokens').set({ expires_at: 1 }).where('id', '=', made.body.id).execute();
    const c = new Client(w.base);
    c.bearer = made.body.token;
    expect((await c.get('/api/auth/me')).body.error.message).toMatch(/expired/);
  });
});

describe('claiming a server', () => {
  it('sign-up on an unowned server needs the setup code it printed', async () => {
    const { base, setupCode } = await startServer();
    const body = { email: 'first@example.com', name: 'First', password: PASSWORD, workspaceName: 'W' };
    const none = await new Client(base).post('/api/auth/signup', body);
    expect(none.body.error).toMatchObject({ code: 'forbidden', field: 'setupCode' });
    expect((await new Client(base).post('/api/auth/signup', { ...body, setupCode: 'AAAA-BBBB-CCCC-DDDD' })).status).toBe(403);
    expect((await new Client(base).post('/api/auth/signup', { ...body, setupCode: setupCode.toLowerCase().replace(/-/g, ' ') })).status).toBe(201);
  });
});

describe('headers', () => {
  it('a strict CSP everywhere but the docs, HSTS only over TLS, and Origin checked on cookie changes', async () => {
    const page = await w.anon().get('/api/auth/setup');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('strict-transport-security')).toBeNull();
    const tls = await w.anon().get('/api/auth/setup', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toBe('max-age=31536000');

    const evil = await w.manager.post('/api/auth/invites', { email: 'x@demo.tally', name: 'X', role: 'rep' }, { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe('csrf');
    const viaReferer = await w.manager.post('/api/auth/invites', { email: 'x@demo.tally', name: 'X', role: 'rep' }, { headers: { referer: 'https://evil.example/page' } });
    expect(viaReferer.status).toBe(403);
    const own = await w.manager.post('/api/auth/invites', { email: 'y@demo.tally', name: 'Y', role: 'rep' }, { headers: { origin: w.base } });
    expect(own.status).toBe(201);
    // An API token carries no ambient authority: no Origin check.
    const tok = await w.manager.post('/api/tokens', { name: 'script' });
    const script = new Client(w.base);
    script.bearer = tok.body.token;
    expect((await script.post('/api/auth/invites', { email: 'z@demo.tally', name: 'Z', role: 'rep' }, { headers: { origin: 'https://elsewhere.example' } })).status).toBe(201);
  });
});
