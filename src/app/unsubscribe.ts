// Opting a prospect out everywhere: the one-click unsubscribe link (RFC 8058), an "unsubscribe"
// reply and a spam complaint all end here. Live enrollments stop, queued mail is cancelled, and
// the prospect is never enrolled or mailed again.
import { verifyUnsubscribeToken } from '../core/unsubscribe-token.ts';
import type { Prospect } from './ports/records.ts';
import type { Runtime } from './ports/runtime.ts';
import type { Store } from './ports/store/index.ts';
import { contextForUser } from './context.ts';
import type { Context } from './context.ts';
import { applyToLive, type Transition } from './enrollments.ts';
import { TallyError } from '../core/errors.ts';

/** Stops the prospect's live enrollment, if any; null when there is none or it cannot stop. */
export async function stopLiveEnrollment(ctx: Context, tx: Store, prospect: Prospect, status: 'replied' | 'bounced' | 'opted_out', reason: string): Promise<Transition | null> {
  try {
    return await applyToLive(ctx, tx, prospect, (at) => ({ type: 'stop', at, status, reason }));
  } catch (err) {
    if (err instanceof TallyError) return null;
    throw err;
  }
}

/**
 * The one opt-out path (a touch logged as opted out, an unsubscribe link, an "unsubscribe" reply, a
 * complaint): stops the live enrollment (kept as the transition), every other live one, and queued
 * mail. `at`: when the prospect opted out (a touch logged after the fact), default now.
 */
export async function optOutProspect(ctx: Context, tx: Store, prospect: Prospect, reason: string, at = ctx.now()): Promise<Transition | null> {
  const now = ctx.now();
  const t = await stopLiveEnrollment(ctx, tx, prospect, 'opted_out', reason);
  await tx.prospects.update(prospect.id, { opted_out_at: prospect.opted_out_at ?? at, updated_at: now });
  await tx.enrollments.updateLive(prospect.id, { status: 'opted_out', reason, due_at: null, ended_at: at, updated_at: now });
  await cancelQueuedMail(tx, prospect.id, 'opted out', now);
  return t;
}

/** Queued mail to the prospect will not go out (rows already sending or sent are left alone). */
export async function cancelQueuedMail(tx: Store, prospectId: number, why: string, now: number): Promise<void> {
  await tx.outbox.cancelQueuedFor(prospectId, `cancelled: ${why}`, now);
}

export interface UnsubscribeTarget {
  workspace: string;
  /** The address, partly masked: the page confirms whose address it is without showing it whole. */
  email: string;
  alreadyOptedOut: boolean;
}

export type UnsubscribeResult = UnsubscribeTarget & { changed: boolean };

/** "jo***@example.com": enough for the owner to recognise, not a leak to whoever holds the link. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const local = email.slice(0, at);
  return `${local.slice(0, Math.min(2, local.length - 1))}***${email.slice(at)}`;
}

async function prospectOfToken(rt: Runtime, token: string): Promise<{ prospect: Prospect; workspace: string }> {
  const { store } = rt;
  const claim = verifyUnsubscribeToken(token, rt.secrets.unsubscribeKey());
  if (!claim) throw new TallyError('this unsubscribe link is not valid (it may have been cut short by the mail program)', 'invalid', { field: 'token' });
  const prospect = await store.prospects.find(claim.workspaceId, { id: claim.prospectId });
  const ws = prospect && (await store.workspaces.byId(claim.workspaceId));
  if (!prospect || !ws) throw new TallyError('this unsubscribe link is no longer valid: the address is not on file any more', 'not_found', { field: 'token' });
  return { prospect, workspace: ws.name };
}

/** What the confirmation page shows; changes nothing (link scanners follow GET links). */
export async function unsubscribeTarget(rt: Runtime, token: string): Promise<UnsubscribeTarget> {
  const { prospect, workspace } = await prospectOfToken(rt, token);
  return { workspace, email: maskEmail(prospect.email), alreadyOptedOut: prospect.opted_out_at !== null };
}

/** Opts the token's prospect out; idempotent (a second click changes nothing and says so). */
export async function unsubscribeWithToken(rt: Runtime, token: string, how: string): Promise<UnsubscribeResult> {
  const { store } = rt;
  const { prospect, workspace } = await prospectOfToken(rt, token);
  const target = { workspace, email: maskEmail(prospect.email), alreadyOptedOut: prospect.opted_out_at !== null };
  if (prospect.opted_out_at !== null) return { ...target, changed: false };
  // The prospect's owner is the one acting: the stop is recorded in their workspace and zone.
  const owner = await store.users.byId(prospect.owner_id);
  if (!owner) throw new TallyError('this unsubscribe link is no longer valid: the address has no owner any more', 'not_found', { field: 'token' });
  const ctx = await contextForUser(rt, owner);
  await store.transaction((tx) => optOutProspect(ctx, tx, prospect, `opted out: ${how}`));
  return { ...target, changed: true };
}
