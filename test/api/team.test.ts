// The sign-in page's setup status (open until the first owner signs up, the claimable workspace
// named only while open) and the team listing: everything for managers, names and roles for reps,
// nothing from another workspace.
import { beforeAll, describe, expect, it } from 'vitest';
import { testNow } from '../helpers/clock.ts';
import { Client, demoWorld, PASSWORD, startServer, type World } from './harness.ts';
import { createSession } from '../../src/app/accounts.ts';
import { SESSION_COOKIE } from '../../src/api/auth.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

describe('GET /api/auth/setup', () => {
  it('is open on an empty server, names no workspace, and closes once the owner signs up', async () => {
    const { base, setupCode } = await startServer();
    const anon = new Client(base);
    const before = await anon.get('/api/auth/setup');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ signupOpen: true, workspaceName: null, setupCodeRequired: true });

    // Errors name the field the form shows them next to.
    const short = await anon.post('/api/auth/signup', { email: 'owner@example.com', name: 'Owner', password: 'short' });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('password');
    const zone = await anon.post('/api/auth/signup', { email: 'owner@example.com', name: 'Owner', password: PASSWORD, timezone: 'Mars/Olympus' });
    expect(zone.body.error.field).toBe('timezone');
    expect((await anon.get('/api/auth/setup')).body.signupOpen).toBe(true);

    const owner = new Client(base);
    const signup = await owner.post('/api/auth/signup', { email: 'owner@example.com', name: 'Owner', password: PASSWORD, workspaceName: 'Owner & Co', timezone: 'Europe/Paris', setupCode });
    expect(signup.status).toBe(201);
    expect(signup.body.workspace).toMatchObject({ name: 'Owner & Co', timezone: 'Europe/Paris' });
    expect(signup.body.claimed).toBe(false);

    // Closed: and an anonymous visitor no longer learns the workspace's name.
    const after = await new Client(base).get('/api/auth/setup');
    expect(after.body).toEqual({ signupOpen: false, workspaceName: null, setupCodeRequired: true });
    expect(after.text).not.toContain('Owner & Co');
    const second = await new Client(base).post('/api/auth/signup', { email: 'late@example.com', name: 'Late', password: PASSWORD });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('signup_closed');
  });

  it('names the workspace made by the demo while it waits for its owner', async () => {
    const { base, setupCode } = await startServer({ demoProspects: 5 });
    const setup = await new Client(base).get('/api/auth/setup');
    expect(setup.body).toEqual({ signupOpen: true, workspaceName: 'Demo: Acme Sales', setupCodeRequired: true });
    const owner = new Client(base);
    const signup = await owner.post('/api/auth/signup', { email: 'you@demo.tally', name: 'Morgan Manager', password: PASSWORD, setupCode });
    expect(signup.body.claimed).toBe(true);
    expect((await new Client(base).get('/api/auth/setup')).body).toEqual({ signupOpen: false, workspaceName: null, setupCodeRequired: true });
  });
});

describe('GET /api/team', () => {
  let w: World;
  let invitedToken: string;

  beforeAll(async () => {
    w = await demoWorld();
    const inv = await w.manager.post('/api/auth/invites', { email: 'new.rep@demo.tally', name: 'New Rep', role: 'rep' });
    expect(inv.status).toBe(201);
    invitedToken = inv.body.token;
  });

  it('gives a manager every member with email, zone and whether they joined, and the open invitations without their tokens', async () => {
    const team = await w.manager.get('/api/team');
    expect(team.status).toBe(200);
    expect(team.body.members).toEqual([
      { id: w.ids.manager, name: 'Morgan Manager', role: 'manager', email: 'you@demo.tally', timezone: null, joined: true, active: true },
      { id: w.ids.priya, name: 'Priya Natarajan', role: 'rep', email: 'priya@demo.tally', timezone: 'Europe/London', joined: true, active: true },
      { id: w.ids.sam, name: 'Sam Rivera', role: 'rep', email: 'sam@demo.tally', timezone: 'America/Chicago', joined: true, active: true },
    ]);
    expect(team.body.invites).toHaveLength(1);
    expect(team.body.invites[0]).toMatchObject({ email: 'new.rep@demo.tally', name: 'New Rep', role: 'rep', invitedBy: 'Morgan Manager' });
    expect(team.text).not.toContain(invitedToken);
    expect(team.text).not.toMatch(/password|hash/i);
  });

  it('gives a rep names and roles only: no addresses, zones or invitations', async () => {
    const team = await w.sam.get('/api/team');
    expect(team.status).toBe(200);
    expect(team.body.invites).toBeNull();
    expect(team.body.members.map((m: { name: string; role: string }) => `${m.name}:${m.role}`)).toEqual([
      'Morgan Manager:manager', 'Priya Natarajan:rep', 'Sam Rivera:rep',
    ]);
    for (const m of team.body.members) expect(Object.keys(m).sort()).toEqual(['id', 'name', 'role']);
    expect(team.text).not.toContain('@');
    expect(team.text).not.toContain('Europe/London');
  });

  it('drops an invitation once accepted, and the new member appears', async () => {
    const rep = new Client(w.base);
    expect((await rep.post('/api/auth/accept', { token: invitedToken, password: PASSWORD })).status).toBe(200);
    const team = await w.manager.get('/api/team');
    expect(team.body.invites).toEqual([]);
    expect(team.body.members.map((m: { email: string }) => m.email)).toContain('new.rep@demo.tally');
    expect((await rep.get('/api/team')).body.members.map((m: { name: string }) => m.name)).toContain('New Rep');
  });

  it('shows nothing of another workspace, in either direction', async () => {
    const db = w.store.db;
    const other = await db.insertInto('workspaces').values({ name: 'Elsewhere Inc', timezone: 'Asia/Tokyo', settings: '{}', created_at: testNow() }).returning('id').executeTakeFirstOrThrow();
    const outsider = await db
      .insertInto('users')
      .values({ workspace_id: other.id, email: 'boss@elsewhere.example', name: 'Elsewhere Boss', role: 'manager', password_hash: 'x', timezone: 'Asia/Tokyo', created_at: testNow() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('invites')
      .values({ workspace_id: other.id, email: 'hire@elsewhere.example', name: 'Elsewhere Hire', role: 'rep', token_hash: 'h', invited_by: outsider.id, created_at: testNow(), expires_at: testNow() + 86_400_000 })
      .execute();

    for (const c of [w.manager, w.sam]) {
      const team = await c.get('/api/team');
      expect(team.text).not.toContain('Elsewhere');
      expect(team.text).not.toContain('elsewhere.example');
    }
    const session = await createSession(runtimeFor(w.store), outsider.id);
    const boss = new Client(w.base);
    boss.cookies.set(SESSION_COOKIE, session.token);
    const theirs = await boss.get('/api/team');
    expect(theirs.status).toBe(200);
    expect(theirs.body.members.map((m: { name: string }) => m.name)).toEqual(['Elsewhere Boss']);
    expect(theirs.body.invites.map((i: { email: string }) => i.email)).toEqual(['hire@elsewhere.example']);
    expect(theirs.text).not.toContain('demo.tally');
  });

  it('refuses anonymous callers', async () => {
    const res = await w.anon().get('/api/team');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
  });
});
