// Logging a touch: record it in the tally, then let the enrollment schedule what comes next.
import type { Channel, Outcome } from '../core/types.ts';
import { channelDriver, channelIds, channelLabel, isChannel, outcomeAllowed, outcomesAllowed } from '../core/channels/index.ts';
import { isOutcome } from '../core/outcomes.ts';
import { touchEvents } from '../core/webhook-events.ts';
import { emitEvent, prospectRef } from './webhooks.ts';
import { inTransaction, type Context } from './context.ts';
import type { Prospect } from './ports/records.ts';
import { optOutProspect } from './unsubscribe.ts';
import { TallyError } from '../core/errors.ts';
import { touchTimeProblem } from '../core/date-bounds.ts';
import { findProspect } from './prospects.ts';
import { applyToLive, type Transition } from './enrollments.ts';

export interface LogTouchInput {
  channel: string;
  outcome: string;
  note?: string;
  /** When it happened (default: now). */
  at?: number;
  messageId?: string;
}

export interface LogTouchResult {
  touchId: number;
  prospectId: number;
  channel: Channel;
  outcome: Outcome;
  tally: number;
  enrollment: Transition | null;
}

export function parseChannel(value: string): Channel {
  const v = value.trim().toLowerCase();
  if (!isChannel(v)) throw new TallyError(`unknown channel "${value}" (use one of: ${channelIds().join(', ')})`, 'invalid', { field: 'channel' });
  return v;
}

/** An outcome the channel offers, or one valid on every channel (core/outcomes.ts). */
export function parseOutcome(value: string, channel: Channel): Outcome {
  const v = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const choices = () => `use one of: ${outcomesAllowed(channel).join(', ')}`;
  if (!isOutcome(v)) throw new TallyError(`unknown outcome "${value}" (${choices()})`, 'invalid', { field: 'outcome' });
  if (!outcomeAllowed(channel, v)) throw new TallyError(`"${v}" is not an outcome of a ${channelLabel(channel)} touch (${choices()})`, 'invalid', { field: 'outcome' });
  return v;
}

/** What a touch was: the facts recordTouch writes into the tally. */
export interface TouchFacts {
  channel: Channel;
  outcome: Outcome;
  note: string | null;
  at: number;
  /** The Message-ID of the mail it was (sent or received), if any. */
  messageId: string | null;
  /** Who made it: the acting rep, or the prospect's owner for a reply read from the mailbox. */
  userId: number;
  /** The enrollment and step it belongs to, if any. */
  enrollmentId: number | null;
  stepIndex: number | null;
  /** For reply.received: where the reply came from, and its subject when read from the mailbox. */
  source: 'logged' | 'email';
  subject?: string | null;
}

/**
 * The one place a touch enters the tally (logged by hand, a sent mail, a reply read from the mailbox):
 * the row, then its events. Runs inside the caller's transaction; the enrollment moved already.
 */
export async function recordTouch(ctx: Context, prospect: Prospect, t: TouchFacts): Promise<{ touchId: number; tally: number }> {
  const touchId = await ctx.store.touches.insert({
    workspace_id: ctx.workspace.id,
    prospect_id: prospect.id,
    company_id: prospect.company_id,
    enrollment_id: t.enrollmentId,
    step_index: t.stepIndex,
    user_id: t.userId,
    channel: t.channel,
    outcome: t.outcome,
    note: t.note,
    occurred_at: t.at,
    message_id: t.messageId,
    created_at: ctx.now(),
  });
  const tally = await ctx.store.touches.count(prospect.id);
  for (const event of touchEvents({ ...t, touchId, prospect: prospectRef(prospect), tally })) await emitEvent(ctx, event);
  return { touchId, tally };
}

/** A touch the rep made: it moves the live enrollment, goes in the tally, and an opt-out or a dead address holds everywhere. */
export async function logTouch(ctx: Context, ref: string | number, input: LogTouchInput): Promise<LogTouchResult> {
  const channel = parseChannel(input.channel);
  const outcome = parseOutcome(input.outcome, channel);
  const prospect = await findProspect(ctx, ref);
  const at = input.at ?? ctx.now();
  const badTime = touchTimeProblem(at, ctx.now());
  if (badTime) throw new TallyError(badTime, 'invalid', { field: 'at' });
  return ctx.store.transaction(async (tx) => {
    const inTx = inTransaction(ctx, tx);
    const transition = await applyToLive({ ...inTx, now: () => at }, tx, prospect, () => ({ type: 'touch', at, outcome }));
    const enrollmentId = transition?.enrollmentId ?? null;
    const stepIndex = transition ? transition.before.stepIndex : null;
    const note = input.note?.trim() || null;
    const messageId = input.messageId ?? null;
    const { touchId, tally } = await recordTouch(inTx, prospect, { channel, outcome, note, at, messageId, userId: ctx.user.id, enrollmentId, stepIndex, source: 'logged' });
    // Opt-outs and dead addresses hold everywhere, not only in this cadence: the same path as an
    // unsubscribe link or a complaint, so queued mail is cancelled too.
    if (outcome === 'opted_out') await optOutProspect(inTx, tx, prospect, 'opted out', at);
    else if (outcome === 'bad_contact' && channelDriver(channel).address === 'email') await tx.prospects.update(prospect.id, { email_status: 'bad', updated_at: ctx.now() });
    return { touchId, prospectId: prospect.id, channel, outcome, tally, enrollment: transition };
  });
}
