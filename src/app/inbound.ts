// One inbound message, classified and applied: a reply stops the cadence, an out-of-office snoozes
// it, a hard bounce marks the address bad, a complaint or unsubscribe opts the prospect out
// everywhere — but only when the message could be about the enrollment (written after the mail it
// answers and after the cadence started; src/core/inbound/relevance.ts). Older matches are kept as
// history on the prospect's timeline. Each message is applied once (unique on mailbox + UIDVALIDITY
// + UID, and on mailbox + Message-ID, so a rescan after a UIDVALIDITY change applies nothing twice).
import { createHash } from 'node:crypto';
import { classify, type Classification } from '../core/inbound/classify.ts';
import { DEFAULT_INBOUND_POLICY, decideInbound, type InboundDecision, type InboundPolicy } from '../core/inbound/apply.ts';
import { writtenAt as writtenAtOf } from '../core/inbound/relevance.ts';
import type { Mailbox } from './ports/records.ts';
import type { FetchedMessage } from './ports/mail.ts';
import { rulesCache, type Context } from './context.ts';
import { applyToLive, type Transition } from './enrollments.ts';
import { TallyError } from '../core/errors.ts';
import { cancelQueuedMail, optOutProspect, stopLiveEnrollment } from './unsubscribe.ts';
import { recordTouch } from './touches.ts';
import { matchProspect, matchScope, relevanceOf, type Match, type MatchScope } from './inbound-match.ts';
import { confirmKind, needsLook, readingOf, reviewMaterial } from '../core/inbound/review.ts';
import { stopAtCompany } from './company-stop.ts';

export interface SyncedMessage {
  uid: number;
  messageId: string;
  class: Classification['class'];
  from: string | null;
  subject: string | null;
  prospectId: number | null;
  action: string;
  reason: string;
}

/** Actions that changed nothing: the message is only on record (or waits for the rep's decision). */
export const RECORD_ONLY: ReadonlySet<string> = new Set(['recorded', 'unmatched', 'history', 'needs_look']);

export function messageKey(c: Pick<Classification, 'messageId'>, raw: Buffer): string {
  return c.messageId ?? `<sha256.${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@tally.invalid>`;
}

export interface Outcome {
  action: string;
  reason: string;
  enrollmentId: number | null;
  /** Kept with the message when it differs from the reason (a sender-side warning). */
  detail?: string;
}

/** Complaints are counted over this many days (the window Gmail and Yahoo measure). */
export const COMPLAINT_WINDOW_DAYS = 30;
const HOUR = 3600_000;

function inboundPolicy(ctx: Context): InboundPolicy {
  return { ...DEFAULT_INBOUND_POLICY, autoReplyDefaultBusinessDays: ctx.settings.inbound.autoReplyDefaultBusinessDays };
}

/** A refusal on the sending side: it is about the mailbox, whoever the prospect is. */
function senderSide(c: Classification): boolean {
  const b = c.bounce;
  return c.class === 'bounce' && b !== undefined && !b.delayed && !b.addressBad && b.effect === 'sender_side';
}

