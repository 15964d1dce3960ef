// The rep's work: today's queue (with today's follow-up blocks), the week's plan, the stats.
import { z } from 'zod';
import { todayQueue } from '../../app/queue.ts';
import { planRep, type PlanReport } from '../../app/plan.ts';
import { dashboardReport, followUpReport, PERIODS, type Period } from '../../app/stats.ts';
import { isManager, userZone } from '../../app/context.ts';
import { localDateKey } from '../../core/schedule.ts';
import { minutesPerChannelOf } from '../../core/planner.ts';
import { ctxOf } from '../auth.ts';
import { fillSlot } from '../../app/step-words.ts';
import { sendStepByHand } from '../../app/outbox/by-hand.ts';
import { refuse } from '../errors.ts';
import { flagSchema, idSchema, limitSchema, needSchema, ok, sendingSchema, type Api } from '../schemas.ts';

const messageSchema = z.object({
  subject: z.string(), text: z.string(), html: z.string().nullable().describe('null: plain text only'),
  needs: z.array(needSchema).describe('non-empty: "needs your words"; nothing goes out until each is filled'),
  sending: sendingSchema, error: z.string().nullable(),
});

const queueItem = z.object({
  enrollmentId: z.number(), prospectId: z.number(), name: z.string(), email: z.string(), phone: z.string().nullable(), title: z.string().nullable(),
  company: z.string().nullable(), timezone: z.string().nullable(), priority: z.number(), cadence: z.string(), step: z.number(), steps: z.number().nullable(),
  stepName: z.string(), channel: z.string(), dueAt: z.number(), overdue: z.boolean(), status: z.string(),
  reason: z.string().describe('why this touch helps the prospect: a note for the rep, never sent'), talkingPoints: z.array(z.string()), subject: z.string().nullable(), touches: z.number(),
  held: z.object({ until: z.number().nullable(), reasons: z.array(z.string()) }).nullable().describe('a guardrail holds this touch back, until when and why'),
  playbook: z.object({
    valueItem: z.object({ key: z.string(), kind: z.string(), title: z.string(), summary: z.string(), url: z.string().nullable() }).nullable()
      .describe("the step's playbook value item"),
    objections: z.array(z.object({ key: z.string(), objection: z.string(), answer: z.string(), tags: z.array(z.string()) }))
      .describe('objections to be ready for: those the step names, else the team\'s general ones'),
  }),
  message: messageSchema.nullable().describe('email steps: the mail as the prospect would receive it, and what it still needs from the rep'),
});

const plannedTouch = z.object({
  enrollmentId: z.number(), prospectId: z.number(), name: z.string(), company: z.string().nullable(), channel: z.string(), stepName: z.string(),
  dueAt: z.number(), at: z.number(), minutes: z.number(),
});
const blockSchema = z.object({
  start: z.number(), end: z.number(), minutes: z.number(), localDate: z.string(),
  capacityMinutes: z.number(), usedMinutes: z.number(), freeMinutes: z.number(), touches: z.array(plannedTouch),
});
const planSchema = z.object({
  zone: z.string(), from: z.number(), to: z.number(), hasBlocks: z.boolean(),
  blocks: z.array(blockSchema),
  unplaced: z.array(z.object({ enrollmentId: z.number(), prospectId: z.number(), name: z.string(), channel: z.string(), dueAt: z.number(), reason: z.string(), explanation: z.string() })),
  overload: z.object({ blocks: z.number(), capacityTouches: z.number(), dueTouches: z.number(), message: z.string() }).nullable(),
});

