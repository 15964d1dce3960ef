// Sign-up (or claim), sign-in, sign-out, who am I, invitations and accepting them.
import { z } from 'zod';
import type { Runtime } from '../../app/ports/runtime.ts';
import { acceptInvite, createSession, endSession, invite, logIn, MIN_PASSWORD, publicUser, setupStatus, signUp } from '../../app/accounts.ts';
import { refuse } from '../errors.ts';
import { clearSessionCookies, ctxOf, SESSION_COOKIE, setSessionCookies } from '../auth.ts';
import { created, noContent, ok, userSchema, type Api } from '../schemas.ts';

const email = z.email({ error: 'must be an email address' }).max(254);
const password = z.string({ error: 'must be text' }).min(MIN_PASSWORD, `must have at least ${MIN_PASSWORD} characters`).max(200);
// The sign-up form shows these next to their fields: say what is wrong in words.
const personName = z.string({ error: 'must be text' }).trim().min(1, 'must not be empty').max(120);
const workspaceSchema = z.object({ id: z.number(), name: z.string(), timezone: z.string() });
const sessionSchema = z.object({
  user: userSchema,
  workspace: workspaceSchema,
  csrfToken: z.string().nullable().describe('echo it in the X-CSRF-Token header of every POST/PUT/PATCH/DELETE (null when signed in with an API token)'),
});

export function authRoutes(app: Api, rt: Runtime): void {
  const workspaceOf = async (id: number) => {
    const w = await rt.store.workspaces.byId(id);
    if (!w) throw refuse('not_found', 'your workspace is gone');
    return { id: w.id, name: w.name, timezone: w.timezone };
  };

  app.get('/api/auth/setup', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Before signing in: is sign-up still open (nobody has a password yet), and which workspace it would claim',
      response: ok(z.object({ signupOpen: z.boolean(), workspaceName: z.string().nullable().describe('only while sign-up is open') })),
    },
  }, async () => setupStatus(rt));

  app.post('/api/auth/signup', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Create the workspace with its first user (a manager), or claim the one made by "tally init"',
      body: z.object({ email, name: personName, password, workspaceName: personName.optional(), timezone: z.string().max(64).optional() }),
      response: created(sessionSchema.extend({ claimed: z.boolean().describe('true when an existing workspace was claimed') })),
    },
  }, async (req, reply) => {
    const { user, workspace, claimed } = await signUp(rt, req.body, rt.now());
    const s = await createSession(rt, user.id, rt.now());
    setSessionCookies(req, reply, s);
    return reply.code(201).send({ user: publicUser(user), workspace: { id: workspace.id, name: workspace.name, timezone: workspace.timezone }, csrfToken: s.csrfToken, claimed });
  });

  app.post('/api/auth/login', {
    config: { auth: 'public' },
    schema: { tags: ['auth'], summary: 'Sign in: sets the session cookie', body: z.object({ email, password: z.string().max(200) }), response: ok(sessionSchema) },
  }, async (req, reply) => {
    const user = await logIn(rt, req.body.email, req.body.password);
    const s = await createSession(rt, user.id, rt.now());
    setSessionCookies(req, reply, s);
    return { user: publicUser(user), workspace: await workspaceOf(user.workspace_id), csrfToken: s.csrfToken };
  });

  app.post('/api/auth/logout', {
    config: { auth: 'user' },
    schema: { tags: ['auth'], summary: 'Sign out: ends this session', response: noContent() },
  }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) await endSession(rt, token);
    clearSessionCookies(req, reply);
    return reply.code(204).send(null);
  });

  app.get('/api/auth/me', {
    config: { auth: 'user' },
    schema: { tags: ['auth'], summary: 'The signed-in user', response: ok(sessionSchema) },
  }, async (req) => {
    const ctx = ctxOf(req);
    return { user: publicUser(ctx.user), workspace: { id: ctx.workspace.id, name: ctx.workspace.name, timezone: ctx.workspace.timezone }, csrfToken: req.tally?.csrfToken ?? null };
  });

  app.post('/api/auth/invites', {
    config: { auth: 'manager' },
    schema: {
      tags: ['auth'],
      summary: 'Invite a rep or a manager (managers only); the token is shown once',
      body: z.object({ email, name: personName, role: z.enum(['rep', 'manager']).default('rep') }),
      response: created(z.object({ id: z.number(), email: z.string(), name: z.string(), role: z.enum(['rep', 'manager']), expiresAt: z.number(), token: z.string(), acceptPath: z.string() })),
    },
  }, async (req, reply) => {
    const inv = await invite(ctxOf(req), req.body);
    return reply.code(201).send({ ...inv, acceptPath: `/accept#${inv.token}` });
  });

  app.post('/api/auth/accept', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Accept an invitation: set a password and sign in',
      body: z.object({ token: z.string().min(1).max(200), password }),
      response: ok(sessionSchema),
    },
  }, async (req, reply) => {
    const user = await acceptInvite(rt, req.body.token, req.body.password, rt.now());
    const s = await createSession(rt, user.id, rt.now());
    setSessionCookies(req, reply, s);
    return { user: publicUser(user), workspace: await workspaceOf(user.workspace_id), csrfToken: s.csrfToken };
  });
}
