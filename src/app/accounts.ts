// Accounts: sign-up (or claiming a workspace made by `tally init`), passwords, sessions, invites
// and API tokens. Every secret handed out is random; only its SHA-256 hash is stored.
import type { Runtime } from './ports/runtime.ts';
import type { ApiToken, Role, User, Workspace } from './ports/records.ts';
import type { Context } from './context.ts';
import { initWorkspace } from './workspace.ts';
import { TallyError } from '../core/errors.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import { MAX_TOKEN_DAYS, TOKEN_DAYS } from '../core/accounts.ts';
import { hashSecret, sameSecret } from './secrets-hash.ts';
import { requireGoodPassword } from './password-rules.ts';
import { requireSetupCode, useSetupCode } from './setup-code.ts';
import { checkSignInAllowed, recordSignInFailure, recordSignInSuccess, signInKeys } from './sign-in-guard.ts';
import { sendAccountMail } from './account-mail.ts';

export { hashSecret, sameSecret };
export { MIN_PASSWORD } from '../core/password-policy.ts';

export const SESSION_DAYS = 30;
const INVITE_DAYS = 7;
const DAY_MS = 86_400_000;
export { MAX_TOKEN_DAYS, TOKEN_DAYS };

export type { Role };

export interface PublicUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  timezone: string | null;
}

export function publicUser(u: User): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, timezone: u.timezone };
}

export interface Session {
  token: string;
  csrfToken: string;
  expiresAt: number;
}

/** `userAgent`: the browser's, shortened, so the person can tell their sessions apart. */
export async function createSession(rt: Runtime, userId: number, now = rt.now(), userAgent: string | null = null): Promise<Session> {
  const token = rt.ids.secret();
  const csrfToken = rt.ids.secret();
  const expiresAt = now + SESSION_DAYS * DAY_MS;
  await rt.store.accounts.createSession({
    user_id: userId, token_hash: hashSecret(token), csrf_token: csrfToken, created_at: now, expires_at: expiresAt, user_agent: userAgent?.slice(0, 200) ?? null,
  });
  return { token, csrfToken, expiresAt };
}

/**
 * "Last seen" and "last used" are hints: the request does not wait for them (on SQLite a big import
 * holds the write lock until it commits), and one that cannot be written is dropped.
 */
function inBackground(write: Promise<unknown>): void {
  write.catch(() => undefined);
}

/** The signed-in user of a session cookie; null when it ended, expired or its user was deactivated. */
export async function sessionUser(rt: Runtime, token: string, now = rt.now()): Promise<{ user: User; csrfToken: string; sessionId: number } | null> {
  const s = await rt.store.accounts.sessionByHash(hashSecret(token));
  if (!s || s.expiresAt <= now || s.user.deactivated_at !== null) return null;
  // "Last seen" to the minute: reading a page must not turn every request into a write.
  if (s.lastSeenAt === null || now - s.lastSeenAt >= 60_000) inBackground(rt.store.accounts.markSessionSeen(s.id, now));
  return { user: s.user, csrfToken: s.csrfToken, sessionId: s.id };
}

export async function endSession(rt: Runtime, token: string): Promise<void> {
  await rt.store.accounts.endSession(hashSecret(token));
}

/** Sign-up stays open until someone has a password: the first to set one owns the workspace. */
export async function signupOpen(rt: Runtime): Promise<boolean> {
  return !(await rt.store.users.anyWithPassword());
}

export interface SetupStatus {
  signupOpen: boolean;
  /** The workspace sign-up would claim (made by `tally init`/demo); null when there is none or sign-up is closed. */
  workspaceName: string | null;
}

/**
 * What the sign-in page needs before anyone is signed in. The name is given only while sign-up is
 * open (the claimer needs it); once the workspace has an owner, anonymous visitors learn nothing.
 */
export async function setupStatus(rt: Runtime): Promise<SetupStatus> {
  if (!(await signupOpen(rt))) return { signupOpen: false, workspaceName: null };
  const ws = await rt.store.workspaces.first();
  return { signupOpen: true, workspaceName: ws?.name ?? null };
}

