// Taking access away and handing work over (managers): change a role, deactivate a user (their
// sessions and API tokens end at once, their prospects and enrollments go to a named teammate, mail
// their mailbox had queued is queued again by the new owner), reactivate, end a teammate's sessions,
// revoke any API token of the workspace, cancel an invitation. A workspace always keeps one active
// manager.
import { NotFoundError, TallyError } from '../core/errors.ts';
import { isManager, type Context } from './context.ts';
import { tokenExpiry, tokenInfo, type ApiTokenInfo } from './accounts.ts';
import type { Role, User } from './ports/records.ts';

function requireManager(ctx: Context, what: string): void {
  if (!isManager(ctx)) throw new TallyError(`only a manager can ${what}`, 'forbidden');
}

async function teammate(ctx: Context, id: number, field = 'id'): Promise<User> {
  const u = await ctx.store.users.byId(id);
  if (!u || u.workspace_id !== ctx.workspace.id) throw new TallyError(`no user #${id} in this workspace`, 'not_found', { field });
  return u;
}

/** Refuses a change that would leave the workspace without an active manager who can sign in. */
async function keepOneManager(ctx: Context, u: User, what: string): Promise<void> {
  const counts = u.role === 'manager' && u.password_hash !== null && u.deactivated_at === null;
  if (counts && (await ctx.store.users.activeManagers(ctx.workspace.id)) <= 1) {
    throw new TallyError(`${u.name} is the only active manager: make someone else a manager before you ${what}`, 'conflict');
  }
}

export async function changeRole(ctx: Context, userId: number, role: Role): Promise<User> {
  requireManager(ctx, 'change roles');
  const u = await teammate(ctx, userId);
  if (u.role === role) return u;
  if (role === 'rep') await keepOneManager(ctx, u, 'make them a rep');
  await ctx.store.users.setRole(u.id, role);
  return { ...u, role };
}

export interface DeactivationReport {
  userId: number;
  reassignedTo: number;
  prospectsMoved: number;
  sessionsEnded: number;
  tokensRevoked: number;
  /** Queued mails of their mailbox dropped, to be queued again from the new owner's. */
  mailsRequeued: number;
}

export async function deactivateUser(ctx: Context, userId: number, reassignTo: number): Promise<DeactivationReport> {
  requireManager(ctx, 'deactivate users');
  const u = await teammate(ctx, userId);
  if (u.id === ctx.user.id) throw new TallyError('you cannot deactivate yourself: ask another manager', 'conflict');
  if (u.deactivated_at !== null) throw new TallyError(`${u.name} is already deactivated`, 'conflict');
  const heir = await teammate(ctx, reassignTo, 'reassignTo');
  if (heir.id === u.id || heir.deactivated_at !== null) throw new TallyError('their prospects must go to an active teammate', 'invalid', { field: 'reassignTo' });
  await keepOneManager(ctx, u, 'deactivate them');
  const now = ctx.now();
  return ctx.store.transaction(async (tx) => {
    await tx.users.setDeactivated(u.id, now);
    const sessionsEnded = await tx.accounts.endSessions(u.id);
    const tokensRevoked = await tx.accounts.revokeTokensOf(u.id, now);
    const prospectsMoved = await tx.users.reassignWork(u.id, heir.id, now);
    const mailbox = await tx.mailboxes.ofUser(u.id);
    const mailsRequeued = mailbox ? await tx.outbox.dropQueued(mailbox.id) : 0;
    return { userId: u.id, reassignedTo: heir.id, prospectsMoved, sessionsEnded, tokensRevoked, mailsRequeued };
  });
}

export async function reactivateUser(ctx: Context, userId: number): Promise<User> {
  requireManager(ctx, 'reactivate users');
  const u = await teammate(ctx, userId);
  await ctx.store.users.setDeactivated(u.id, null);
  return { ...u, deactivated_at: null };
}

/** Ends every session of a teammate (a lost laptop): they sign in again. */
export async function endSessionsOf(ctx: Context, userId: number): Promise<number> {
  requireManager(ctx, "end a teammate's sessions");
  const u = await teammate(ctx, userId);
  return ctx.store.accounts.endSessions(u.id);
}

export interface WorkspaceToken extends ApiTokenInfo {
  userId: number;
  userName: string;
}

export async function workspaceTokens(ctx: Context): Promise<WorkspaceToken[]> {
  requireManager(ctx, "see the team's API tokens");
  const rows = await ctx.store.accounts.workspaceTokens(ctx.workspace.id);
  return rows.filter((r) => tokenExpiry(r) > ctx.now()).map((r) => ({ ...tokenInfo(r), userId: r.user_id, userName: r.user_name }));
}

export async function revokeAnyToken(ctx: Context, id: number): Promise<void> {
  requireManager(ctx, "revoke a teammate's API token");
  if (!(await ctx.store.accounts.revokeWorkspaceToken(id, ctx.workspace.id, ctx.now()))) throw new NotFoundError(`no live API token #${id} in this workspace`);
}

export async function cancelInvite(ctx: Context, id: number): Promise<void> {
  requireManager(ctx, 'cancel invitations');
  if (!(await ctx.store.accounts.cancelInvite(id, ctx.workspace.id))) throw new NotFoundError(`no open invitation #${id}`);
}