/** The planner's structures carry rules and histories; the API sends what a person reads. */
function shapePlan(r: PlanReport) {
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

const histogram = z.object({ mean: z.number().nullable(), median: z.number().nullable(), histogram: z.record(z.string(), z.number()) });

const followUpStatsSchema = z.object({
  prospects: z.number(), touched: z.number(), followedUp: z.number(),
  followUpRate: z.number().nullable().describe('share of touched prospects that got a second touch'), totalTouches: z.number(),
  touchesPerProspect: histogram, replies: z.number(),
  touchesUntilReply: histogram.describe('replies by touch number: at which touch the first reply came'),
  droppedBeforeFive: z.number().describe('gave up too early: no answer, no live cadence, fewer than 5 touches'),
});
const replyRate = z.object({ key: z.string(), touches: z.number(), replies: z.number(), rate: z.number().nullable() });
const dashboardSchema = z.object({
  scope: z.object({ kind: z.enum(['team', 'rep']), userId: z.number().nullable(), name: z.string() }),
  period: z.object({ key: z.enum(Object.keys(PERIODS) as [Period, ...Period[]]), since: z.number().nullable() }),
  generatedAt: z.number(),
  industryFollowUpRate: z.number(),
  stats: followUpStatsSchema,
  replyRates: z.object({ byStep: z.array(replyRate).describe('key: step number, 1-based'), byChannel: z.array(replyRate) }),
  overdue: z.object({
    count: z.number(), oldestDays: z.number().nullable(),
    buckets: z.array(z.object({ label: z.string(), minDays: z.number(), maxDays: z.number().nullable(), count: z.number() })),
  }),
  capacity: z.object({
    days: z.array(z.object({ date: z.string(), capacityMinutes: z.number(), dueMinutes: z.number(), dueTouches: z.number() })),
    capacityMinutes: z.number(), dueMinutes: z.number(), hasBlocks: z.boolean(),
  }).describe('follow-up block minutes against the minutes of work due, per day of the coming week'),
  reps: z.array(z.object({
    userId: z.number(), name: z.string(), role: z.string(), prospects: z.number(), touched: z.number(), followUpRate: z.number().nullable(),
    touches: z.number(), replies: z.number(), droppedBeforeFive: z.number(), overdue: z.number(), capacityMinutes: z.number(), dueMinutes: z.number(),
  })).nullable().describe('managers, team view: one row per person'),
});

export function workRoutes(app: Api): void {
  app.get('/api/queue', {
    config: { auth: 'user' },
    schema: {
      tags: ['work'],
      summary: "Today's queue: due and overdue touches with why each helps, and today's follow-up blocks",
      querystring: z.object({ days: z.coerce.number().int().min(0).max(14).default(0), limit: limitSchema(500, 100), team: flagSchema.describe('managers: the whole team') }),
      response: ok(z.object({
        owner: z.string(), until: z.number(), total: z.number(), overdue: z.number(), items: z.array(queueItem),
        blocks: z.array(blockSchema).describe("today's follow-up blocks, planned"),
        minutesPerChannel: z.record(z.string(), z.number()).describe('estimated minutes per touch, for "minutes left"'),
      })),
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    if (req.query.team && !isManager(ctx)) throw refuse('forbidden', 'only a manager can see the team queue', 'team');
    const [queue, plan] = await Promise.all([todayQueue(ctx, { days: req.query.days, limit: req.query.limit, team: req.query.team }), planRep(ctx, { days: 1, blocksOnly: true })]);
    const today = localDateKey(ctx.now(), userZone(ctx));
    const minutesPerChannel = minutesPerChannelOf(ctx.settings.minutesPerChannel);
    return { ...queue, blocks: shapePlan(plan).blocks.filter((b) => b.localDate === today), minutesPerChannel };
  });

  const prospectParams = z.object({ prospect: z.string().min(1).max(320).describe('prospect id or email') });

  app.post('/api/queue/:prospect/fill', {
    config: { auth: 'user' },
    schema: {
      tags: ['work'],
      summary: "Write the words the prospect's due step needs: a [[slot]] of its template, or a {{variable}} missing for them",
      params: prospectParams,
      body: z.object({
        slot: z.string().min(1).max(200).describe('the slot as written, or "{{company}}"'),
        text: z.string().max(2000),
        forCadence: z.boolean().default(false).describe('use these words for every prospect on this cadence step'),
      }),
      response: ok(z.object({ prospectId: z.number(), enrollmentId: z.number(), step: z.number(), stepName: z.string(), slot: z.string(), scope: z.enum(['prospect', 'cadence']) })),
    },
  }, async (req) => fillSlot(ctxOf(req), req.params.prospect, req.body));

  app.post('/api/queue/:prospect/send', {
    config: { auth: 'user' },
    schema: {
      tags: ['work'],
      summary: "Send the prospect's due email now, after review (refused while it needs words or a guardrail holds it)",
      params: prospectParams,
      response: ok(z.object({ status: z.string(), to: z.string(), subject: z.string(), detail: z.string() })),
    },
  }, async (req) => {
    const r = await sendStepByHand(ctxOf(req), req.params.prospect, { wait: false });
    const o = r.outcome;
    return { status: o?.status ?? 'queued', to: r.planned.to, subject: r.planned.subject ?? '', detail: o?.detail ?? 'queued: the sender sends it on its next run' };
  });

  app.get('/api/plan', {
    config: { auth: 'user' },
    schema: {
      tags: ['work'],
      summary: 'Your follow-up blocks planned: touches per block, what does not fit and why',
      querystring: z.object({ days: z.coerce.number().int().min(1).max(28).default(7) }),
      response: ok(planSchema),
    },
  }, async (req) => shapePlan(await planRep(ctxOf(req), { days: req.query.days })));

  app.get('/api/stats', {
    config: { auth: 'user' },
    schema: {
      tags: ['work'],
      summary: 'Follow-up rate against the industry figure, touches per prospect, touches until reply',
      querystring: z.object({ team: flagSchema.describe('managers: the whole team') }),
      response: ok(z.object({
        scope: z.string(), industryFollowUpRate: z.number(), prospects: z.number(), touched: z.number(), followedUp: z.number(),
        followUpRate: z.number().nullable(), totalTouches: z.number(), touchesPerProspect: histogram, replies: z.number(),
        touchesUntilReply: histogram, droppedBeforeFive: z.number(),
      })),
    },
  }, async (req) => {
    const ctx = ctxOf(req);
    if (req.query.team && !isManager(ctx)) throw refuse('forbidden', 'only a manager can see the team figures', 'team');
    return followUpReport(ctx, { team: req.query.team });
  });

  app.get('/api/dashboard', {
    config: { auth: 'user' },
    schema: {
      tags: ['work'],
      summary: 'Everything the dashboard shows: follow-up rate, histograms, reply rates, overdue ages, capacity vs due work; per rep for managers',
      querystring: z.object({
        period: z.enum(Object.keys(PERIODS) as [Period, ...Period[]]).default('all').describe('prospects first touched in the last 30 or 90 days, or all'),
        team: flagSchema.describe('managers: the whole team, with one row per rep'),
        rep: idSchema.optional().describe("managers: this user's figures (a rep may name only themselves)"),
      }),
      response: ok(dashboardSchema),
    },
  }, async (req) => dashboardReport(ctxOf(req), req.query));
}