export interface SignupInput {
  email: string;
  name: string;
  password: string;
  workspaceName?: string;
  timezone?: string;
  /** The one-time code `tally init`/`tally serve` printed (see setup-code.ts). */
  setupCode?: string;
}

/**
 * The first person to sign up owns the workspace: a new database gets a workspace with them as
 * its manager; one made by `tally init`/demo is claimed (its first user gets this password, email
 * and name). After that, people join by invitation only.
 */
export async function signUp(rt: Runtime, input: SignupInput, now = rt.now()): Promise<{ user: User; workspace: Workspace; claimed: boolean }> {
  if (input.timezone && !isValidTimeZone(input.timezone)) throw new TallyError(`unknown time zone "${input.timezone}" (use an IANA name such as Europe/Paris)`, 'invalid', { field: 'timezone' });
  const email = input.email.trim().toLowerCase();
  if (!(await signupOpen(rt))) throw new TallyError('this workspace already has an owner: ask a manager for an invitation', 'signup_closed');
  await requireSetupCode(rt, input.setupCode);
  await requireGoodPassword(input.password, [email, input.name]);
  const passwordHash = await rt.passwords.hash(input.password);
  const { created, workspace, user } = await initWorkspace(
    rt,
    { workspaceName: input.workspaceName, timezone: input.timezone, userEmail: email, userName: input.name, role: 'manager' },
    now,
  );
  if (await rt.store.users.emailTaken(workspace.id, email, user.id)) throw new TallyError(`${email} already belongs to another user of this workspace: sign up with the owner's address`, 'conflict', { field: 'email' });
  // Claiming keeps the user's id (their prospects) and makes sure the owner can manage the team.
  const updated = await rt.store.users.claim(user.id, { password_hash: passwordHash, email, name: input.name.trim(), role: 'manager' });
  if (!updated) throw new TallyError('this workspace already has an owner: ask a manager for an invitation', 'signup_closed');
  await useSetupCode(rt);
  return { user: updated, workspace, claimed: !created };
}

export interface LogInOptions {
  /** The client's address, for the per-address count of failures. */
  address: string;
  /** Where a failure to send the lockout notice goes (the server's log); the sign-in answer never waits for it. */
  onNoticeError?: (err: unknown) => void;
}

/** Checks the password, throttled per account and per address (sign-in-guard.ts). */
export async function logIn(rt: Runtime, emailText: string, password: string, opts: LogInOptions = { address: 'local' }): Promise<User> {
  const email = emailText.trim().toLowerCase();
  const keys = signInKeys(email, opts.address);
  const now = rt.now();
  await checkSignInAllowed(rt, keys, now);
  const user = await rt.store.users.byLogin(email);
  // One message for both cases: the response must not tell which addresses have accounts.
  const ok = user?.password_hash ? await rt.passwords.verify(user.password_hash, password) : (await rt.passwords.hash(password), false);
  if (user && ok) {
    await recordSignInSuccess(rt, keys);
    return user;
  }
  const outcome = await recordSignInFailure(rt, keys, now);
  if (user && outcome.accountJustLocked) void lockoutNotice(rt, user, outcome.accountFailures).catch((err) => opts.onNoticeError?.(err));
  throw outcome.locked ?? new TallyError('wrong email or password', 'unauthorized');
}

/** Tells the account's owner someone keeps failing to sign in as them. */
async function lockoutNotice(rt: Runtime, user: User, failures: number): Promise<void> {
  await sendAccountMail(rt, user, {
    subject: 'Tally: sign-in to your account paused after failed attempts',
    text: [
      `Hello ${user.name},`,
      '',
      `Someone tried to sign in to Tally as ${user.email} and got the password wrong ${failures} times in a row, so sign-in to your account is paused for a while.`,
      'If that was you, wait a few minutes and try again. If it was not, change your password once you are signed in (Settings), or ask a manager for a reset link.',
    ].join('\n'),
  });
}

