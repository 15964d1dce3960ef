// The rep's work: today's queue (with today's follow-up blocks) and the week's plan.
import { z } from 'zod';
import { ENROLLMENT_STATUSES, VALUE_ITEM_KINDS } from '../core/types.ts';
import { channelField, flagSchema, limitSchema, needSchema, queueCardSchema, sendingSchema } from './common.ts';
import { ok, routesOf } from './route.ts';

const route = routesOf('work');

const queuePlaybook = z.object({
  valueItem: z.object({ key: z.string(), kind: z.enum(VALUE_ITEM_KINDS), title: z.string(), summary: z.string(), url: z.string().nullable() }).nullable()
    .describe("the step's playbook value item"),
  objections: z.array(z.object({ key: z.string(), objection: z.string(), answer: z.string(), tags: z.array(z.string()) }))
    .describe('objections to be ready for: those the step names, else the team\'s general ones'),
});
export type QueuePlaybook = z.infer<typeof queuePlaybook>;

const messageSchema = z.object({
  subject: z.string(), text: z.string(), html: z.string().nullable().describe('null: plain text only'),
  needs: z.array(needSchema).describe('non-empty: "needs your words"; nothing goes out until each is filled'),
  sending: sendingSchema, error: z.string().nullable(),
});
export type QueueMessage = z.infer<typeof messageSchema>;

const queueItem = z.object({
  enrollmentId: z.number(), prospectId: z.number(), name: z.string(), email: z.string(), phone: z.string().nullable(), linkedinUrl: z.string().nullable(), title: z.string().nullable(),
  company: z.string().nullable(), timezone: z.string().nullable(), priority: z.number(), cadence: z.string(), step: z.number(), steps: z.number().nullable(),
  stepName: z.string(), channel: channelField(), dueAt: z.number(), overdue: z.boolean(), status: z.enum(ENROLLMENT_STATUSES),
  reason: z.string().describe('why this touch helps the prospect: a note for the rep, never sent'), talkingPoints: z.array(z.string()), subject: z.string().nullable(), touches: z.number(),
  held: z.object({ until: z.number().nullable(), reasons: z.array(z.string()) }).nullable().describe('a guardrail holds this touch back, until when and why'),
  heldReason: z.string().nullable().describe('for a held touch, the one reason to show: the rule that lifts last'),
  playbook: queuePlaybook,
  message: messageSchema.nullable().describe('email steps: the mail as the prospect would receive it, and what it still needs from the rep; null for other channels and for the email cards past the first ones a rep works (GET /api/queue/drafts/:enrollment drafts one)'),
});
export type QueueItem = z.infer<typeof queueItem>;

const plannedTouch = z.object({
  enrollmentId: z.number(), prospectId: z.number(), name: z.string(), company: z.string().nullable(), channel: channelField(), stepName: z.string(),
  dueAt: z.number(), at: z.number(), minutes: z.number(),
});
const blockSchema = z.object({
  start: z.number(), end: z.number(), minutes: z.number(), localDate: z.string(),
  capacityMinutes: z.number(), usedMinutes: z.number(), freeMinutes: z.number(), touches: z.array(plannedTouch),
});
const planSchema = z.object({
  zone: z.string(), from: z.number(), to: z.number(), hasBlocks: z.boolean(),
  blocks: z.array(blockSchema),
  unplaced: z.array(z.object({ enrollmentId: z.number(), prospectId: z.number(), name: z.string(), channel: channelField(), dueAt: z.number(), reason: z.string(), explanation: z.string() })),
  overload: z.object({ blocks: z.number(), capacityTouches: z.number(), dueTouches: z.number(), message: z.string() }).nullable(),
});
/** A rep's follow-up blocks planned, as people read it (the planner's structures carry more). */
export type PlanView = z.infer<typeof planSchema>;

/** What became of a mail sent by hand: the sender's outcome, or queued for its next run. */
const SENT_BY_HAND = ['queued', 'sent', 'failed', 'retry', 'cancelled', 'uncertain'] as const;

const prospectParams = z.object({ prospect: z.string().min(1).max(320).describe('prospect id or email') });

