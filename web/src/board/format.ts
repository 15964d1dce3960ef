// Small helpers the board's parts share: times in the viewer's zone, result summaries, CSV out.
import type { BoardFilterQuery } from '@contract';

/** "Tue 3 Dec, 09:30" in the given IANA zone (the viewer's, not the browser's). */
export function formatTime(ms: number, zone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** "09:41": the clock time in the given IANA zone. */
export function formatClock(ms: number, zone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone: zone, hour: '2-digit', minute: '2-digit' }).format(ms);
}

/** "20 Nov", with the year only when it is not this year's. */
export function formatDay(ms: number, zone: string): string {
  const year = (t: number) => new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(t);
  const opts: Intl.DateTimeFormatOptions = { timeZone: zone, day: 'numeric', month: 'short' };
  if (year(ms) !== year(Date.now())) opts.year = 'numeric';
  return new Intl.DateTimeFormat(undefined, opts).format(ms);
}

/** "12 enrolled, 3 already in cadence "X", 1 opted out": one entry per outcome, largest first. */
export function summarise(counts: Record<string, number>): string {
  const parts = Object.entries(counts).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]).map(([what, n]) => `${n} ${what}`);
  return parts.length ? parts.join(', ') : 'nothing to do';
}

/** Counts of skip reasons, with the done ones under `doneLabel`. */
export function countReasons(done: number, doneLabel: string, skipped: { reason: string }[]): Record<string, number> {
  const counts: Record<string, number> = { [doneLabel]: done };
  for (const s of skipped) counts[s.reason] = (counts[s.reason] ?? 0) + 1;
  return counts;
}

export const STATUS_LABELS: Record<string, string> = {
  active: 'Active',
  paused: 'Paused',
  snoozed: 'Snoozed',
  finished: 'Finished',
  replied: 'Replied',
  meeting_booked: 'Meeting booked',
  bounced: 'Bounced',
  opted_out: 'Opted out',
  none: 'Not enrolled',
} satisfies Record<NonNullable<BoardFilterQuery['stage']>, string>;
