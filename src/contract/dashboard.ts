// Follow-up figures: the stats of a rep or the team, and everything the dashboard shows.
import { z } from 'zod';
import { ROLES } from '../core/accounts.ts';
import { PERIODS, type Period } from '../core/metrics.ts';
import { flagSchema, idSchema } from './common.ts';
import { ok, routesOf } from './route.ts';

const route = routesOf('work');

const periodSchema = z.enum(Object.keys(PERIODS) as [Period, ...Period[]]);

const histogram = z.object({ mean: z.number().nullable(), median: z.number().nullable(), histogram: z.record(z.string(), z.number()) });

const followUpFigures = {
  prospects: z.number(), touched: z.number(), followedUp: z.number(),
  followUpRate: z.number().nullable().describe('share of touched prospects that got a second touch'), totalTouches: z.number(),
  touchesPerProspect: histogram, replies: z.number(),
  touchesUntilReply: histogram.describe('replies by touch number: at which touch the first reply came'),
  droppedBeforeFive: z.number().describe('gave up too early: no answer, no live cadence, fewer than 5 touches'),
};

const replyRate = z.object({ key: z.string(), touches: z.number(), replies: z.number(), rate: z.number().nullable() });
export type ReplyRate = z.infer<typeof replyRate>;

const repRow = z.object({
  userId: z.number(), name: z.string(), role: z.enum(ROLES), prospects: z.number(), touched: z.number(), followUpRate: z.number().nullable(),
  touches: z.number(), replies: z.number(), droppedBeforeFive: z.number(), overdue: z.number(), capacityMinutes: z.number(), dueMinutes: z.number(),
});
export type RepRow = z.infer<typeof repRow>;

const dashboardSchema = z.object({
  scope: z.object({ kind: z.enum(['team', 'rep']), userId: z.number().nullable(), name: z.string() }),
  period: z.object({ key: periodSchema, since: z.number().nullable() }),
  generatedAt: z.number(),
  industryFollowUpRate: z.number(),
  stats: z.object(followUpFigures),
  replyRates: z.object({ byStep: z.array(replyRate).describe('key: step number, 1-based'), byChannel: z.array(replyRate) }),
  overdue: z.object({
    count: z.number(), oldestDays: z.number().nullable(),
    buckets: z.array(z.object({ label: z.string(), minDays: z.number(), maxDays: z.number().nullable(), count: z.number() })),
  }),
  capacity: z.object({
    days: z.array(z.object({ date: z.string(), capacityMinutes: z.number(), dueMinutes: z.number(), dueTouches: z.number() })),
    capacityMinutes: z.number(), dueMinutes: z.number(), hasBlocks: z.boolean(),
  }).describe('follow-up block minutes against the minutes of work due, per day of the coming week'),
  reps: z.array(repRow).nullable().describe('managers, team view: one row per person'),
});
export type DashboardData = z.infer<typeof dashboardSchema>;

export const dashboard = {
  stats: route('GET', '/api/stats', 'user', {
    summary: 'Follow-up rate against the industry figure, touches per prospect, touches until reply',
    querystring: z.object({ team: flagSchema.describe('managers: the whole team') }),
    response: ok(z.object({ scope: z.string(), industryFollowUpRate: z.number(), ...followUpFigures })),
  }),

  dashboard: route('GET', '/api/dashboard', 'user', {
    summary: 'Everything the dashboard shows: follow-up rate, histograms, reply rates, overdue ages, capacity vs due work; per rep for managers',
    querystring: z.object({
      period: periodSchema.default('all').describe('prospects first touched in the last 30 or 90 days, or all'),
      team: flagSchema.describe('managers: the whole team, with one row per rep'),
      rep: idSchema.optional().describe("managers: this user's figures (a rep may name only themselves)"),
    }),
    response: ok(dashboardSchema),
  }),
};
