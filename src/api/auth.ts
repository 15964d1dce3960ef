// Who is calling: a session cookie (browsers, with a CSRF header on every change) or a Bearer
// API token (scripts). Every route declares its access in `config.auth`; nothing is open by default.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Runtime } from '../app/ports/runtime.ts';
import type { User } from '../app/ports/records.ts';
import { contextForUser, type Context } from '../app/context.ts';
import { apiTokenUser, sameSecret, SESSION_DAYS, sessionUser, type Session } from '../app/accounts.ts';
import { refuse } from './errors.ts';
import type { Access } from '../contract/route.ts';


declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route. Routes without it are refused (fail closed). */
    auth?: Access;
  }
  interface FastifyRequest {
    tally: { ctx: Context; via: 'session' | 'token'; csrfToken: string | null; sessionId: number | null } | null;
  }
}

export const SESSION_COOKIE = 'tally_session';
/** Readable by the page's script, which echoes it in the CSRF header. */
export const CSRF_COOKIE = 'tally_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function setSessionCookies(req: FastifyRequest, reply: FastifyReply, s: Session): void {
  const secure = req.protocol === 'https';
  const maxAge = SESSION_DAYS * 86_400;
  reply.setCookie(SESSION_COOKIE, s.token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge });
  reply.setCookie(CSRF_COOKIE, s.csrfToken, { path: '/', httpOnly: false, sameSite: 'lax', secure, maxAge });
}

export function clearSessionCookies(req: FastifyRequest, reply: FastifyReply): void {
  const secure = req.protocol === 'https';
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  reply.clearCookie(CSRF_COOKIE, { path: '/', sameSite: 'lax', secure });
}

/** The acting user's context; only called from routes that require a user. */
export function ctxOf(req: FastifyRequest): Context {
  if (!req.tally) throw refuse('unauthorized', 'sign in first');
  return req.tally.ctx;
}

/**
 * A second layer behind the CSRF token, for cookie-authenticated changes: a browser names the page
 * that sent the request in Origin (else Referer); it must be this server. Requests that name none
 * (scripts, old browsers) rely on the token alone.
 */
function sameOrigin(req: FastifyRequest): boolean {
  const own = `${req.protocol}://${req.host}`.toLowerCase();
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== '') return origin.toLowerCase() === own;
  const referer = req.headers.referer;
  if (typeof referer !== 'string' || referer === '') return true;
  try {
    return new URL(referer).origin.toLowerCase() === own;
  } catch {
    return false;
  }
}

async function identify(rt: Runtime, req: FastifyRequest, now: number): Promise<{ user: User; via: 'session' | 'token'; csrfToken: string | null; sessionId: number | null } | null> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw refuse('unauthorized', 'the Authorization header must be "Bearer <API token>"');
    const user = await apiTokenUser(rt, m[1]!, now);
    if (!user) throw refuse('unauthorized', 'unknown, expired or revoked API token');
    return { user, via: 'token', csrfToken: null, sessionId: null };
  }
  const token = req.cookies[SESSION_COOKIE];
  if (!token) return null;
  const s = await sessionUser(rt, token, now);
  if (!s) return null;
  // Double submit: a page on another site can make the browser send the cookie, but it cannot
  // read it to put it in a header.
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameSecret(sent, s.csrfToken)) {
      throw refuse('csrf', `missing or wrong ${CSRF_HEADER} header: send the csrfToken you got when signing in`);
    }
    if (!sameOrigin(req)) throw refuse('csrf', 'this request comes from another site (its Origin is not this server)');
  }
  return { user: s.user, via: 'session', csrfToken: s.csrfToken, sessionId: s.sessionId };
}

export function installAuth(app: FastifyInstance, rt: Runtime): void {
  app.decorateRequest('tally', null);
  // onRequest: before the body is read, so an anonymous caller learns nothing about validation.
  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    if (url === undefined) return; // no route: the 404 handler answers
    // The web app's files are public; under /api/ a route must say who may call it.
    const access = req.routeOptions.config.auth ?? (url.startsWith('/api/') ? undefined : 'public');
    if (access === 'public') return;
    const who = await identify(rt, req, rt.now());
    if (!who) throw refuse('unauthorized', 'sign in first (or send an API token as "Authorization: Bearer …")');
    if (access !== 'user' && access !== 'manager') throw refuse('forbidden', 'this endpoint is not open');
    if (access === 'manager' && who.user.role !== 'manager') throw refuse('forbidden', 'only a manager can do this');
    req.tally = { ctx: await contextForUser(rt, who.user), via: who.via, csrfToken: who.csrfToken, sessionId: who.sessionId };
  });
}
