// What an inbound mail does to the prospect and their enrollment: the decision only (pure). The
// sync service (src/app/mail-sync.ts) writes it back.
import { addBusinessDays, atLocalTime, dayFromKey, nthBusinessDayAfter, type ScheduleRules } from '../schedule.ts';
import type { Classification } from './types.ts';

export type InboundDecision =
  /** A person answered: stop the enrollment (status replied) and log a `replied` touch. */
  | { action: 'replied'; reason: string }
  /** Out of office: snooze the enrollment until `until`. */
  | { action: 'snoozed'; until: number; reason: string }
  /** The address is dead: mark the email bad, stop the enrollment as bounced. */
  | { action: 'bounced'; reason: string }
  /** A temporary failure: send the same mail again at `retryAt`. */
  | { action: 'soft_bounce'; retryAt: number; reason: string }
  /** A complaint or a request to stop: opt out everywhere. */
  | { action: 'opted_out'; reason: string }
  /** Nothing to do but keep the record. */
  | { action: 'recorded'; reason: string };

export interface InboundPolicy {
  /** Soft bounces to one prospect after which the address counts as dead (default 3). */
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
  now: number;
  /** The prospect's schedule rules (zone, workdays, holidays). */
  rules: ScheduleRules;
  /** Soft bounces recorded for this prospect before this one. */
  softBouncesBefore: number;
  policy?: InboundPolicy;
}

/** The instant the prospect is back: start of the first business day after the stated return date. */
export function backAfterReturnDate(returnDate: string, rules: ScheduleRules): number {
  const day = nthBusinessDayAfter(dayFromKey(returnDate), 1, rules);
  return atLocalTime(day, 0, rules.timezone);
}

export function decideInbound(facts: InboundFacts): InboundDecision {
  const { classification: c, now, rules } = facts;
  const policy = facts.policy ?? DEFAULT_INBOUND_POLICY;
  switch (c.class) {
    case 'human_reply':
      return { action: 'replied', reason: 'replied by email' };
    case 'auto_reply': {
      const returnDate = c.autoReply?.returnDate;
      if (returnDate && /^\d{4}-\d{2}-\d{2}$/.test(returnDate)) {
        const back = backAfterReturnDate(returnDate, rules);
        if (back > now) return { action: 'snoozed', until: back, reason: `snoozed: out of office until ${returnDate}` };
      }
      const until = addBusinessDays(now, policy.autoReplyDefaultBusinessDays, rules);
      return { action: 'snoozed', until, reason: `snoozed: out of office (no return date; ${policy.autoReplyDefaultBusinessDays} business days)` };
    }
    case 'bounce': {
      const b = c.bounce;
      const detail = [b?.status, b?.diagnostic].filter(Boolean).join(' ').slice(0, 120);
      if (b?.kind === 'soft') {
        const count = facts.softBouncesBefore + 1;
        if (count >= policy.maxSoftBounces) {
          return { action: 'bounced', reason: `bounced: ${count} soft bounces${detail ? ` (${detail})` : ''}` };
        }
        const retryAt = addBusinessDays(now, policy.softBounceRetryBusinessDays, rules);
        return { action: 'soft_bounce', retryAt, reason: `soft bounce ${count} of ${policy.maxSoftBounces}${detail ? ` (${detail})` : ''}: retry later` };
      }
      return { action: 'bounced', reason: `bounced${detail ? `: ${detail}` : ''}` };
    }
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
