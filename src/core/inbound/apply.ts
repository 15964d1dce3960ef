// What an inbound mail does to the prospect and their enrollment: the decision only (pure). The
// sync service (src/app/mail-sync.ts) writes it back.
import { addBusinessDays, atLocalTime, dayFromKey, nthBusinessDayAfter, type ScheduleRules } from '../schedule.ts';
import { REASON_INFO, senderSideWarning } from './reasons.ts';
import type { BounceInfo, Classification } from './types.ts';

export type InboundDecision =
  /** A person answered: stop the enrollment (status replied) and log a `replied` touch. */
  | { action: 'replied'; reason: string }
  /** Their calendar sent or accepted an invitation: stop the enrollment and log a `meeting_booked` touch. */
  | { action: 'meeting_booked'; reason: string }
  /** Out of office: snooze the enrollment until `until`. */
  | { action: 'snoozed'; until: number; reason: string }
  /**
   * Stop the enrollment as bounced. `markAddressBad` only for an address-level reason (user or
   * host unknown, moved, accepts no mail); a mailbox that stayed full or suspended through the
   * retries stops without blaming the address.
   */
  | { action: 'bounced'; markAddressBad: boolean; reason: string }
  /**
   * Refused on the sending side (blocked, spam, policy, SPF/DKIM/DMARC, PTR, rate, content): the
   * prospect is untouched; the failure counts against the sending mailbox and `warning` tells the rep.
   */
  | { action: 'sender_side'; reason: string; warning: string }
  /** A temporary failure: send the same mail again at `retryAt`. */
  | { action: 'soft_bounce'; retryAt: number; reason: string }
  /** A complaint or a request to stop: opt out everywhere. */
  | { action: 'opted_out'; reason: string }
  /** Nothing to do but keep the record. */
  | { action: 'recorded'; reason: string };

export interface InboundPolicy {
  /** Failed deliveries (mailbox full, suspended, expired, undetermined) after which the enrollment stops (default 3). */
  maxSoftBounces: number;
  /** Snooze after an out-of-office that names no return date, in business days (default 5). */
  autoReplyDefaultBusinessDays: number;
  /** When to retry after a soft bounce, in business days (default 1). */
  softBounceRetryBusinessDays: number;
}

export const DEFAULT_INBOUND_POLICY: Readonly<InboundPolicy> = Object.freeze({
  maxSoftBounces: 3,
  autoReplyDefaultBusinessDays: 5,
  softBounceRetryBusinessDays: 1,
});

export interface InboundFacts {
  classification: Classification;
  /** When Tally reads the message: retries count from here. */
  now: number;
  /** When the message was written (default: now): an out-of-office is read against this, not the processing time. */
  writtenAt?: number;
  /** The prospect's schedule rules (zone, workdays, holidays). */
  rules: ScheduleRules;
  /** Soft bounces recorded for this prospect before this one. */
  softBouncesBefore: number;
  policy?: InboundPolicy;
}

/**
 * Address-level reasons mark the address bad; sender-side ones never touch the prospect (the app
 * warns about the sending mailbox); mailbox states and undetermined failures retry, then stop
 * without blaming the address. A delay warning is not a failure.
 */
function decideBounce(b: BounceInfo, facts: InboundFacts, policy: InboundPolicy): InboundDecision {
  const detail = [b.status, b.diagnostic].filter(Boolean).join(' ').slice(0, 120);
  const why = `${REASON_INFO[b.reason].label}${detail ? ` (${detail})` : ''}`;
  if (b.delayed) return { action: 'recorded', reason: `delivery delayed, the server keeps trying: ${why}` };
  if (b.addressBad) return { action: 'bounced', markAddressBad: true, reason: `bounced: ${why}` };
  if (b.effect === 'sender_side') {
    const domain = (b.recipient ?? '').split('@')[1] ?? '';
    return { action: 'sender_side', reason: `refused on the sending side, the prospect is untouched: ${why}`, warning: senderSideWarning(b.reason, domain) };
  }
  const count = facts.softBouncesBefore + 1;
  if (count >= policy.maxSoftBounces) {
    return { action: 'bounced', markAddressBad: false, reason: `stopped after ${count} failed deliveries, the address is not marked bad: ${why}` };
  }
  const retryAt = addBusinessDays(facts.now, policy.softBounceRetryBusinessDays, facts.rules);
  return { action: 'soft_bounce', retryAt, reason: `failed delivery ${count} of ${policy.maxSoftBounces}, retry later: ${why}` };
}

/** The instant the prospect is back: start of the first business day after the stated return date. */
export function backAfterReturnDate(returnDate: string, rules: ScheduleRules): number {
  const day = nthBusinessDayAfter(dayFromKey(returnDate), 1, rules);
  return atLocalTime(day, 0, rules.timezone);
}

export function decideInbound(facts: InboundFacts): InboundDecision {
  const { classification: c, rules } = facts;
  const written = facts.writtenAt ?? facts.now;
  const policy = facts.policy ?? DEFAULT_INBOUND_POLICY;
  switch (c.class) {
    case 'human_reply':
      return { action: 'replied', reason: c.meeting ? `replied by email (meeting ${c.meeting.partstat?.toLowerCase() ?? 'answer'})` : 'replied by email' };
    case 'meeting':
      return { action: 'meeting_booked', reason: `meeting booked${c.meeting?.start ? ` for ${c.meeting.start}` : ''} (calendar ${c.meeting?.method === 'REPLY' ? 'acceptance' : 'invitation'})` };
    case 'auto_reply': {
      if (c.autoReply && c.autoReply.kind !== 'out_of_office') return { action: 'recorded', reason: `automatic reply (${c.autoReply.kind.replace('_', ' ')}): the cadence goes on` };
      const returnDate = c.autoReply?.returnDate;
      if (returnDate && /^\d{4}-\d{2}-\d{2}$/.test(returnDate)) {
        const back = backAfterReturnDate(returnDate, rules);
        if (back > written) return { action: 'snoozed', until: back, reason: `snoozed: out of office until ${returnDate}` };
      }
      const until = addBusinessDays(written, policy.autoReplyDefaultBusinessDays, rules);
      return { action: 'snoozed', until, reason: `snoozed: out of office (no return date; ${policy.autoReplyDefaultBusinessDays} business days)` };
    }
    case 'bounce':
      return c.bounce ? decideBounce(c.bounce, facts, policy) : { action: 'recorded', reason: 'bounce without details' };
    case 'feedback':
      return { action: 'opted_out', reason: `opted out: spam complaint${c.feedback?.feedbackType ? ` (${c.feedback.feedbackType})` : ''}` };
    case 'unsubscribe':
      return { action: 'opted_out', reason: 'opted out: asked to unsubscribe' };
    case 'other':
      return { action: 'recorded', reason: c.evidence[0]?.detail ?? 'nothing to do' };
  }
}

/** Message-ids an inbound mail points at, most specific first (a bounce's original message first). */
export function referencedMessageIds(c: Classification): string[] {
  const ids = [c.bounce?.originalMessageId, c.feedback?.originalMessageId, c.inReplyTo, ...[...c.references].reverse()];
  return [...new Set(ids.filter((x): x is string => typeof x === 'string' && x.length > 0))];
}

/** The address the mail is about: the failed recipient of a bounce, the complainant of an ARF, else the sender. */
export function subjectAddress(c: Classification): string | null {
  const a = c.bounce?.recipient ?? c.feedback?.originalRecipient ?? (c.class === 'bounce' || c.class === 'feedback' ? undefined : c.from);
  return a ? a.trim().toLowerCase().replace(/^<|>$/g, '') : null;
}
