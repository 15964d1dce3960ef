// The rep's place in today's queue: which cards can be worked now, which a guardrail holds, and
// progress kept across a reload (this browser, this rep, this day).
import type { QueueItem, ResponseFor } from '@contract';

type Queue = ResponseFor<'GET /api/queue'>;

export interface Split {
  /** Cards to work now, in the queue's order; those skipped for now at the end, in the order skipped. */
  work: QueueItem[];
  /** Held by a guardrail that lifts later today. Those held past today are not today's work at all. */
  held: QueueItem[];
}

/** `front`: the enrollment whose card goes first (the one on screen when the list is reloaded). */
export function splitQueue(queue: Queue, skipped: readonly number[], front?: number): Split {
  const rank = (i: QueueItem) => (i.enrollmentId === front ? -2 : skipped.indexOf(i.enrollmentId));
  // A stable sort: the card in front (-2) first, then the cards not skipped (-1) in the queue's order.
  const work = queue.items.filter((i) => !i.held).sort((a, b) => rank(a) - rank(b));
  const held = queue.items.filter((i) => i.held !== null && i.held.until !== null && i.held.until <= queue.until);
  return { work, held };
}

export interface Progress {
  /** Cards worked (logged or snoozed) today. */
  done: number;
  /** Touches logged today (a snooze is not a touch). */
  touches: number;
  /** Enrollments skipped for now, in order. */
  skipped: number[];
}

const EMPTY: Progress = { done: 0, touches: 0, skipped: [] };

/** One key per rep and day: `until` is the end of the rep's day (the queue's own bound). */
const storageKey = (userId: number, until: number) => `tally.queue.${userId}.${until}`;

export function loadProgress(userId: number, until: number): Progress {
  try {
    const v = JSON.parse(localStorage.getItem(storageKey(userId, until)) ?? 'null') as Partial<Progress> | null;
    if (!v) return EMPTY;
    return { done: Number(v.done) || 0, touches: Number(v.touches) || 0, skipped: Array.isArray(v.skipped) ? v.skipped.filter((n) => typeof n === 'number') : [] };
  } catch {
    return EMPTY; // storage off or a value from elsewhere: start the count again
  }
}

export function saveProgress(userId: number, until: number, p: Progress): void {
  try {
    localStorage.setItem(storageKey(userId, until), JSON.stringify(p));
  } catch {
    // Private mode or a full storage: progress lasts until the page is closed, as before.
  }
}
