// Follow-up metrics a rep and a manager see, computed from per-prospect summaries.

export interface ProspectTouchSummary {
  /** Touches the rep made to this prospect. */
  touches: number;
  /** 1-based number of the touch that got the first reply; null when no reply yet. */
  firstReplyAtTouch: number | null;
  /** Whether the prospect is still in a live (active, paused, snoozed) enrollment. */
  live: boolean;
  /** Whether a touch got a final answer of any kind (not interested, wrong person, opted out…). */
  answered?: boolean;
}

export interface FollowUpStats {
  prospects: number;
  touched: number;
  followedUp: number;
  /** Share of touched prospects that got at least a second touch (industry: about 25%). */
  followUpRate: number | null;
  totalTouches: number;
  touchesPerProspect: { mean: number | null; median: number | null; histogram: Record<string, number> };
  replies: number;
  /** Touch number of the first reply → prospects. */
  touchesUntilReply: { mean: number | null; median: number | null; histogram: Record<string, number> };
  /** No answer of any kind, no live enrollment and fewer than five touches: given up too early. */
  droppedBeforeFive: number;
}

export const INDUSTRY_FOLLOW_UP_RATE = 0.25;
/** Histogram buckets above this are summed into "N+". */
const HISTOGRAM_CAP = 10;

function median(sorted: number[]): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function histogram(values: number[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const v of values) {
    const key = v >= HISTOGRAM_CAP ? `${HISTOGRAM_CAP}+` : String(v);
    h[key] = (h[key] ?? 0) + 1;
  }
  return h;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = values.reduce((s, v) => s + v, 0);
  return { mean: values.length ? sum / values.length : null, median: median(sorted), histogram: histogram(values) };
}

export function followUpStats(rows: Iterable<ProspectTouchSummary>): FollowUpStats {
  let prospects = 0;
  let touched = 0;
  let followedUp = 0;
  let totalTouches = 0;
  let dropped = 0;
  const touchCounts: number[] = [];
  const replyAt: number[] = [];
  for (const r of rows) {
    prospects++;
    totalTouches += r.touches;
    if (r.touches > 0) {
      touched++;
      touchCounts.push(r.touches);
    }
    if (r.touches >= 2) followedUp++;
    if (r.firstReplyAtTouch !== null) replyAt.push(r.firstReplyAtTouch);
    else if (!r.live && !r.answered && r.touches > 0 && r.touches < 5) dropped++;
  }
  return {
    prospects,
    touched,
    followedUp,
    followUpRate: touched ? followedUp / touched : null,
    totalTouches,
    touchesPerProspect: summary(touchCounts),
    replies: replyAt.length,
    touchesUntilReply: summary(replyAt),
    droppedBeforeFive: dropped,
  };
}