export const work = {
  queue: route('GET', '/api/queue', 'user', {
    summary: "Today's queue: due and overdue touches with why each helps, and today's follow-up blocks",
    querystring: z.object({ days: z.coerce.number().int().min(0).max(14).default(0), limit: limitSchema(500, 100), team: flagSchema.describe('managers: the whole team') }),
    response: ok(z.object({
      owner: z.string(), until: z.number(), total: z.number(), overdue: z.number(), items: z.array(queueItem),
      blocks: z.array(blockSchema).describe("today's follow-up blocks, planned, and one still under way since yesterday"),
      minutesPerChannel: z.record(z.string(), z.number()).describe('estimated minutes per touch, for "minutes left"'),
    })),
  }),

  draft: route('GET', '/api/queue/drafts/:enrollment', 'user', {
    summary: "One queue card's email, drafted as the queue shows it: for the cards the queue's page leaves undrafted (a rep's own cards; a manager's, anyone's)",
    params: z.object({ enrollment: z.coerce.number().int().positive().describe("the card's enrollmentId") }),
    response: ok(messageSchema),
  }),

  fill: route('POST', '/api/queue/:prospect/fill', 'user', {
    summary: "Write the words the prospect's due step needs: a [[slot]] of its template, or a {{variable}} missing for them",
    params: prospectParams,
    body: z.object({
      slot: z.string().min(1).max(200).describe('the slot as written, or "{{company}}"'),
      text: z.string().max(2000),
      forCadence: z.boolean().default(false).describe('use these words for every prospect on this cadence step'),
    }),
    response: ok(z.object({ prospectId: z.number(), enrollmentId: z.number(), step: z.number(), stepName: z.string(), slot: z.string(), scope: z.enum(['prospect', 'cadence']) })),
  }),

  send: route('POST', '/api/queue/:prospect/send', 'user', {
    summary: "Send the prospect's due email after review (refused while it needs words or a guardrail holds it): the touch is logged now and can be undone for 10 s; the mail leaves once that window has passed",
    params: prospectParams,
    body: z.object({
      card: queueCardSchema.optional(),
      subject: z.string().min(1).max(300).optional().describe('the subject as the rep edited it for this prospect'),
      text: z.string().min(1).max(20000).optional().describe('the words as the rep edited them (above the opt-out line, which is added): sent exactly, HTML only when they use **bold** or [a link](https://…)'),
    }).optional(),
    response: ok(z.object({
      status: z.enum(SENT_BY_HAND), to: z.string(), subject: z.string(), detail: z.string(),
      touchId: z.number().describe('the "sent" touch: POST /api/touches/:id/undo within 10 s deletes the mail too'),
      sendAfter: z.number().describe('the mail leaves with the first sender run from then on'),
    })),
  }),

  blockSummary: route('GET', '/api/queue/block-summary', 'user', {
    summary: 'The close of your follow-up block: touches made in it by channel, replies, meetings, prospects moved forward, and your follow-up rate for the week against the 25% industry figure',
    querystring: z.object({
      from: z.coerce.number().int().min(0).describe('when the block started (ms since the epoch)'),
      to: z.coerce.number().int().min(0).optional().describe("when it ended; omitted, now on the server's clock (a touch just logged counts, whatever the browser's clock says)"),
    }),
    response: ok(z.object({
      from: z.number(), to: z.number(), touches: z.number(), byChannel: z.record(z.string(), z.number()),
      replies: z.number(), meetings: z.number(), movedForward: z.number().describe('prospects touched in the block moved to their next step, a reply or a meeting'),
      week: z.object({
        from: z.number(), to: z.number(), firstTouched: z.number(), followedUp: z.number(), followUpRate: z.number().nullable(),
      }).describe('prospects first touched in the 7 days that ended 2 days ago, and how many got a second or later touch by now'),
      industryFollowUpRate: z.number(),
    })),
  }),

  plan: route('GET', '/api/plan', 'user', {
    summary: 'Your follow-up blocks planned: touches per block, what does not fit and why',
    querystring: z.object({ days: z.coerce.number().int().min(1).max(28).default(7) }),
    response: ok(planSchema),
  }),
};
