// Logging a touch: record it in the tally, then let the enrollment schedule what comes next.
import type { Channel, Outcome } from '../core/types.ts';
import { CHANNELS, OUTCOMES, REPLY_OUTCOMES } from '../core/types.ts';
import { replyReceivedEvent, touchLoggedEvent } from '../core/webhook-events.ts';
import { emitEvent, prospectRef } from './webhooks.ts';
import type { Context } from './context.ts';
import { TallyError } from '../core/errors.ts';
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
  tally: number;
  enrollment: Transition | null;
}

export function parseChannel(value: string): Channel {
  const v = value.trim().toLowerCase();
  const channel = CHANNELS.find((c) => c === v);
  if (!channel) throw new TallyError(`unknown channel "${value}" (use one of: ${CHANNELS.join(', ')})`, 'invalid', { field: 'channel' });
  return channel;
}

export function parseOutcome(value: string): Outcome {
  const v = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const outcome = OUTCOMES.find((o) => o === v);
  if (!outcome) throw new TallyError(`unknown outcome "${value}" (use one of: ${OUTCOMES.join(', ')})`, 'invalid', { field: 'outcome' });
  return outcome;
}

export async function logTouch(ctx: Context, ref: string | number, input: LogTouchInput): Promise<LogTouchResult> {
  const channel = parseChannel(input.channel);
  const outcome = parseOutcome(input.outcome);
  const prospect = await findProspect(ctx, ref);
  const at = input.at ?? ctx.now();
  if (at > ctx.now() + 60_000) throw new TallyError('a touch cannot be logged in the future', 'invalid', { field: 'at' });
  return ctx.store.transaction(async (tx) => {
    const inTx = { ...ctx, store: tx };
    const transition = await applyToLive({ ...inTx, now: () => at }, tx, prospect, () => ({ type: 'touch', at, outcome }));
    const touchId = await tx.touches.insert({
      workspace_id: ctx.workspace.id,
      prospect_id: prospect.id,
      company_id: prospect.company_id,
      enrollment_id: transition?.enrollmentId ?? null,
      step_index: transition ? transition.before.stepIndex : null,
      user_id: ctx.user.id,
      channel,
      outcome,
      note: input.note?.trim() || null,
      occurred_at: at,
      message_id: input.messageId ?? null,
      created_at: ctx.now(),
    });
    // Opt-outs and dead addresses hold everywhere, not only in this cadence.
    if (outcome === 'opted_out') {
      await tx.prospects.update(prospect.id, { opted_out_at: at, updated_at: ctx.now() });
      await tx.enrollments.updateLive(prospect.id, { status: 'opted_out', reason: 'opted out', due_at: null, ended_at: at, updated_at: ctx.now() });
    } else if (outcome === 'bad_contact' && channel === 'email') {
      await tx.prospects.update(prospect.id, { email_status: 'bad', updated_at: ctx.now() });
    }
    const tally = await tx.touches.count(prospect.id);
    const ref = prospectRef(prospect);
    const enrollmentId = transition?.enrollmentId ?? null;
    await emitEvent(inTx, touchLoggedEvent({
      touchId, prospect: ref, userId: ctx.user.id, channel, outcome, note: input.note?.trim() || null, at,
      enrollmentId, stepIndex: transition ? transition.before.stepIndex : null, tally,
    }));
    if (REPLY_OUTCOMES.includes(outcome)) {
      await emitEvent(inTx, replyReceivedEvent({ prospect: ref, source: 'logged', channel, outcome, at, touchId, enrollmentId }));
    }
    return { touchId, prospectId: prospect.id, tally, enrollment: transition };
  });
}
