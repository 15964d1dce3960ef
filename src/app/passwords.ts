// Changing a password (the other sessions end), and resetting a forgotten one with a single-use
// token that expires in an hour: sent by mail when the workspace has a mailbox, or handed over as a
// link by a manager. A reset ends every session and clears the sign-in lock of the account.
import { TallyError } from '../core/errors.ts';
import { isManager, type Context } from './context.ts';
import { hashSecret } from './accounts.ts';
import { requireGoodPassword } from './password-rules.ts';
import { sendAccountMail } from './account-mail.ts';
import { signInKeys } from './sign-in-guard.ts';
import type { Session, User } from './ports/records.ts';
import type { Runtime } from './ports/runtime.ts';

export const RESET_MINUTES = 60;

/** The current password, then the new one; every other session of the user ends. */
export async function changePassword(ctx: Context, current: string, next: string, keepSessionId?: number): Promise<{ sessionsEnded: number }> {
  if (!ctx.user.password_hash || !(await ctx.passwords.verify(ctx.user.password_hash, current))) {
    throw new TallyError('the current password is wrong', 'invalid', { field: 'currentPassword' });
  }
  if (current === next) throw new TallyError('the new password is the same as the current one', 'invalid', { field: 'password' });
  await requireGoodPassword(next, [ctx.user.email, ctx.user.name]);
  const hash = await ctx.passwords.hash(next);
  return ctx.store.transaction(async (tx) => {
    await tx.users.setPasswordHash(ctx.user.id, hash);
    await tx.accounts.endResets(ctx.user.id, ctx.now());
    return { sessionsEnded: await tx.accounts.endSessions(ctx.user.id, keepSessionId) };
  });
}

export interface ResetLink {
  token: string;
  /** The page that takes the token (the fragment never reaches a server log). */
  resetPath: string;
  expiresAt: number;
}

async function newReset(rt: Runtime, user: User, now: number): Promise<ResetLink> {
  const token = `rst_${rt.ids.secret()}`;
  const expiresAt = now + RESET_MINUTES * 60_000;
  await rt.store.transaction(async (tx) => {
    await tx.accounts.endResets(user.id, now); // only the newest link works
    await tx.accounts.createReset({ user_id: user.id, token_hash: hashSecret(token), created_at: now, expires_at: expiresAt });
  });
  return { token, resetPath: `/reset#${token}`, expiresAt };
}

/**
 * "Forgot my password": mails a reset link when the address has an account and the workspace a
 * mailbox. The answer is the same either way, so it tells nobody which addresses have accounts.
 * `baseUrl` is the server's configured public address, never the request's Host header.
 */
export async function requestPasswordReset(rt: Runtime, email: string, baseUrl: string): Promise<void> {
  const user = await rt.store.users.byLogin(email.trim().toLowerCase());
  if (!user) return;
  const link = await newReset(rt, user, rt.now());
  await sendAccountMail(rt, user, {
    subject: 'Tally: reset your password',
    text: [
      `Hello ${user.name},`,
      '',
      `Someone (you, we hope) asked to reset the Tally password of ${user.email}. Open this link within ${RESET_MINUTES} minutes to choose a new one:`,
      '',
      `${baseUrl.replace(/\/+$/, '')}${link.resetPath}`,
      '',
      'If you did not ask, ignore this mail: your password stays as it is.',
    ].join('\n'),
  });
}

/** A manager hands a teammate a reset link (a workspace without a mailbox, or a locked-out person). */
export async function resetLinkFor(ctx: Context, userId: number): Promise<ResetLink> {
  if (!isManager(ctx) && userId !== ctx.user.id) throw new TallyError("only a manager can make a reset link for someone else", 'forbidden');
  const u = await ctx.store.users.byId(userId);
  if (!u || u.workspace_id !== ctx.workspace.id || u.deactivated_at !== null) throw new TallyError(`no active user #${userId} in this workspace`, 'not_found');
  return newReset(ctx, u, ctx.now());
}

/** Sets a new password with a reset token: single use, unexpired; every session of the user ends. */
export async function resetPassword(rt: Runtime, token: string, password: string): Promise<User> {
  const now = rt.now();
  const reset = await rt.store.accounts.resetByHash(hashSecret(token));
  const user = reset && reset.used_at === null && reset.expires_at > now ? await rt.store.users.byId(reset.user_id) : undefined;
  if (!reset || !user || user.deactivated_at !== null) throw new TallyError('this reset link is unknown, used or expired: ask for a new one', 'invalid', { field: 'token' });
  await requireGoodPassword(password, [user.email, user.name]);
  const hash = await rt.passwords.hash(password);
  await rt.store.transaction(async (tx) => {
    if (!(await tx.accounts.useReset(reset.id, now))) throw new TallyError('this reset link was just used', 'conflict', { field: 'token' });
    await tx.users.setPasswordHash(user.id, hash);
    await tx.accounts.endSessions(user.id);
    await tx.accounts.clearFailures(signInKeys(user.email, '').account);
  });
  return { ...user, password_hash: hash };
}

export interface SessionView {
  id: number;
  createdAt: number;
  lastSeenAt: number | null;
  expiresAt: number;
  userAgent: string | null;
  /** The session this request came with. */
  current: boolean;
}

function sessionView(s: Session, currentId: number | null): SessionView {
  return { id: s.id, createdAt: Number(s.created_at), lastSeenAt: s.last_seen_at === null ? null : Number(s.last_seen_at), expiresAt: Number(s.expires_at), userAgent: s.user_agent, current: s.id === currentId };
}

export async function listSessions(ctx: Context, currentId: number | null): Promise<SessionView[]> {
  return (await ctx.store.accounts.sessionsOf(ctx.user.id, ctx.now())).map((s) => sessionView(s, currentId));
}

export async function endOwnSession(ctx: Context, id: number): Promise<void> {
  if (!(await ctx.store.accounts.endSessionById(id, ctx.user.id))) throw new TallyError(`you have no session #${id}`, 'not_found');
}

/** "Sign out everywhere else". */
export async function endOtherSessions(ctx: Context, currentId: number | null): Promise<number> {
  return ctx.store.accounts.endSessions(ctx.user.id, currentId ?? undefined);
}
