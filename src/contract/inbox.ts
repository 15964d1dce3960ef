// What inbound mail waits for from the rep (issues 15 and 17): replies and booked meetings to
// confirm, messages Tally was unsure about ("needs a look") to decide, and notices of cadences the
// company-wide stop paused. A rep sees and decides their own prospects' messages; a manager,
// everyone's (`team`). Another rep's message answers 404, like one that does not exist.
import { z } from 'zod';
import { AUTO_REPLY_KINDS, BOUNCE_REASONS, CONFIDENCES, INBOUND_CLASSES } from '../core/inbound/types.ts';
import { REVIEW_DECISIONS, REVIEW_KINDS } from '../core/inbound/review-choices.ts';
import { flagSchema } from './common.ts';
import { ok, routesOf } from './route.ts';

const route = routesOf('inbox');

const readingSchema = z.object({
  class: z.enum(INBOUND_CLASSES),
  confidence: z.enum(CONFIDENCES),
  summary: z.string().describe('the reading in words: "out of office, back 2026-03-10"'),
  suggested: z.enum(REVIEW_DECISIONS).describe('the decision that matches the reading'),
  evidence: z.array(z.object({ source: z.string(), detail: z.string() })),
  bounce: z.object({ reason: z.enum(BOUNCE_REASONS), addressBad: z.boolean(), code: z.string().optional().describe('the enhanced status code, e.g. 5.1.1') }).optional(),
  autoReply: z.object({ kind: z.enum(AUTO_REPLY_KINDS), returnDate: z.string().optional().describe('the first day back, as read') }).optional(),
});

const waitingMessage = z.object({
  id: z.number(),
  kind: z.enum(REVIEW_KINDS).describe('needs_look: Tally did nothing and waits for a decision; reply/meeting: Tally acted, the rep confirms'),
  prospectId: z.number(), name: z.string(), email: z.string(), company: z.string().nullable(),
  from: z.string().nullable(), subject: z.string().nullable(),
  text: z.string().nullable().describe("the message's new text, quoted history cut"),
  at: z.number().describe('when the person wrote it (its Date header, else its arrival)'),
  reading: readingSchema.nullable().describe("the classifier's reading"),
  detail: z.string().nullable().describe('what Tally did, in words'),
  choices: z.array(z.object({ id: z.string(), key: z.string(), label: z.string(), effect: z.string(), takesDate: z.boolean() })),
});
export type WaitingMessage = z.infer<typeof waitingMessage>;

const notice = z.object({ id: z.number(), prospectId: z.number(), name: z.string(), text: z.string(), at: z.number() });
export type WaitingNotice = z.infer<typeof notice>;

const idParams = z.object({ id: z.coerce.number().int().positive() });

export const inbox = {
  waiting: route('GET', '/api/inbox', 'user', {
    summary: 'Replies, meetings and "needs a look" messages waiting for you, and notices of cadences paused by the company-wide stop',
    querystring: z.object({ team: flagSchema.describe("managers: everyone's") }),
    response: ok(z.object({ messages: z.array(waitingMessage), notices: z.array(notice) })),
  }),
  decide: route('POST', '/api/inbox/:id/decision', 'user', {
    summary: 'Decide what a "needs a look" message is (same effects as if Tally had read it so), or confirm a reply or meeting',
    params: idParams,
    body: z.object({
      decision: z.string().min(1).max(40).describe(`${REVIEW_DECISIONS.join(' | ')}, or "confirmed" for a reply or meeting`),
      returnDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD').optional().describe('out of office: the day they are back'),
    }),
    response: ok(z.object({ id: z.number(), prospectId: z.number(), decision: z.string(), action: z.string(), detail: z.string() })),
  }),
  dismiss: route('POST', '/api/inbox/notices/:id/dismiss', 'user', {
    summary: 'Dismiss a notice of a cadence paused by the company-wide stop',
    params: idParams,
    response: ok(z.object({ dismissed: z.number() })),
  }),
};
