// Sign-up (or claim), sign-in, sign-out, who am I, invitations and accepting them.
import { z } from 'zod';
import { errorSchema } from '../errors.ts';
import type { Runtime } from '../../app/ports/runtime.ts';
import { acceptInvite, createSession, endSession, invite, logIn, MIN_PASSWORD, publicUser, setupStatus, signUp } from '../../app/accounts.ts';
import { changePassword, endOtherSessions, endOwnSession, listSessions, requestPasswordReset, resetPassword } from '../../app/passwords.ts';
import { cancelInvite } from '../../app/team-admin.ts';
import type { User } from '../../app/ports/records.ts';
import { refuse } from '../errors.ts';
import { clearSessionCookies, ctxOf, SESSION_COOKIE, setSessionCookies } from '../auth.ts';
import { accepted, created, idParams, noContent, ok, userSchema, type Api } from '../schemas.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';

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

const sessionInfo = z.object({
  id: z.number(), createdAt: z.number(), lastSeenAt: z.number().nullable(), expiresAt: z.number(),
  userAgent: z.string().nullable().describe('the browser that signed in'), current: z.boolean().describe('the session of this request'),
});

type SessionAnswer = z.infer<typeof sessionSchema>;
type SignIn = (req: FastifyRequest, reply: FastifyReply, user: User) => Promise<SessionAnswer>;

/** Where the server is reached from outside, for links in mail: configured, never taken from the request's Host header. */
export type PublicUrl = () => string;

export function authRoutes(app: Api, rt: Runtime, publicUrl: PublicUrl): void {
  /** Signs the user in on this browser: a new session, its cookies, and the answer the web app keeps. */
  const signIn: SignIn = async (req, reply, user) => {
    const s = await createSession(rt, user.id, rt.now(), req.headers['user-agent'] ?? null);
    setSessionCookies(req, reply, s);
    return { user: publicUser(user), workspace: await workspaceOf(user.workspace_id), csrfToken: s.csrfToken };
  };
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
      response: ok(z.object({
        signupOpen: z.boolean(),
        workspaceName: z.string().nullable().describe('only while sign-up is open'),
        setupCodeRequired: z.boolean().describe('sign-up must give the setup code "tally serve" printed'),
      })),
    },
  }, async () => ({ ...(await setupStatus(rt)), setupCodeRequired: true }));

  app.post('/api/auth/signup', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Create the workspace with its first user (a manager), or claim the one made by "tally init"',
      body: z.object({
        email, name: personName, password, workspaceName: personName.optional(), timezone: z.string().max(64).optional(),
        setupCode: z.string().max(64).optional().describe('the one-time code "tally init" / "tally serve" printed (required)'),
      }),
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
    schema: {
      tags: ['auth'],
      summary: 'Sign in: sets the session cookie',
      description: 'After a few failures for one account (or many from one address) sign-in is paused with exponential back-off: 429 with Retry-After (seconds).',
      body: z.object({ email, password: z.string().max(200) }),
      response: { ...ok(sessionSchema), 429: errorSchema },
    },
  }, async (req, reply) => {
    const user = await logIn(rt, req.body.email, req.body.password, { address: req.ip, onNoticeError: (err) => req.log.error({ err }, 'lockout notice not sent') });
    return signIn(req, reply, user);
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
    return signIn(req, reply, user);
  });

  app.delete('/api/auth/invites/:id', {
    config: { auth: 'manager' },
    schema: { tags: ['auth'], summary: 'Cancel an invitation not yet accepted (managers only): its link stops working', params: idParams, response: noContent() },
  }, async (req, reply) => {
    await cancelInvite(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  passwordRoutes(app, rt, publicUrl, signIn);
  sessionRoutes(app);
}

function passwordRoutes(app: Api, rt: Runtime, publicUrl: PublicUrl, signIn: SignIn): void {
  app.post('/api/auth/password', {
    config: { auth: 'user' },
    schema: {
      tags: ['auth'],
      summary: 'Change your password: give the current one; every other session of yours ends',
      body: z.object({ currentPassword: z.string().max(200), password }),
      response: ok(z.object({ sessionsEnded: z.number() })),
    },
  }, async (req) => changePassword(ctxOf(req), req.body.currentPassword, req.body.password, req.tally?.sessionId ?? undefined));

  app.post('/api/auth/password-reset/request', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Forgot your password: a reset link (valid 1 hour, single use) is mailed when the address has an account and the workspace a mailbox',
      description: 'Always answers 202, so it tells nobody which addresses have accounts. Without a mailbox, ask a manager for a reset link.',
      body: z.object({ email }),
      response: accepted(z.object({ message: z.string() })),
    },
  }, async (req, reply) => {
    await requestPasswordReset(rt, req.body.email, publicUrl());
    return reply.code(202).send({ message: 'if this address has an account, a reset link is on its way' });
  });

  app.post('/api/auth/password-reset', {
    config: { auth: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Set a new password with a reset token, and sign in; every other session of the account ends',
      body: z.object({ token: z.string().min(1).max(200), password }),
      response: ok(sessionSchema),
    },
  }, async (req, reply) => signIn(req, reply, await resetPassword(rt, req.body.token, req.body.password)));
}

function sessionRoutes(app: Api): void {
  app.get('/api/auth/sessions', {
    config: { auth: 'user' },
    schema: { tags: ['auth'], summary: 'Your signed-in sessions (browsers), newest first', response: ok(z.object({ items: z.array(sessionInfo) })) },
  }, async (req) => ({ items: await listSessions(ctxOf(req), req.tally?.sessionId ?? null) }));

  app.delete('/api/auth/sessions/:id', {
    config: { auth: 'user' },
    schema: { tags: ['auth'], summary: 'Sign one of your sessions out', params: idParams, response: noContent() },
  }, async (req, reply) => {
    await endOwnSession(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });

  app.post('/api/auth/sessions/end-others', {
    config: { auth: 'user' },
    schema: { tags: ['auth'], summary: 'Sign out everywhere else: every session of yours but this one ends', response: ok(z.object({ ended: z.number() })) },
  }, async (req) => ({ ended: await endOtherSessions(ctxOf(req), req.tally?.sessionId ?? null) }));
}