/** Classifies and applies one message; null when it was applied before (same Message-ID or UID). */
export async function applyInbound(ctx: Context, mailbox: Mailbox, folder: string, uidValidity: string, msg: FetchedMessage, scope?: MatchScope): Promise<SyncedMessage | null> {
  const now = ctx.now();
  // Dates in the message (an out-of-office's return) are read against its own Date header, else its arrival.
  const c = classify(msg.source, { now: new Date(msg.internalDate ?? now) });
  const written = writtenAtOf(c.date ? Date.parse(c.date) : undefined, msg.internalDate, now);
  const messageId = messageKey(c, msg.source);
  if (await ctx.store.inbound.seen(mailbox.id, messageId, { folder, uidvalidity: uidValidity, uid: msg.uid })) return null;
  const s = scope ?? (await matchScope(ctx));
  const matched = await matchProspect(ctx, s, c, msg.source);
  const found = 'none' in matched ? null : matched;
  let plan: { decision: InboundDecision } | Outcome = { action: 'unmatched', reason: 'none' in matched ? matched.none : '', enrollmentId: null };
  if (found) {
    const rel = await relevanceOf(ctx, s, found, written);
    if (!rel.acts) plan = { action: 'history', reason: `not acted on: ${rel.why}`, enrollmentId: null };
    else {
      const softBouncesBefore = c.class === 'bounce' && c.bounce !== undefined && !c.bounce.addressBad ? await ctx.store.inbound.softBounces(found.prospect.id) : 0;
      const decision = decideInbound({ classification: c, now, writtenAt: written, rules: rulesCache(ctx)(found.prospect.timezone), softBouncesBefore, policy: inboundPolicy(ctx) });
      // Doubt goes to a person: an unsure reading acts on nothing and waits in the rep's "needs a look".
      plan = needsLook(c)
        ? { action: 'needs_look', reason: `unsure (${readingOf(c).summary}?): waits for the rep's decision in "needs a look"`, enrollmentId: found.enrollmentId }
        : { decision };
    }
  }
  // Unmatched or old for the prospect, a recent sender-side refusal still counts against the mailbox.
  if (!('decision' in plan) && plan.action !== 'needs_look' && senderSide(c) && written >= now - ctx.settings.inbound.senderFailureWindowHours * HOUR) {
    plan = { decision: decideInbound({ classification: c, now, writtenAt: written, rules: rulesCache(ctx)(null), softBouncesBefore: 0 }) };
  }
  return ctx.store.transaction(async (tx) => {
    const txCtx = { ...ctx, store: tx };
    const out: Outcome = !('decision' in plan)
      ? plan
      : plan.decision.action === 'sender_side'
        ? await senderSideRefusal(txCtx, mailbox, plan.decision)
        : await applyInboundDecision(txCtx, found!, plan.decision, c, messageId, now);
    const review = out.action === 'needs_look' ? 'needs_look' : confirmKind(out.action);
    const material = review ? reviewMaterial(msg.source) : null;
    const inserted = await tx.inbound.insert({
      workspace_id: ctx.workspace.id,
      mailbox_id: mailbox.id,
      folder,
      uidvalidity: uidValidity,
      uid: msg.uid,
      message_id: messageId,
      class: c.class,
      evidence: JSON.stringify(c.evidence),
      from_address: c.from ?? null,
      subject: c.subject ? c.subject.slice(0, 300) : null,
      prospect_id: found?.prospect.id ?? null,
      enrollment_id: out.enrollmentId ?? found?.enrollmentId ?? null,
      outbox_id: found?.outboxId ?? null,
      action: out.action,
      received_at: msg.internalDate ?? now,
      written_at: written,
      detail: (out.detail ?? out.reason) || null,
      created_at: now,
      reading: found ? JSON.stringify(readingOf(c)) : null,
      headers: material ? JSON.stringify(material.headers) : null,
      text: material ? material.text : null,
      review,
    });
    if (inserted === undefined) throw new TallyError('inbound message recorded twice', 'conflict');
    if (found && (out.action === 'replied' || out.action === 'meeting_booked')) await stopAtCompany(txCtx, found.prospect, inserted, out.action);
    if (c.class === 'feedback') await pauseOnComplaints(txCtx, mailbox);
    return { uid: msg.uid, messageId, class: c.class, from: c.from ?? null, subject: c.subject ?? null, prospectId: found?.prospect.id ?? null, action: out.action, reason: out.reason };
  });
}

/** What applying a decision needs of the message: its words for the touch, the bounce's status for a retry. */
export type MessageFacts = Pick<Classification, 'subject' | 'text' | 'bounce'>;

