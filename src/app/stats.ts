// Follow-up metrics for the acting rep (or the team, for a manager), and the dashboard: the same
// figures plus reply rates, overdue ages, the week's capacity and, for managers, one row per rep.
// This module reads rows; what they mean is decided in the pure core (src/core/metrics.ts).
import {
  capacityByDay,
  followUpStats,
  INDUSTRY_FOLLOW_UP_RATE,
  PERIODS,
  overdueSummary,
  prospectSummaries,
  replyRates,
  type DayCapacity,
  type FollowUpStats,
  type OverdueSummary,
  type Period,
  type ReplyRates,
} from '../core/metrics.ts';
import { dayKey, DAY_MS, localDateKey, localDayNumber } from '../core/schedule.ts';
import { REPLY_OUTCOMES, TERMINAL_OUTCOMES } from '../core/outcomes.ts';
import type { Role, User } from './ports/records.ts';
import type { FollowUpRows } from './ports/store/stats.ts';
import { isManager, userZone, type Context } from './context.ts';
import { TallyError } from '../core/errors.ts';
import { planRep } from './plan.ts';
import { blockSummary, type BlockSummary } from '../core/block-summary.ts';

export interface StatsReport extends FollowUpStats {
  scope: string;
  industryFollowUpRate: number;
}

/** Who the figures are about: one user's prospects, or the whole workspace. */
type Scope = { kind: 'team' } | { kind: 'rep'; user: User };

const SUMMARY = { replyOutcomes: REPLY_OUTCOMES, terminalOutcomes: TERMINAL_OUTCOMES as ReadonlySet<string> };

function readRows(ctx: Context, scope: Scope): Promise<FollowUpRows> {
  return ctx.store.stats.followUpRows(ctx.workspace.id, scope.kind === 'rep' ? scope.user.id : null, ctx.now());
}

export async function followUpReport(ctx: Context, opts: { team?: boolean } = {}): Promise<StatsReport> {
  const team = opts.team === true && isManager(ctx);
  const rows = await readRows(ctx, team ? { kind: 'team' } : { kind: 'rep', user: ctx.user });
  const summaries = prospectSummaries(rows.prospects.map((p) => p.id), rows.touches, rows.live, SUMMARY);
  return { scope: team ? 'team' : ctx.user.name, industryFollowUpRate: INDUSTRY_FOLLOW_UP_RATE, ...followUpStats(summaries.values()) };
}

export interface CapacityReport {
  /** Per day of the coming week (the rep's zone; for the team, each rep's own local days). */
  days: DayCapacity[];
  capacityMinutes: number;
  dueMinutes: number;
  /** Whether anyone in scope has follow-up blocks. */
  hasBlocks: boolean;
}

export interface RepRow {
  userId: number;
  name: string;
  role: Role;
  prospects: number;
  touched: number;
  followUpRate: number | null;
  touches: number;
  replies: number;
  droppedBeforeFive: number;
  overdue: number;
  capacityMinutes: number;
  dueMinutes: number;
}

export interface DashboardReport {
  scope: { kind: 'team' | 'rep'; userId: number | null; name: string };
  period: { key: Period; since: number | null };
  generatedAt: number;
  industryFollowUpRate: number;
  stats: FollowUpStats;
  replyRates: ReplyRates;
  overdue: OverdueSummary;
  capacity: CapacityReport;
  /** Managers, team view: one row per person in the workspace. */
  reps: RepRow[] | null;
}

export interface DashboardOptions {
  period?: Period;
  /** Managers: the team as a whole. */
  team?: boolean;
  /** Managers: one rep's figures (a rep may name only themselves). */
  rep?: number;
}

const WEEK_DAYS = 7;

/** The coming week's capacity against due work for one user, from their planned blocks. */
async function weekCapacity(ctx: Context, user: User): Promise<CapacityReport> {
  const asUser: Context = { ...ctx, user };
  const report = await planRep(asUser, { days: WEEK_DAYS });
  const zone = userZone(asUser);
  const today = localDayNumber(ctx.now(), zone);
  const days = Array.from({ length: WEEK_DAYS }, (_, i) => dayKey(today + i));
  const plan = report.plan;
  const items = [...plan.blocks.flatMap((b) => b.touches.map((t) => t.item)), ...plan.unplaced.map((u) => u.item)];
  const perDay = capacityByDay(
    days,
    plan.blocks.map((b) => ({ date: b.occurrence.localDate, capacityMinutes: b.capacityMinutes })),
    items.map((i) => ({ date: localDateKey(i.dueAt, zone), minutes: plan.minutesPerChannel[i.channel] })),
  );
  return {
    days: perDay,
    capacityMinutes: perDay.reduce((n, d) => n + d.capacityMinutes, 0),
    dueMinutes: perDay.reduce((n, d) => n + d.dueMinutes, 0),
    hasBlocks: report.hasBlocks,
  };
}

