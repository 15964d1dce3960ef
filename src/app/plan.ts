// Planning the rep's follow-up blocks: the due touches placed into the next block occurrences.
import { blockOccurrences } from '../core/blocks.ts';
import { planBlocks, type Plan, type PlanItem } from '../core/planner.ts';
import type { Channel } from '../core/types.ts';
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
  const rows = await ctx.store.db
    .selectFrom('enrollments as e')
    .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
    .innerJoin('cadence_steps as s', (j) => j.onRef('s.cadence_version_id', '=', 'e.cadence_version_id').onRef('s.position', '=', 'e.step_index'))
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    .select([
      'e.id', 'e.prospect_id', 'e.due_at', 'e.priority', 'e.step_index', 's.name as step_name', 's.channel',
      'p.first_name', 'p.last_name', 'p.email', 'p.timezone', 'p.opted_out_at', 'p.do_not_contact', 'p.email_status',
      'p.company_id', 'c.name as company',
    ])
    .where('e.owner_id', '=', ctx.user.id)
    .where('e.status', 'in', ['active', 'snoozed'])
    .where('e.due_at', '<=', to)
    .orderBy('e.due_at')
    .orderBy('e.id')
    .execute();
  const history = await touchHistory(ctx, rows.map((r) => r.prospect_id), rows.map((r) => r.company_id), now - LOOKBACK_MS);
  const rules = rulesCache(ctx);
  const items: PlanItem[] = rows.map((r) => ({
    enrollmentId: String(r.id),
    prospectId: String(r.prospect_id),
    prospectName: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email,
    companyKey: r.company_id === null ? null : String(r.company_id),
    companyName: r.company,
    channel: r.channel as Channel,
    dueAt: Number(r.due_at),
    priority: r.priority,
    stepIndex: r.step_index,
    stepName: r.step_name,
    rules: rules(r.timezone),
    flags: { optedOut: r.opted_out_at !== null, doNotContact: r.do_not_contact === 1, emailBad: r.email_status === 'bad' },
    touches: history.byProspect.get(r.prospect_id) ?? [],
  }));
  const companyTouches: Record<string, number[]> = {};
  for (const [id, times] of history.byCompany) companyTouches[String(id)] = times;
  return planOf(items, companyTouches);
}
