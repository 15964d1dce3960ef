// The rep's work: today's queue (with today's follow-up blocks), the week's plan, the stats.
import { PAGE_DRAFTS, queueDraft, todayQueue } from '../../app/queue.ts';
import { planRep, type PlanReport } from '../../app/plan.ts';
import { blockSummaryReport, dashboardReport, followUpReport } from '../../app/stats.ts';
import { isManager, userZone } from '../../app/context.ts';
import { localDateKey } from '../../core/schedule.ts';
import { minutesPerChannelOf } from '../../core/planner.ts';
import { dashboard } from '../../contract/dashboard.ts';
import { work, type PlanView } from '../../contract/work.ts';
import { ctxOf } from '../auth.ts';
import { fillSlot } from '../../app/step-words.ts';
import { sendFromQueue } from '../../app/outbox/by-hand.ts';
import { refuse } from '../errors.ts';
import { implement, type Api } from '../routing.ts';

/** The planner's structures carry rules and histories; the API sends what a person reads. */
function shapePlan(r: PlanReport): PlanView {
  return {
    zone: r.zone, from: r.from, to: r.to, hasBlocks: r.hasBlocks,
    blocks: r.plan.blocks.map((b) => ({
      start: b.occurrence.start, end: b.occurrence.end, minutes: b.occurrence.minutes, localDate: b.occurrence.localDate,
      capacityMinutes: b.capacityMinutes, usedMinutes: b.usedMinutes, freeMinutes: b.freeMinutes,
      touches: b.touches.map((t) => ({
        enrollmentId: Number(t.item.enrollmentId), prospectId: Number(t.item.prospectId), name: t.item.prospectName, company: t.item.companyName ?? null,
        channel: t.item.channel, stepName: t.item.stepName, dueAt: t.item.dueAt, at: t.at, minutes: t.minutes,
      })),
    })),
    unplaced: r.plan.unplaced.map((u) => ({
      enrollmentId: Number(u.item.enrollmentId), prospectId: Number(u.item.prospectId), name: u.item.prospectName, channel: u.item.channel,
      dueAt: u.item.dueAt, reason: u.reason, explanation: u.explanation,
    })),
    overload: r.plan.overload,
  };
}

export function workRoutes(app: Api): void {
  implement(app, work, {
    queue: async (req) => {
      const ctx = ctxOf(req);
      if (req.query.team && !isManager(ctx)) throw refuse('forbidden', 'only a manager can see the team queue', 'team');
      const [queue, plan] = await Promise.all([todayQueue(ctx, { days: req.query.days, limit: req.query.limit, team: req.query.team, drafts: PAGE_DRAFTS }), planRep(ctx, { days: 1, blocksOnly: true })]);
      const now = ctx.now();
      const today = localDateKey(now, userZone(ctx));
      const minutesPerChannel = minutesPerChannelOf(ctx.settings.minutesPerChannel);
      // Today's blocks, and one still under way since yesterday evening (block mode runs for it).
      return { ...queue, blocks: shapePlan(plan).blocks.filter((b) => b.localDate === today || b.start <= now), minutesPerChannel };
    },

    draft: async (req) => queueDraft(ctxOf(req), req.params.enrollment),

    fill: async (req) => fillSlot(ctxOf(req), req.params.prospect, req.body),

    send: async (req) => {
      const { card, subject, text } = req.body ?? {};
      const r = await sendFromQueue(ctxOf(req), req.params.prospect, card && { enrollmentId: card.enrollmentId, stepIndex: card.step - 1 }, { subject, text });
      return {
        status: 'queued' as const, to: r.planned.to, subject: r.planned.subject ?? '', touchId: r.touchId, sendAfter: r.sendAfter,
        detail: 'goes out in 10 seconds unless you undo it',
      };
    },

    blockSummary: async (req) => blockSummaryReport(ctxOf(req), req.query),

    plan: async (req) => shapePlan(await planRep(ctxOf(req), { days: req.query.days })),
  });

  implement(app, dashboard, {
    stats: async (req) => {
      const ctx = ctxOf(req);
      if (req.query.team && !isManager(ctx)) throw refuse('forbidden', 'only a manager can see the team figures', 'team');
      return followUpReport(ctx, { team: req.query.team });
    },

    dashboard: async (req) => dashboardReport(ctxOf(req), req.query),
  });
}