/** The team's week: each rep's days added up position by position (day 1 is each rep's today). */
function addCapacities(list: CapacityReport[]): CapacityReport {
  const first = list[0];
  if (!first) return { days: [], capacityMinutes: 0, dueMinutes: 0, hasBlocks: false };
  const days = first.days.map((d, i) => {
    const same = list.map((c) => c.days[i]).filter((x): x is DayCapacity => x !== undefined);
    return {
      date: d.date,
      capacityMinutes: same.reduce((n, x) => n + x.capacityMinutes, 0),
      dueMinutes: same.reduce((n, x) => n + x.dueMinutes, 0),
      dueTouches: same.reduce((n, x) => n + x.dueTouches, 0),
    };
  });
  return {
    days,
    capacityMinutes: list.reduce((n, c) => n + c.capacityMinutes, 0),
    dueMinutes: list.reduce((n, c) => n + c.dueMinutes, 0),
    hasBlocks: list.some((c) => c.hasBlocks),
  };
}

async function resolveScope(ctx: Context, opts: DashboardOptions): Promise<Scope> {
  if (opts.rep !== undefined && opts.rep !== ctx.user.id) {
    if (!isManager(ctx)) throw new TallyError("only a manager can see another rep's figures", 'forbidden', { field: 'rep' });
    const user = await ctx.store.users.byId(opts.rep);
    if (!user || user.workspace_id !== ctx.workspace.id) throw new TallyError(`no user ${opts.rep} in this workspace`, 'not_found', { field: 'rep' });
    return { kind: 'rep', user };
  }
  if (opts.team && opts.rep === undefined) {
    if (!isManager(ctx)) throw new TallyError('only a manager can see the team figures', 'forbidden', { field: 'team' });
    return { kind: 'team' };
  }
  return { kind: 'rep', user: ctx.user };
}

/** Everything the dashboard page shows, in one read. */
export async function dashboardReport(ctx: Context, opts: DashboardOptions = {}): Promise<DashboardReport> {
  const scope = await resolveScope(ctx, opts);
  const periodKey = opts.period ?? 'all';
  const days = PERIODS[periodKey];
  const now = ctx.now();
  const since = days === null ? null : now - days * DAY_MS;
  const rows = await readRows(ctx, scope);
  const summaries = prospectSummaries(rows.prospects.map((p) => p.id), rows.touches, rows.live, { ...SUMMARY, since });
  const cohortTouches = rows.touches.filter((t) => summaries.has(t.prospectId));

  const users =
    scope.kind === 'team'
      ? await ctx.store.users.list(ctx.workspace.id, 'name')
      : [scope.user];
  const capacities = new Map<number, CapacityReport>();
  // One plan per person: sequential keeps a single SQLite connection free for others.
  for (const u of users) capacities.set(u.id, await weekCapacity(ctx, u));

  let reps: RepRow[] | null = null;
  if (scope.kind === 'team') {
    reps = users.map((u) => {
      const mine = rows.prospects.filter((p) => p.owner_id === u.id).map((p) => p.id);
      const s = followUpStats(prospectSummaries(mine, rows.touches.filter((t) => t.ownerId === u.id), rows.live, { ...SUMMARY, since }).values());
      const cap = capacities.get(u.id);
      return {
        userId: u.id,
        name: u.name,
        role: u.role,
        prospects: s.prospects,
        touched: s.touched,
        followUpRate: s.followUpRate,
        touches: s.totalTouches,
        replies: s.replies,
        droppedBeforeFive: s.droppedBeforeFive,
        overdue: overdueSummary(rows.due.filter((d) => d.ownerId === u.id).map((d) => d.dueAt), now).count,
        capacityMinutes: cap?.capacityMinutes ?? 0,
        dueMinutes: cap?.dueMinutes ?? 0,
      };
    });
  }

  return {
    scope: scope.kind === 'team' ? { kind: 'team', userId: null, name: 'Team' } : { kind: 'rep', userId: scope.user.id, name: scope.user.name },
    period: { key: periodKey, since },
    generatedAt: now,
    industryFollowUpRate: INDUSTRY_FOLLOW_UP_RATE,
    stats: followUpStats(summaries.values()),
    replyRates: replyRates(cohortTouches, REPLY_OUTCOMES),
    overdue: overdueSummary(rows.due.map((d) => d.dueAt), now),
    capacity: addCapacities([...capacities.values()]),
    reps,
  };
}

/** A block may be summed up for at most this long: a working day. */
const LONGEST_BLOCK_MS = 12 * 3_600_000;

/** The close of the acting rep's follow-up block [from, to): only their own prospects' touches. No `to`: it ends now. */
export async function blockSummaryReport(ctx: Context, range: { from: number; to?: number }): Promise<BlockSummary> {
  const block = { from: range.from, to: range.to ?? Math.max(ctx.now(), range.from + 1) };
  if (!(block.to > block.from)) throw new TallyError('the block must end after it starts', 'invalid', { field: 'to' });
  if (block.to - block.from > LONGEST_BLOCK_MS) throw new TallyError('a follow-up block lasts at most 12 hours', 'invalid', { field: 'to' });
  const rows = await readRows(ctx, { kind: 'rep', user: ctx.user });
  return blockSummary(rows.touches, block, ctx.now());
}
