// Warm-up (issue 19): a new mailbox that suddenly sends its full volume looks like a spammer to
// Gmail and Microsoft, whose filters judge a sender by its history. So a new mailbox starts low and
// its daily limit grows by a set amount each day of the rep's calendar until it reaches its cap.
import { localDayNumber } from './schedule.ts';

/**
 * Defaults (docs/mailboxes.md): 20 on the first day — about what a rep writes by hand, well under the
 * volumes that providers' reputation systems start watching — then 10 more each day, so a 200 cap is
 * reached on the 19th day (the two to three weeks deliverability guides give for a new sender).
 */
export const WARMUP = { startPerDay: 20, stepPerDay: 10 } as const;

/** The mailbox's limit on the local day of `now`: its cap, or less while it warms up (from `warmupFrom`; null: no warm-up). */
export function warmedDailyLimit(cap: number, warmupFrom: number | null, now: number, zone: string, ramp: { startPerDay: number; stepPerDay: number } = WARMUP): number {
  if (warmupFrom === null) return cap;
  const day = Math.max(0, localDayNumber(now, zone) - localDayNumber(warmupFrom, zone));
  return Math.min(cap, ramp.startPerDay + ramp.stepPerDay * day);
}
