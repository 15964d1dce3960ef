// The close of a follow-up block: what the rep did in it (touches by channel, replies, meetings,
// prospects moved forward) and their follow-up rate for the week against the industry figure.
// Pure: the touches and the instants come in; nothing here reads a clock.
import { INDUSTRY_FOLLOW_UP_RATE, type TouchFact } from './metrics.ts';
import { isOutcome, outcomeInfo } from './outcomes.ts';
import { DAY_MS } from './schedule.ts';

/**
 * The follow-up rate "for the week": of the prospects whose first touch falls in the 7 days that
 * ended FOLLOW_UP_GRACE_DAYS days ago, the share that got a second or later touch by now. Every
 * prospect counted has had at least two days for a follow-up (so a first touch this morning does not
 * drag the rate down), and the window is always a full week, on a Monday too. Null: nobody in it.
 */
export const FOLLOW_UP_GRACE_DAYS = 2;
const WEEK_DAYS = 7;

export interface BlockSummary {
  from: number;
  to: number;
  touches: number;
  /** Touches made in the block, per channel (channels with none are left out). */
  byChannel: Record<string, number>;
  replies: number;
  meetings: number;
  /** Prospects touched in the block whose touch moved them on: to their next step, a reply or a meeting (not a "no"). */
  movedForward: number;
  week: { from: number; to: number; firstTouched: number; followedUp: number; followUpRate: number | null };
  industryFollowUpRate: number;
}

function movesForward(outcome: string): boolean {
  if (!isOutcome(outcome)) return false;
  const info = outcomeInfo(outcome);
  return info.ends === null || info.reply;
}

/** The summary of the block [from, to) from the rep's touches (any order), as of `now`. */
export function blockSummary(touches: Iterable<TouchFact>, block: { from: number; to: number }, now: number): BlockSummary {
  const byChannel: Record<string, number> = {};
  const forward = new Set<number>();
  let count = 0;
  let replies = 0;
  let meetings = 0;
  const firstAt = new Map<number, number>();
  const touchCount = new Map<number, number>();
  const weekTo = now - FOLLOW_UP_GRACE_DAYS * DAY_MS;
  const weekFrom = weekTo - WEEK_DAYS * DAY_MS;
  for (const t of touches) {
    if (t.at <= now) {
      firstAt.set(t.prospectId, Math.min(firstAt.get(t.prospectId) ?? Infinity, t.at));
      touchCount.set(t.prospectId, (touchCount.get(t.prospectId) ?? 0) + 1);
    }
    if (t.at < block.from || t.at >= block.to) continue;
    count++;
    byChannel[t.channel] = (byChannel[t.channel] ?? 0) + 1;
    const info = isOutcome(t.outcome) ? outcomeInfo(t.outcome) : null;
    if (info?.reply) replies++;
    if (info?.meeting) meetings++;
    if (movesForward(t.outcome)) forward.add(t.prospectId);
  }
  let firstTouched = 0;
  let followedUp = 0;
  for (const [prospectId, at] of firstAt) {
    if (at < weekFrom || at >= weekTo) continue;
    firstTouched++;
    if ((touchCount.get(prospectId) ?? 0) >= 2) followedUp++;
  }
  return {
    from: block.from, to: block.to, touches: count, byChannel, replies, meetings, movedForward: forward.size,
    week: { from: weekFrom, to: weekTo, firstTouched, followedUp, followUpRate: firstTouched ? followedUp / firstTouched : null },
    industryFollowUpRate: INDUSTRY_FOLLOW_UP_RATE,
  };
}