export interface InviteInput {
  email: string;
  name: string;
  role: Role;
}

export interface Invite {
  id: number;
  email: string;
  name: string;
  role: Role;
  expiresAt: number;
  token: string;
}

/**
 * A manager invites someone; the token goes to them (by link) and is shown only once. An address
 * with an invitation still open gets that one renewed (a new link, the old one stops working)
 * rather than a second invitation: `resent` says so.
 */
export async function invite(ctx: Context, input: InviteInput): Promise<Invite & { resent: boolean }> {
  if (ctx.user.role !== 'manager') throw new TallyError('only a manager can invite people', 'forbidden');
  const email = input.email.trim().toLowerCase();
  const existing = await ctx.store.users.byEmail(ctx.workspace.id, email);
  if (existing?.password_hash) throw new TallyError(`${email} already has an account`, 'conflict', { field: 'email' });
  const now = ctx.now();
  const open = await ctx.store.accounts.openInviteFor(ctx.workspace.id, email, now);
  if (open) return { ...(await renewInvite(ctx, open.id, { name: input.name.trim(), role: input.role })), resent: true };
  const token = `inv_${ctx.ids.secret()}`;
  const expiresAt = now + INVITE_DAYS * DAY_MS;
  const id = await ctx.store.accounts.createInvite({
    workspace_id: ctx.workspace.id, email, name: input.name.trim(), role: input.role, token_hash: hashSecret(token), invited_by: ctx.user.id, created_at: now, expires_at: expiresAt,
  });
  return { id, email, name: input.name.trim(), role: input.role, expiresAt, token, resent: false };
}

/** An open invitation gets a new link, valid another 7 days; the old link stops working. */
export async function renewInvite(ctx: Context, id: number, change: { name?: string; role?: Role } = {}): Promise<Invite> {
  if (ctx.user.role !== 'manager') throw new TallyError('only a manager can resend invitations', 'forbidden');
  const token = `inv_${ctx.ids.secret()}`;
  const now = ctx.now();
  const inv = await ctx.store.accounts.renewInvite(id, ctx.workspace.id, { token_hash: hashSecret(token), expires_at: now + INVITE_DAYS * DAY_MS, ...change }, now);
  if (!inv) throw new TallyError(`no open invitation #${id} in this workspace (it was accepted or cancelled)`, 'not_found');
  return { id: inv.id, email: inv.email, name: inv.name, role: inv.role, expiresAt: Number(inv.expires_at), token };
}

/**
 * The invited person sets a password. A user already in the workspace without one (a rep added
 * by `tally demo` or an import) keeps their id and prospects.
 */
export async function acceptInvite(rt: Runtime, token: string, password: string, now = rt.now()): Promise<User> {
  const inv = await rt.store.accounts.inviteByHash(hashSecret(token));
  if (!inv || inv.accepted_at !== null || Number(inv.expires_at) <= now) {
    throw new TallyError('this invitation is unknown, used or expired: ask your manager for a new one', 'invalid', { field: 'token' });
  }
  await requireGoodPassword(password, [inv.email, inv.name]);
  const passwordHash = await rt.passwords.hash(password);
  return rt.store.transaction(async (tx) => {
    if (!(await tx.accounts.acceptInvite(inv.id, now))) throw new TallyError('this invitation was just used', 'conflict', { field: 'token' });
    const existing = await tx.users.byEmail(inv.workspace_id, inv.email);
    if (existing?.password_hash) throw new TallyError(`${inv.email} already has an account: sign in instead`, 'conflict');
    if (existing) return tx.users.setPassword(existing.id, passwordHash, inv.role);
    return tx.users.insert({ workspace_id: inv.workspace_id, email: inv.email, name: inv.name, role: inv.role, password_hash: passwordHash, timezone: null, created_at: now });
  });
}

export interface ApiTokenInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number;
}

/** When a token stops working: its own expiry, or 90 days after creation for tokens made before expiries. */
export function tokenExpiry(t: { created_at: number; expires_at: number | null }): number {
  return t.expires_at === null ? Number(t.created_at) + TOKEN_DAYS * DAY_MS : Number(t.expires_at);
}