/** Applies one decision to the matched prospect (the classifier's, or the rep's for a message that needed a look). */
export async function applyInboundDecision(ctx: Context, found: Pick<Match, 'prospect' | 'enrollmentId' | 'outboxId'>, d: InboundDecision, c: MessageFacts, messageId: string, now: number): Promise<Outcome> {
  const p = found.prospect;
  switch (d.action) {
    case 'replied':
    case 'meeting_booked': {
      const t = await stopLiveEnrollment(ctx, ctx.store, p, 'replied', d.reason);
      await cancelQueuedMail(ctx.store, p.id, d.action === 'meeting_booked' ? 'meeting booked' : 'replied', now);
      // The reply goes in the tally (and the digest's "replies waiting"), as its owner's.
      const note = (c.subject ?? c.text ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) || null;
      await recordTouch(ctx, p, {
        channel: 'email', outcome: d.action, note, at: now, messageId, userId: p.owner_id,
        enrollmentId: t?.enrollmentId ?? found.enrollmentId, stepIndex: t ? t.before.stepIndex : null, source: 'email', subject: c.subject ?? null,
      });
      return { action: d.action, reason: t ? d.reason : `${d.reason} (no live cadence)`, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'snoozed':
      return snooze(ctx, p, d);
    case 'bounced': {
      if (d.markAddressBad) await ctx.store.prospects.update(p.id, { email_status: 'bad', updated_at: now });
      const t = await stopLiveEnrollment(ctx, ctx.store, p, 'bounced', d.reason);
      await cancelQueuedMail(ctx.store, p.id, 'email address bounced', now);
      return { action: 'bounced', reason: d.reason, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'soft_bounce': {
      // The same mail again later (same Message-ID); its touch is logged already.
      if (found.outboxId !== null) {
        await ctx.store.outbox.retry(found.outboxId, d.retryAt, `soft bounce: ${c.bounce?.status ?? ''}`.trim(), now);
      }
      return { action: 'soft_bounce', reason: d.reason, enrollmentId: found.enrollmentId };
    }
    case 'opted_out': {
      const t = await optOutProspect(ctx, ctx.store, p, d.reason);
      return { action: 'opted_out', reason: d.reason, enrollmentId: t?.enrollmentId ?? null };
    }
    case 'sender_side':
    case 'recorded':
      return { action: 'recorded', reason: d.reason, enrollmentId: null };
  }
}

/**
 * A sender-side refusal: the prospect is untouched; the mailbox gets the warning, and its sending is
 * paused once `inbound.senderFailuresToPause` refusals were written within the window.
 */
async function senderSideRefusal(ctx: Context, mailbox: Mailbox, d: Extract<InboundDecision, { action: 'sender_side' }>): Promise<Outcome> {
  const now = ctx.now();
  const { senderFailuresToPause: limit, senderFailureWindowHours: hours } = ctx.settings.inbound;
  const before = await ctx.store.inbound.senderSide(mailbox.id, now - hours * HOUR);
  const count = before.count + 1;
  const current = await ctx.store.mailboxes.ofUser(mailbox.user_id);
  let reason = `${d.reason}. ${d.warning}`;
  if (count >= limit && current && current.paused_at === null) {
    await ctx.store.mailboxes.setPaused(mailbox.id, { at: now, reason: `${count} refusals on the sending side within ${hours} h. ${d.warning}`, kind: 'sender' }, now);
    reason += ` Sending from ${mailbox.from_address} is paused: resume it with "tally mailbox resume" once fixed.`;
  }
  return { action: 'sender_side', reason, enrollmentId: null, detail: d.warning };
}

/** Complaints are counted per mailbox over 30 days; past the workspace's line the mailbox pauses. */
async function pauseOnComplaints(ctx: Context, mailbox: Mailbox): Promise<void> {
  const now = ctx.now();
  const since = now - COMPLAINT_WINDOW_DAYS * 24 * HOUR;
  const { complaintsToPause, complaintRateToPause } = ctx.settings.inbound;
  const complaints = await ctx.store.inbound.complaints(mailbox.id, since);
  const sent = Math.max(1, await ctx.store.outbox.sentSince(mailbox.id, since));
  const current = await ctx.store.mailboxes.ofUser(mailbox.user_id);
  if (complaints < complaintsToPause || complaints / sent <= complaintRateToPause || !current || current.paused_at !== null) return;
  const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
  const reason = `${complaints} complaints about ${sent} mails in ${COMPLAINT_WINDOW_DAYS} days (${pct(complaints / sent)}, over the ${pct(complaintRateToPause)} line mail providers hold senders to): check who you send to, how often, and that every mail is one they would want.`;
  await ctx.store.mailboxes.setPaused(mailbox.id, { at: now, reason, kind: 'complaints' }, now);
}

async function snooze(ctx: Context, p: Match['prospect'], d: Extract<InboundDecision, { action: 'snoozed' }>): Promise<Outcome> {
  // An out-of-office read late (its return already past) has nothing left to pause.
  if (d.until <= ctx.now()) return { action: 'recorded', reason: `${d.reason}: already back`, enrollmentId: null };
  let t: Transition | null;
  try {
    // Back from being away, the step still waits the delay it had left.
    t = await applyToLive(ctx, ctx.store, p, (at) => ({ type: 'snooze', at, until: d.until, reason: d.reason, keepRemaining: true }));
  } catch (err) {
    if (!(err instanceof TallyError)) throw err;
    return { action: 'recorded', reason: `out of office, not snoozed: ${err.message}`, enrollmentId: null };
  }
  return t ? { action: 'snoozed', reason: d.reason, enrollmentId: t.enrollmentId } : { action: 'recorded', reason: `${d.reason} (no live cadence)`, enrollmentId: null };
}
