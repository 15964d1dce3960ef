// The daily digest for the acting rep, built from the plan and the queue.
import { dailyDigest, type Digest } from '../core/digest.ts';
import { REPLY_OUTCOMES, type Channel } from '../core/types.ts';
import { userZone, type Context } from './context.ts';
import { planRep } from './plan.ts';
import { todayQueue } from './queue.ts';

const DAY_MS = 86_400_000;

export async function dailyDigestFor(ctx: Context): Promise<Digest> {
  const now = ctx.now();
  const [report, queue] = await Promise.all([planRep(ctx, { days: 1 }), todayQueue(ctx, { limit: 500 })]);
  const replies = await ctx.store.db
    .selectFrom('touches as t')
    .innerJoin('prospects as p', 'p.id', 't.prospect_id')
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    .select(['p.first_name', 'p.last_name', 'p.email', 'c.name as company', 't.note', 't.occurred_at'])
    .where('p.owner_id', '=', ctx.user.id)
    .where('t.outcome', 'in', REPLY_OUTCOMES)
    .where('t.occurred_at', '>=', now - DAY_MS)
    .orderBy('t.occurred_at', 'desc')
    .orderBy('t.id', 'desc')
    .execute();
  const name = (r: { first_name: string | null; last_name: string | null; email: string }) => [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email;
  return dailyDigest({
    repName: ctx.user.name,
    repZone: userZone(ctx),
    now,
    plan: report.plan,
    overdue: queue.items
      .filter((i) => i.overdue)
      .map((i) => ({ prospectName: i.name, companyName: i.company, channel: i.channel as Channel, stepName: i.stepName, dueAt: i.dueAt })),
    held: queue.items
      .filter((i) => i.held)
      .map((i) => ({ prospectName: i.name, companyName: i.company, channel: i.channel as Channel, stepName: i.stepName, reason: i.held!.reasons.join('; '), until: i.held!.until })),
    replies: replies.map((r) => ({ prospectName: name(r), companyName: r.company, subject: r.note, receivedAt: Number(r.occurred_at) })),
  });
}