export function tokenInfo(r: ApiToken): ApiTokenInfo {
  return { id: r.id, name: r.name, prefix: r.prefix, createdAt: Number(r.created_at), lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at), expiresAt: tokenExpiry(r) };
}

/** A token for scripts: acts as the user who made it, nothing more, until it expires. Shown once. */
export async function createApiToken(ctx: Context, name: string, days = TOKEN_DAYS): Promise<ApiTokenInfo & { token: string }> {
  if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new TallyError(`a token lasts from 1 to ${MAX_TOKEN_DAYS} days`, 'invalid', { field: 'expiresInDays' });
  const token = `tly_${ctx.ids.secret()}`;
  const now = ctx.now();
  const prefix = token.slice(0, 10);
  const expiresAt = now + days * DAY_MS;
  const row = { user_id: ctx.user.id, name: name.trim(), prefix, token_hash: hashSecret(token), created_at: now, last_used_at: null, revoked_at: null, expires_at: expiresAt };
  const id = await ctx.store.accounts.createToken(row);
  return { ...tokenInfo({ id, ...row }), token };
}

export async function listApiTokens(ctx: Context): Promise<ApiTokenInfo[]> {
  const rows = await ctx.store.accounts.activeTokens(ctx.user.id);
  return rows.filter((r) => tokenExpiry(r) > ctx.now()).map(tokenInfo);
}

export async function revokeApiToken(ctx: Context, id: number): Promise<void> {
  if (!(await ctx.store.accounts.revokeToken(id, ctx.user.id, ctx.now()))) throw new TallyError(`you have no API token #${id}`, 'not_found');
}

export async function apiTokenUser(rt: Runtime, token: string, now = rt.now()): Promise<User | null> {
  const t = await rt.store.accounts.tokenUser(hashSecret(token));
  if (!t || t.user.deactivated_at !== null || tokenExpiry({ created_at: t.createdAt, expires_at: t.expiresAt }) <= now) return null;
  // "Last used" to the minute: a script polling the API must not turn every read into a write.
  if (t.lastUsedAt === null || now - t.lastUsedAt >= 60_000) inBackground(rt.store.accounts.markTokenUsed(t.tokenId, now));
  return t.user;
}

/** One person on the team. Email, time zone and whether they signed up are for managers only. */
export interface TeamMember {
  id: number;
  name: string;
  role: Role;
  email?: string;
  timezone?: string | null;
  /** false: a user made by the demo or an import who has no password yet (invite them). */
  joined?: boolean;
  /** false: deactivated by a manager. */
  active?: boolean;
}

export interface PendingInvite {
  id: number;
  email: string;
  name: string;
  role: Role;
  createdAt: number;
  expiresAt: number;
  invitedBy: string | null;
}

export interface Team {
  members: TeamMember[];
  /** Invitations not yet accepted and not expired; null for reps. */
  invites: PendingInvite[] | null;
}

/**
 * The caller's workspace only. Reps see who is on the team and in which role, so they know whom to
 * ask; addresses, zones and invitations are the manager's business.
 */
export async function teamOf(ctx: Context): Promise<Team> {
  const users = await ctx.store.users.list(ctx.workspace.id, 'team');
  if (ctx.user.role !== 'manager') return { members: users.map((u) => ({ id: u.id, name: u.name, role: u.role })), invites: null };
  const invites = await ctx.store.accounts.openInvites(ctx.workspace.id, ctx.now());
  return {
    members: users.map((u) => ({ id: u.id, name: u.name, role: u.role, email: u.email, timezone: u.timezone, joined: u.password_hash !== null, active: u.deactivated_at === null })),
    invites: invites.map((i) => ({
      id: i.id, email: i.email, name: i.name, role: i.role, createdAt: Number(i.created_at), expiresAt: Number(i.expires_at), invitedBy: i.invited_by,
    })),
  };
}
