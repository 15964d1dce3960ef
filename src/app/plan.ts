// Planning the rep's follow-up blocks: the due touches placed into the next block occurrences.
import { blockOccurrences } from '../core/blocks.ts';
import { planBlocks, type Plan, type PlanItem } from '../core/planner.ts';
import { DAY_MS } from '../core/schedule.ts';
import { rulesCache, userZone, type Context } from './context.ts';
import { listBlocks } from './blocks.ts';
import { LOOKBACK_MS, touchHistory } from './holds.ts';

export interface PlanReport {
  zone: string;
  from: number;
  to: number;
  /** True when the rep has defined follow-up blocks. */
  hasBlocks: boolean;
  plan: Plan;
}

/**
 * Plans the rep's blocks from now over the next `days` days (touches due by the end of the horizon).
 * `blocksOnly`: the caller uses the blocks alone, so no block in the horizon means an empty plan.
 */
export async function planRep(ctx: Context, opts: { days?: number; blocksOnly?: boolean } = {}): Promise<PlanReport> {
  const now = ctx.now();
  const zone = userZone(ctx);
  const to = now + (opts.days ?? 7) * DAY_MS;
  const blocks = await listBlocks(ctx);
  const occurrences = blockOccurrences(blocks, zone, now, to);
  const planOf = (items: PlanItem[], companyTouches: Record<string, number[]>): PlanReport => ({
    zone,
    from: now,
    to,
    hasBlocks: blocks.length > 0,
    plan: planBlocks({ now, occurrences, items, companyTouches, settings: ctx.settings.guardrails, minutesPerChannel: ctx.settings.minutesPerChannel }),
  });
  // Callers that only show the blocks (the queue screen) skip reading the due work when there is
  // no block to put it in: that read is most of the cost for a rep with thousands due.
  if (opts.blocksOnly && occurrences.length === 0) return planOf([], {});
  const rows = await ctx.store.due.steps({ ownerId: ctx.user.id, dueBy: to, order: 'due' }, {});
  const history = await touchHistory(ctx, rows.map((r) => r.prospectId), rows.map((r) => r.prospect.companyId), now - LOOKBACK_MS);
  const rules = rulesCache(ctx);
  const items: PlanItem[] = rows.map((r) => ({
    enrollmentId: String(r.enrollmentId),
    prospectId: String(r.prospectId),
    prospectName: r.prospect.name,
    companyKey: r.prospect.companyId === null ? null : String(r.prospect.companyId),
    companyName: r.company,
    channel: r.step.channel,
    dueAt: r.dueAt,
    priority: r.priority,
    stepIndex: r.stepIndex,
    stepName: r.step.name,
    rules: rules(r.prospect.timezone),
    flags: r.prospect.flags,
    touches: history.byProspect.get(r.prospectId) ?? [],
  }));
  const companyTouches: Record<string, number[]> = {};
  for (const [id, times] of history.byCompany) companyTouches[String(id)] = times;
  return planOf(items, companyTouches);
}
