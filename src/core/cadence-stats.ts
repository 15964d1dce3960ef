// How a cadence does: of the touches made at each step, how many drew a reply, a meeting, an
// opt-out or a bounce, and the same per enrollment for the whole cadence. The outcomes' meaning
// comes from the outcome table (outcomes.ts), so a new outcome is counted by what it is.
import { OUTCOME_INFO, type Outcome } from './outcomes.ts';
import type { EnrollmentStatus } from './types.ts';
import { channelsActing } from './channels/registry.ts';
import type { Channel } from './channels/driver.ts';

export const RESPONSE_KINDS = ['replies', 'meetings', 'optOuts', 'bounces'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

export interface RateCounts {
  /** Touches made (steps worked: a mail sent, a call made…). Per cadence: enrollments with at least one. */
  sent: number;
  replies: number;
  meetings: number;
  optOuts: number;
  bounces: number;
}

export interface CadenceRates {
  enrolled: number;
  /** Per enrollment reached: did it end in a reply, a meeting… */
  cadence: RateCounts;
  /** Per step of one version (index = step - 1): what followed the touches made at that step, in enrollments on that version. */
  steps: RateCounts[];
}

export interface CadenceTouchFact {
  enrollmentId: number;
  stepIndex: number | null;
  channel: Channel;
  outcome: Outcome;
}

/** What an answer-type outcome counts as; null for a touch the rep made (it is "sent"). */
function responseKinds(outcome: Outcome): ResponseKind[] | null {
  const info = OUTCOME_INFO[outcome];
  if (info.ends === null) return null;
  const kinds: ResponseKind[] = [];
  if (info.reply) kinds.push('replies');
  if (info.meeting) kinds.push('meetings');
  if (info.ends.status === 'opted_out') kinds.push('optOuts');
  if (info.ends.status === 'bounced') kinds.push('bounces');
  return kinds;
}

const zero = (): RateCounts => ({ sent: 0, replies: 0, meetings: 0, optOuts: 0, bounces: 0 });

/**
 * `touches` in order per enrollment. An answer on a channel the rep works by hand (a call that
 * booked a meeting, a LinkedIn reply logged) is the touch made at its step, answered. An answer
 * to mail (a reply read from the mailbox) is credited to the step of the last touch made before it,
 * the mail it answers (or, with none, is the touch at its own step). An enrollment that ended opted
 * out or bounced without such a touch (a bounce or a complaint read from the mailbox) counts at its
 * last touch's step.
 */
export function cadenceRates(
  version: { id: number; steps: number },
  enrollments: readonly { id: number; status: EnrollmentStatus; versionId: number }[],
  touches: readonly CadenceTouchFact[],
): CadenceRates {
  const steps = Array.from({ length: version.steps }, zero);
  const cadence = zero();
  const onVersion = new Set(enrollments.filter((e) => e.versionId === version.id).map((e) => e.id));
  const byEnrollment = new Map<number, { lastStep: number | null; kinds: Set<ResponseKind>; onVersion: boolean }>();
  const mail = new Set(channelsActing('mailbox_send'));
  // Steps are those of one version: an enrollment on another version counts for the cadence only.
  const stepOf = (e: { onVersion: boolean }, i: number | null) => (e.onVersion && i !== null && i >= 0 && i < version.steps ? steps[i]! : null);
  for (const t of touches) {
    let e = byEnrollment.get(t.enrollmentId);
    if (!e) byEnrollment.set(t.enrollmentId, (e = { lastStep: null, kinds: new Set(), onVersion: onVersion.has(t.enrollmentId) }));
    const kinds = responseKinds(t.outcome);
    if (kinds === null) {
      if (e.lastStep === null) cadence.sent++;
      e.lastStep = t.stepIndex;
      const s = stepOf(e, t.stepIndex);
      if (s) s.sent++;
      continue;
    }
    const answersMail = mail.has(t.channel) && e.lastStep !== null;
    if (!answersMail) {
      if (e.lastStep === null) cadence.sent++;
      e.lastStep = t.stepIndex;
      const own = stepOf(e, t.stepIndex);
      if (own) own.sent++;
    }
    const s = stepOf(e, e.lastStep);
    for (const k of kinds) {
      if (s) s[k]++;
      e.kinds.add(k);
    }
  }
  for (const en of enrollments) {
    const e = byEnrollment.get(en.id);
    const ended: ResponseKind | null = en.status === 'opted_out' ? 'optOuts' : en.status === 'bounced' ? 'bounces' : null;
    if (e && ended && !e.kinds.has(ended)) {
      e.kinds.add(ended);
      const s = stepOf(e, e.lastStep);
      if (s) s[ended]++;
    }
    if (e && e.lastStep !== null) for (const k of e.kinds) cadence[k]++;
  }
  return { enrolled: enrollments.length, cadence, steps };
}

/** "12%" of `of`; "—" when nothing was sent. */
export function ratePercent(n: number, of: number): string {
  return of === 0 ? '—' : `${Math.round((n / of) * 100)}%`;
}
