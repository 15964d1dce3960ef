// The company-wide stop (workspace setting inbound.companyWideStop, off by default): when one person
// at a company replies or books a meeting, the cadences of everyone else there are paused — not
// ended: their owner decides what comes next — and each owner is told why (queue, today, digest).
import { displayName } from '../core/prospect-name.ts';
import { TallyError } from '../core/errors.ts';
import type { Context } from './context.ts';
import { applyToLive } from './enrollments.ts';
import type { Prospect } from './ports/records.ts';
import { cancelQueuedMail } from './unsubscribe.ts';

/** Pauses the running cadences of the prospect's colleagues; how many. Runs on the caller's transaction. */
export async function stopAtCompany(ctx: Context, prospect: Prospect, inboundId: number, action: 'replied' | 'meeting_booked'): Promise<number> {
  if (!ctx.settings.inbound.companyWideStop || prospect.company_id === null) return 0;
  const others = await ctx.store.review.colleaguesRunning(ctx.workspace.id, prospect.company_id, prospect.id);
  if (others.length === 0) return 0;
  const company = (await ctx.store.companies.names([prospect.company_id])).get(prospect.company_id) ?? prospect.email.split('@')[1] ?? '';
  const who = displayName(prospect);
  const what = action === 'meeting_booked' ? 'booked a meeting' : 'replied';
  const now = ctx.now();
  let paused = 0;
  for (const o of others) {
    const reason = `company-wide stop: ${who} at ${company} ${what}`;
    try {
      const t = await applyToLive(ctx, ctx.store, o, (at) => ({ type: 'pause', at, reason }));
      if (!t) continue;
    } catch (err) {
      if (err instanceof TallyError) continue; // its cadence moved on meanwhile (paused, ended)
      throw err;
    }
    await cancelQueuedMail(ctx.store, o.id, reason, now);
    await ctx.store.review.addNotice({
      workspace_id: ctx.workspace.id, user_id: o.owner_id, prospect_id: o.id, inbound_id: inboundId, created_at: now,
      text: `${displayName(o)}'s cadence is paused: ${who} at ${company} ${what} (company-wide stop). Resume it when the time is right.`,
    });
    paused++;
  }
  return paused;
}
