// Dates people type: a touch logged for 1900 or a snooze to the year 275760 is a typo, and it would
// skew every metric and schedule that reads it. The range is wide enough for any real use.

const DAY_MS = 86_400_000;
/** Nothing in Tally happened before 2000. */
export const EARLIEST_DATE = Date.UTC(2000, 0, 1);
/** How far ahead a snooze may go. */
export const MAX_AHEAD_MS = 2 * 365 * DAY_MS + DAY_MS;
/** A touch "now" from a device whose clock runs a little ahead is still now. */
const CLOCK_SKEW_MS = 60_000;

/** Why a touch cannot have happened at `at`, or null. */
export function touchTimeProblem(at: number, now: number): string | null {
  if (!Number.isFinite(at) || at < EARLIEST_DATE) return 'a touch date must be in the year 2000 or later';
  if (at > now + CLOCK_SKEW_MS) return 'a touch cannot be logged in the future';
  return null;
}

/** Why a snooze cannot last until `until`, or null (the state machine checks that it lies ahead). */
export function snoozeUntilProblem(until: number, now: number): string | null {
  if (!Number.isFinite(until) || until < EARLIEST_DATE) return 'a snooze date must be in the year 2000 or later';
  if (until > now + MAX_AHEAD_MS) return 'a snooze can last at most 2 years';
  return null;
}
