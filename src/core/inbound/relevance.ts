// Whether an inbound message may act on a prospect's enrollment, or is only history (issue 16).
// A message acts only on an enrollment it could be about: written after the mail it answers or
// reports on, and after the enrollment started. Sender-address matches act only within a live
// enrollment or one that ended recently. Older mail is stored on the timeline, never acted on.

/** How the message was tied to the prospect. */
export type MatchBasis = 'reference' | 'token' | 'address';

export interface EnrollmentSpan {
  id: number;
  live: boolean;
  startedAt: number;
  endedAt: number | null;
}

export interface RelevanceFacts {
  basis: MatchBasis;
  /** When the message was written (its Date, never later than its arrival). */
  writtenAt: number;
  /** When the mail it references was sent (reference matches). */
  referencedSentAt: number | null;
  /** The prospect's enrollments, any order. */
  enrollments: readonly EnrollmentSpan[];
  now: number;
  /** Address matches act on an enrollment ended at most this many days ago. */
  addressMatchDays: number;
}

export type Relevance = { acts: true; enrollmentId: number | null } | { acts: false; why: string };

const DAY = 24 * 3600_000;

/** The instant a message was written: its Date header, unless later than its arrival (a wrong clock). */
export function writtenAt(dateHeader: number | undefined, arrived: number | null, fallback: number): number {
  const arrival = arrived ?? fallback;
  return dateHeader !== undefined && Number.isFinite(dateHeader) ? Math.min(dateHeader, arrival) : arrival;
}

function day(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

export function relevance(f: RelevanceFacts): Relevance {
  const live = [...f.enrollments].filter((e) => e.live).sort((a, b) => b.startedAt - a.startedAt)[0];
  if (f.basis === 'token') return { acts: true, enrollmentId: live?.id ?? null };
  if (f.basis === 'reference') {
    if (f.referencedSentAt !== null && f.writtenAt < f.referencedSentAt) return { acts: false, why: `written ${day(f.writtenAt)}, before the mail it refers to was sent (${day(f.referencedSentAt)})` };
    if (live && f.writtenAt < live.startedAt) return { acts: false, why: `written ${day(f.writtenAt)}, before the live cadence started (${day(live.startedAt)})` };
    return { acts: true, enrollmentId: live?.id ?? null };
  }
  const cutoff = f.now - f.addressMatchDays * DAY;
  const recent = live ?? [...f.enrollments].filter((e) => e.endedAt !== null && e.endedAt >= cutoff).sort((a, b) => b.startedAt - a.startedAt)[0];
  if (!recent) return { acts: false, why: `matched by address only, and no cadence is live or ended in the last ${f.addressMatchDays} days` };
  if (f.writtenAt < recent.startedAt) return { acts: false, why: `written ${day(f.writtenAt)}, before the cadence started (${day(recent.startedAt)})` };
  return { acts: true, enrollmentId: recent.id };
}
