// Which prospect an inbound message is about, and whether it may act on their enrollment (issue 16).
// By the Message-IDs it references first (a mail Tally sent), then a signed unsubscribe token, then
// the sender's address — the last only for a prospect with a live enrollment or one that ended
// recently, and never for a role address (info@, sales@…) or one of the workspace's own users.
import { referencedMessageIds, subjectAddress } from '../core/inbound/apply.ts';
import type { Classification } from '../core/inbound/classify.ts';
import { relevance, type MatchBasis, type Relevance } from '../core/inbound/relevance.ts';
import { isRoleAddress } from '../core/inbound/triage.ts';
import { LIVE_STATUSES } from '../core/types.ts';
import { TOKEN_IN_TEXT, verifyUnsubscribeToken } from '../core/unsubscribe-token.ts';
import type { Context } from './context.ts';
import type { Prospect } from './ports/records.ts';

export interface Match {
  prospect: Prospect;
  outboxId: number | null;
  enrollmentId: number | null;
  basis: MatchBasis;
  how: string;
  /** When the referenced mail was sent (reference matches). */
  referencedSentAt: number | null;
}

/** What a sync knows once: the workspace's own addresses and its matching settings. */
export interface MatchScope {
  ownAddresses: ReadonlySet<string>;
  roleAddresses: readonly string[];
  addressMatchDays: number;
}

export async function matchScope(ctx: Context): Promise<MatchScope> {
  const [users, mailboxes] = await Promise.all([ctx.store.users.list(ctx.workspace.id), ctx.store.mailboxes.list(ctx.workspace.id)]);
  const own = new Set<string>();
  for (const u of users) own.add(u.email.trim().toLowerCase());
  for (const m of mailboxes) own.add(m.from_address.trim().toLowerCase());
  return { ownAddresses: own, roleAddresses: ctx.settings.inbound.roleAddresses, addressMatchDays: ctx.settings.inbound.addressMatchDays };
}

/** The prospect the message is about, or why none is. */
export async function matchProspect(ctx: Context, scope: MatchScope, c: Classification, raw: Buffer): Promise<Match | { none: string }> {
  const ids = referencedMessageIds(c);
  if (ids.length > 0) {
    const candidates = [...new Set([...ids, ...ids.map((i) => i.toLowerCase())])];
    const rows = await ctx.store.outbox.byMessageIds(ctx.workspace.id, candidates);
    // Most specific reference first (a bounce's original message, then In-Reply-To, then the newest Reference).
    for (const id of ids) {
      const row = rows.find((r) => r.messageId === id || r.messageId === id.toLowerCase());
      if (row) return { prospect: row.prospect, outboxId: row.outboxId, enrollmentId: row.enrollmentId, basis: 'reference', how: `references ${id}`, referencedSentAt: row.sentAt };
    }
  }
  // An unsubscribe mail to our mailto link carries the signed token in its subject.
  const token = TOKEN_IN_TEXT.exec(c.subject ?? '') ?? (c.class === 'unsubscribe' ? TOKEN_IN_TEXT.exec(raw.toString('latin1').slice(0, 20_000)) : null);
  if (token) {
    const claim = verifyUnsubscribeToken(token[0], ctx.secrets.unsubscribeKey());
    if (claim && claim.workspaceId === ctx.workspace.id) {
      const p = await ctx.store.prospects.find(ctx.workspace.id, { id: claim.prospectId });
      if (p) return { prospect: p, outboxId: null, enrollmentId: null, basis: 'token', how: 'signed unsubscribe token', referencedSentAt: null };
    }
  }
  const address = subjectAddress(c);
  if (!address) return { none: 'no prospect matches this message' };
  // A bounce or complaint names the failed recipient; the rules on senders apply to the sender only.
  const sender = address === c.from?.trim().toLowerCase();
  if (sender && scope.ownAddresses.has(address)) return { none: `${address} is one of the workspace's own addresses: never matched by address alone` };
  if (sender && isRoleAddress(address, scope.roleAddresses)) return { none: `${address} is a role address: never matched by address alone` };
  const p = await ctx.store.prospects.find(ctx.workspace.id, { emailKey: address });
  if (!p) return { none: 'no prospect matches this message' };
  return { prospect: p, outboxId: null, enrollmentId: null, basis: 'address', how: `address ${address}`, referencedSentAt: null };
}

/** Whether the matched message may act, judged against the prospect's enrollments. */
export async function relevanceOf(ctx: Context, scope: MatchScope, m: Match, writtenAt: number): Promise<Relevance> {
  const history = await ctx.store.enrollments.history(m.prospect.id);
  return relevance({
    basis: m.basis,
    writtenAt,
    referencedSentAt: m.referencedSentAt,
    enrollments: history.map((e) => ({ id: e.id, live: LIVE_STATUSES.has(e.status), startedAt: e.started_at, endedAt: e.ended_at })),
    now: ctx.now(),
    addressMatchDays: scope.addressMatchDays,
  });
}
