// Who a bulk enroll leaves out, and why: someone who answered (a reply, a meeting, "not interested")
// in the last 30 days, opted out or is not to be contacted, whose address bounced, or who is already
// in a live cadence. The answers may be included anyway when the rep says so; the others never.

export const ANSWER_WINDOW_DAYS = 30;

/** In the order they are told: the first that applies is the reason. */
export const LEAVE_OUT_REASONS = ['opted_out', 'bounced', 'live', 'meeting_booked', 'not_interested', 'replied'] as const;
export type LeaveOutReason = (typeof LEAVE_OUT_REASONS)[number];

/** The reasons a rep may override ("include the replied anyway"). */
export const INCLUDABLE_REASONS = ['meeting_booked', 'not_interested', 'replied'] as const satisfies readonly LeaveOutReason[];
export type IncludableReason = (typeof INCLUDABLE_REASONS)[number];

/** "6 who replied in the last 30 days", "1 opted out": the words after the count. */
export const LEAVE_OUT_WORDS: Record<LeaveOutReason, string> = {
  opted_out: 'opted out or not to be contacted',
  bounced: 'whose address bounced',
  live: 'already in a live cadence',
  meeting_booked: `who booked a meeting in the last ${ANSWER_WINDOW_DAYS} days`,
  not_interested: `who said not interested in the last ${ANSWER_WINDOW_DAYS} days`,
  replied: `who replied in the last ${ANSWER_WINDOW_DAYS} days`,
};

export interface EnrollFacts {
  optedOut: boolean;
  bounced: boolean;
  live: boolean;
  /** Answers logged within the window. */
  answers: ReadonlySet<IncludableReason>;
}

export function leaveOutReason(f: EnrollFacts, include: ReadonlySet<IncludableReason> = new Set()): LeaveOutReason | null {
  for (const reason of LEAVE_OUT_REASONS) {
    const applies = reason === 'opted_out' ? f.optedOut : reason === 'bounced' ? f.bounced : reason === 'live' ? f.live : f.answers.has(reason);
    if (applies && !(include as ReadonlySet<string>).has(reason)) return reason;
  }
  return null;
}
