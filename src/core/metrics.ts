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

/** The dashboard's periods: prospects first touched in the last N days, or all (null). */
export const PERIODS = { '30d': 30, '90d': 90, all: null } as const;
export type Period = keyof typeof PERIODS;

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

// ---------------------------------------------------------------------------------------------
// The dashboard: per-prospect summaries built from touch rows, reply rates by step and channel,
// overdue ages and the week's block capacity against due work. All pure: the stats service reads
// the rows, these functions decide what they mean.

/** One logged touch, as the dashboard needs it. */
export interface TouchFact {
  prospectId: number;
  at: number;
  channel: string;
  outcome: string;
  /** 0-based cadence step the touch was made at; null outside a cadence. */
  stepIndex: number | null;
}

export interface SummaryOptions {
  /** Reply outcomes (a reply, a meeting) and terminal outcomes (any final answer). */
  replyOutcomes: readonly string[];
  terminalOutcomes: ReadonlySet<string>;
  /** Only prospects first touched at or after this instant (a cohort); null: everyone. */
  since?: number | null;
}

/**
 * Per-prospect summaries from touches sorted by prospect, then time. With `since`, the cohort is
 * the prospects first touched in the period (all their touches count, so a second touch after the
 * period started still counts as a follow-up); never-touched prospects belong to no period.
 */
export function prospectSummaries(prospectIds: Iterable<number>, touches: Iterable<TouchFact>, liveProspects: ReadonlySet<number>, opts: SummaryOptions): Map<number, ProspectTouchSummary> {
  const all = new Map<number, ProspectTouchSummary & { firstAt: number | null }>();
  for (const id of prospectIds) all.set(id, { touches: 0, firstReplyAtTouch: null, live: liveProspects.has(id), firstAt: null });
  for (const t of touches) {
    const s = all.get(t.prospectId);
    if (!s) continue;
    s.touches++;
    s.firstAt ??= t.at;
    if (s.firstReplyAtTouch === null && opts.replyOutcomes.includes(t.outcome)) s.firstReplyAtTouch = s.touches;
    if (opts.terminalOutcomes.has(t.outcome)) s.answered = true;
  }
  const out = new Map<number, ProspectTouchSummary>();
  const since = opts.since ?? null;
  for (const [id, { firstAt, ...s }] of all) if (since === null || (firstAt !== null && firstAt >= since)) out.set(id, s);
  return out;
}

export interface ReplyRate {
  /** The step number (1-based) or the channel. */
  key: string;
  touches: number;
  replies: number;
  /** replies / touches; null when no touch. */
  rate: number | null;
}

export interface ReplyRates {
  byStep: ReplyRate[];
  byChannel: ReplyRate[];
}

/** Of the touches made at each step (each channel), the share that was a reply or a meeting. */
export function replyRates(touches: Iterable<TouchFact>, replyOutcomes: readonly string[]): ReplyRates {
  const byStep = new Map<number, { touches: number; replies: number }>();
  const byChannel = new Map<string, { touches: number; replies: number }>();
  const add = <K>(m: Map<K, { touches: number; replies: number }>, k: K, reply: boolean) => {
    const c = m.get(k) ?? { touches: 0, replies: 0 };
    c.touches++;
    if (reply) c.replies++;
    m.set(k, c);
  };
  for (const t of touches) {
    const reply = replyOutcomes.includes(t.outcome);
    if (t.stepIndex !== null) add(byStep, t.stepIndex, reply);
    add(byChannel, t.channel, reply);
  }
  const rate = (key: string, c: { touches: number; replies: number }): ReplyRate => ({ key, ...c, rate: c.touches ? c.replies / c.touches : null });
  return {
    byStep: [...byStep].sort((a, b) => a[0] - b[0]).map(([k, c]) => rate(String(k + 1), c)),
    byChannel: [...byChannel].sort((a, b) => b[1].touches - a[1].touches || a[0].localeCompare(b[0])).map(([k, c]) => rate(k, c)),
  };
}

/** Age buckets for overdue touches, in days late: [min, max). */
export const OVERDUE_BUCKETS: readonly { label: string; minDays: number; maxDays: number | null }[] = [
  { label: 'under 1 day', minDays: 0, maxDays: 1 },
  { label: '1–3 days', minDays: 1, maxDays: 3 },
  { label: '3–7 days', minDays: 3, maxDays: 7 },
  { label: '7+ days', minDays: 7, maxDays: null },
];

export interface OverdueSummary {
  count: number;
  /** Days the oldest overdue touch is late; null when none. */
  oldestDays: number | null;
  buckets: { label: string; minDays: number; maxDays: number | null; count: number }[];
}

/** Touches due before `now` (due times of live enrollments), by how late they are. */
export function overdueSummary(dueAts: Iterable<number>, now: number): OverdueSummary {
  const buckets = OVERDUE_BUCKETS.map((b) => ({ ...b, count: 0 }));
  let count = 0;
  let oldest: number | null = null;
  for (const due of dueAts) {
    if (due >= now) continue;
    count++;
    const days = (now - due) / 86_400_000;
    oldest = oldest === null ? days : Math.max(oldest, days);
    const b = buckets.find((x) => days >= x.minDays && (x.maxDays === null || days < x.maxDays));
    if (b) b.count++;
  }
  return { count, oldestDays: oldest === null ? null : Math.floor(oldest * 10) / 10, buckets };
}

export interface DayCapacity {
  /** Local date (YYYY-MM-DD) in the rep's zone. */
  date: string;
  /** Minutes of follow-up blocks left that day. */
  capacityMinutes: number;
  /** Estimated minutes of the touches due that day (overdue ones count on the first day). */
  dueMinutes: number;
  dueTouches: number;
}

/**
 * Block capacity against due work per day of the coming week. `days` are the local dates in
 * order; work due before the first day lands on it (it is overdue: it has to be done now), work
 * due after the last day is left out.
 */
export function capacityByDay(
  days: readonly string[],
  blocks: Iterable<{ date: string; capacityMinutes: number }>,
  due: Iterable<{ date: string; minutes: number }>,
): DayCapacity[] {
  const out = days.map((date) => ({ date, capacityMinutes: 0, dueMinutes: 0, dueTouches: 0 }));
  const byDate = new Map(out.map((d) => [d.date, d]));
  const first = out[0];
  for (const b of blocks) {
    const d = byDate.get(b.date);
    if (d) d.capacityMinutes += b.capacityMinutes;
  }
  for (const item of due) {
    const d = byDate.get(item.date) ?? (first && item.date < first.date ? first : undefined);
    if (!d) continue;
    d.dueMinutes += item.minutes;
    d.dueTouches++;
  }
  return out;
}
