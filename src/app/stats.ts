// Follow-up metrics for the acting rep (or the team, for a manager).
import { followUpStats, INDUSTRY_FOLLOW_UP_RATE, type FollowUpStats, type ProspectTouchSummary } from '../core/metrics.ts';
import { isManager, type Context } from './context.ts';
import { LIVE } from './enrollments.ts';
import { REPLY_OUTCOMES, TERMINAL_OUTCOMES, type Outcome } from '../core/types.ts';


export interface StatsReport extends FollowUpStats {
  scope: string;
  industryFollowUpRate: number;
}

export async function followUpReport(ctx: Context, opts: { team?: boolean } = {}): Promise<StatsReport> {
  const team = opts.team === true && isManager(ctx);
  const db = ctx.store.db;
  let prospects = db.selectFrom('prospects').select('id').where('workspace_id', '=', ctx.workspace.id);
  if (!team) prospects = prospects.where('owner_id', '=', ctx.user.id);
  const summaries = new Map<number, ProspectTouchSummary>();
  for (const p of await prospects.execute()) summaries.set(p.id, { touches: 0, firstReplyAtTouch: null, live: false });
  // Touches in order per prospect: the reply's position is the number of touches it took.
  const touches = await db
    .selectFrom('touches')
    .select(['prospect_id', 'outcome'])
    .where('workspace_id', '=', ctx.workspace.id)
    .orderBy('prospect_id')
    .orderBy('occurred_at')
    .orderBy('id')
    .execute();
  for (const t of touches) {
    const s = summaries.get(t.prospect_id);
    if (!s) continue;
    s.touches++;
    if (s.firstReplyAtTouch === null && REPLY_OUTCOMES.includes(t.outcome as Outcome)) s.firstReplyAtTouch = s.touches;
    if (TERMINAL_OUTCOMES.has(t.outcome as Outcome)) s.answered = true;
  }
  const live = await db.selectFrom('enrollments').select('prospect_id').distinct().where('workspace_id', '=', ctx.workspace.id).where('status', 'in', LIVE).execute();
  for (const l of live) {
    const s = summaries.get(l.prospect_id);
    if (s) s.live = true;
  }
  return { scope: team ? 'team' : ctx.user.name, industryFollowUpRate: INDUSTRY_FOLLOW_UP_RATE, ...followUpStats(summaries.values()) };
}
