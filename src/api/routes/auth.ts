// Sign-up (or claim), sign-in, sign-out, who am I, invitations and accepting them; passwords
// (change, reset) and your sessions.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Runtime } from '../../app/ports/runtime.ts';
import type { User } from '../../app/ports/records.ts';
import { acceptInvite, createSession, endSession, logIn, publicUser, setupStatus, signUp } from '../../app/accounts.ts';
import { resendInvitation, sendInvitation } from '../../app/invitations.ts';
import { changePassword, endOtherSessions, endOwnSession, listSessions, requestPasswordReset, resetPassword } from '../../app/passwords.ts';
import { cancelInvite } from '../../app/team-admin.ts';
import { auth, type Session } from '../../contract/auth.ts';
import { refuse } from '../errors.ts';
import { clearSessionCookies, ctxOf, SESSION_COOKIE, setSessionCookies } from '../auth.ts';
import { implement, type Api } from '../routing.ts';

type SignIn = (req: FastifyRequest, reply: FastifyReply, user: User) => Promise<Session>;

/** Where the server is reached from outside, for links in mail: configured, never taken from the request's Host header. */
export type PublicUrl = () => string;

export function authRoutes(app: Api, rt: Runtime, publicUrl: PublicUrl): void {
  const workspaceOf = async (id: number) => {
    const w = await rt.store.workspaces.byId(id);
    if (!w) throw refuse('not_found', 'your workspace is gone');
    return { id: w.id, name: w.name, timezone: w.timezone };
  };
  /** Signs the user in on this browser: a new session, its cookies, and the answer the web app keeps. */
  const signIn: SignIn = async (req, reply, user) => {
    const s = await createSession(rt, user.id, rt.now(), req.headers['user-agent'] ?? null);
    setSessionCookies(req, reply, s);
    return { user: publicUser(user), workspace: await workspaceOf(user.workspace_id), csrfToken: s.csrfToken };
  };
  const sessionId = (req: FastifyRequest) => req.tally?.sessionId ?? null;

  implement(app, auth, {
    setup: async () => ({ ...(await setupStatus(rt)), setupCodeRequired: true }),

    signup: async (req, reply) => {
      const { user, workspace, claimed } = await signUp(rt, req.body, rt.now());
      const s = await createSession(rt, user.id, rt.now());
      setSessionCookies(req, reply, s);
      return reply.code(201).send({ user: publicUser(user), workspace: { id: workspace.id, name: workspace.name, timezone: workspace.timezone }, csrfToken: s.csrfToken, claimed });
    },

    login: async (req, reply) => {
      const user = await logIn(rt, req.body.email, req.body.password, { address: req.ip, onNoticeError: (err) => req.log.error({ err }, 'lockout notice not sent') });
      return signIn(req, reply, user);
    },

    logout: async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) await endSession(rt, token);
      clearSessionCookies(req, reply);
      return reply.code(204).send(null);
    },

    me: async (req) => {
      const ctx = ctxOf(req);
      return { user: publicUser(ctx.user), workspace: { id: ctx.workspace.id, name: ctx.workspace.name, timezone: ctx.workspace.timezone }, csrfToken: req.tally?.csrfToken ?? null };
    },

    invite: async (req, reply) => reply.code(201).send(await sendInvitation(ctxOf(req), req.body, publicUrl())),

    resendInvite: async (req) => resendInvitation(ctxOf(req), req.params.id, publicUrl()),

    accept: async (req, reply) => signIn(req, reply, await acceptInvite(rt, req.body.token, req.body.password, rt.now())),

    cancelInvite: async (req, reply) => {
      await cancelInvite(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },

    changePassword: async (req) => changePassword(ctxOf(req), req.body.currentPassword, req.body.password, sessionId(req) ?? undefined),

    requestReset: async (req, reply) => {
      await requestPasswordReset(rt, req.body.email, publicUrl());
      return reply.code(202).send({ message: 'if this address has an account, a reset link is on its way' });
    },

    resetPassword: async (req, reply) => signIn(req, reply, await resetPassword(rt, req.body.token, req.body.password)),

    sessions: async (req) => ({ items: await listSessions(ctxOf(req), sessionId(req)) }),

    endSession: async (req, reply) => {
      await endOwnSession(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },

    endOtherSessions: async (req) => ({ ended: await endOtherSessions(ctxOf(req), sessionId(req)) }),
  });
}
