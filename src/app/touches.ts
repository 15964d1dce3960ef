// Logging a touch: record it in the tally, then let the enrollment schedule what comes next.
import type { Channel, Outcome } from '../core/types.ts';
import { CHANNELS, OUTCOMES, REPLY_OUTCOMES } from '../core/types.ts';
import { replyReceivedEvent, touchLoggedEvent } from '../core/webhook-events.ts';
import { emitEvent, prospectRef } from './webhooks.ts';
import type { Context } from './context.ts';
import { TallyError } from '../core/errors.ts';
import { findProspect } from './prospects.ts';
import { applyToLive, LIVE, type Transition } from './enrollments.ts';

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
  if (!(CHANNELS as readonly string[]).includes(v)) throw new TallyError(`unknown channel "${value}" (use one of: ${CHANNELS.join(', ')})`, 'invalid', { field: 'channel' });
  return v as Channel;
}

export function parseOutcome(value: string): Outcome {
  const v = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!(OUTCOMES as readonly string[]).includes(v)) throw new TallyError(`unknown outcome "${value}" (use one of: ${OUTCOMES.join(', ')})`, 'invalid', { field: 'outcome' });
  return v as Outcome;
}

export async function logTouch(ctx: Context, ref: string | number, input: LogTouchInput): Promise<LogTouchResult> {
  const channel = parseChannel(input.channel);
  const outcome = parseOutcome(input.outcome);
  const prospect = await findProspect(ctx, ref);
  const at = input.at ?? ctx.now();
  if (at > ctx.now() + 60_000) throw new TallyError('a touch cannot be logged in the future', 'invalid', { field: 'at' });
  return ctx.store.transaction(async (trx) => {
    const transition = await applyToLive({ ...ctx, now: () => at }, trx, prospect, () => ({ type: 'touch', at, outcome }));
    const touch = await trx
      .insertInto('touches')
      .values({
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
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Opt-outs and dead addresses hold everywhere, not only in this cadence.
    if (outcome === 'opted_out') {
      await trx.updateTable('prospects').set({ opted_out_at: at, updated_at: ctx.now() }).where('id', '=', prospect.id).execute();
      await trx
        .updateTable('enrollments')
        .set({ status: 'opted_out', reason: 'opted out', due_at: null, ended_at: at, updated_at: ctx.now() })
        .where('prospect_id', '=', prospect.id)
        .where('status', 'in', LIVE)
        .execute();
    } else if (outcome === 'bad_contact' && channel === 'email') {
      await trx.updateTable('prospects').set({ email_status: 'bad', updated_at: ctx.now() }).where('id', '=', prospect.id).execute();
    }
    const count = await trx
      .selectFrom('touches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('prospect_id', '=', prospect.id)
      .executeTakeFirstOrThrow();
    const tally = Number(count.n);
    const ref = prospectRef(prospect);
    const enrollmentId = transition?.enrollmentId ?? null;
    await emitEvent(ctx, trx, touchLoggedEvent({
      touchId: touch.id, prospect: ref, userId: ctx.user.id, channel, outcome, note: input.note?.trim() || null, at,
      enrollmentId, stepIndex: transition ? transition.before.stepIndex : null, tally,
    }));
    if (REPLY_OUTCOMES.includes(outcome)) {
      await emitEvent(ctx, trx, replyReceivedEvent({ prospect: ref, source: 'logged', channel, outcome, at, touchId: touch.id, enrollmentId }));
    }
    return { touchId: touch.id, prospectId: prospect.id, tally, enrollment: transition };
  });
}
