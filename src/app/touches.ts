// Logging a touch: record it in the tally, then let the enrollment schedule what comes next.
import type { Channel, EnrollmentState, Outcome } from '../core/types.ts';
import { channelDriver, channelIds, channelLabel, isChannel, outcomeAllowed, outcomesAllowed } from '../core/channels/index.ts';
import { isOutcome } from '../core/outcomes.ts';
import { touchEvents } from '../core/webhook-events.ts';
import { emitEvent, prospectRef } from './webhooks.ts';
import { inTransaction, mayChangeAuthored, type Context } from './context.ts';
import type { Prospect, Touch } from './ports/records.ts';
import { optOutProspect } from './unsubscribe.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';
import { touchTimeProblem } from '../core/date-bounds.ts';
import { findProspect } from './prospects.ts';
import { applyToLive, stateColumns, type SeenStep, type Transition } from './enrollments.ts';

/** How long after logging a touch from the queue the rep can undo it; its webhooks wait as long. */
export const UNDO_WINDOW_MS = 10_000;

/** What undoing a touch restores, kept on the touch for the undo window (touches.undo, JSON). */
interface TouchUndo {
  /** Its webhook deliveries are held under this key. */
  key: string;
  until: number;
  /** The enrollment as it was before the touch moved it. */
  enrollment: EnrollmentState | null;
}

export interface LogTouchInput {
  channel: string;
  outcome: string;
  note?: string;
  /** When it happened (default: now). */
  at?: number;
  messageId?: string;
  /**
   * The queue card it was logged from: refused when the enrollment has moved on since. Such a touch
   * can be undone for UNDO_WINDOW_MS, and its webhooks wait until then.
   */
  seen?: SeenStep;
}

export interface LogTouchResult {
  touchId: number;
  prospectId: number;
  channel: Channel;
  outcome: Outcome;
  tally: number;
  enrollment: Transition | null;
  /** Logged from a card: what its held mail and webhooks wait under, and until when (undoTouch). */
  hold: { key: string; until: number } | null;
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
  undo?: TouchUndo;
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
    undo: t.undo ? JSON.stringify(t.undo) : null,
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
  // An opt-out or a dead address acts everywhere at once (below): it is corrected on purpose, never undone by a key.
  const undoable = input.seen !== undefined && outcome !== 'opted_out' && outcome !== 'bad_contact';
  const hold = undoable ? { key: `touch_${ctx.ids.uuid()}`, until: ctx.now() + UNDO_WINDOW_MS } : undefined;
  return ctx.store.transaction(async (tx) => {
    const inTx: Context = { ...inTransaction(ctx, tx), ...(hold && { holdEvents: hold }) };
    const transition = await applyToLive({ ...inTx, now: () => at }, tx, prospect, () => ({ type: 'touch', at, outcome }), input.seen);
    const enrollmentId = transition?.enrollmentId ?? null;
    const stepIndex = transition ? transition.before.stepIndex : null;
    const note = input.note?.trim() || null;
    const messageId = input.messageId ?? null;
    const undo = hold && { ...hold, enrollment: transition?.before ?? null };
    const facts: TouchFacts = { channel, outcome, note, at, messageId, userId: ctx.user.id, enrollmentId, stepIndex, source: 'logged', ...(undo && { undo }) };
    const { touchId, tally } = await recordTouch(inTx, prospect, facts);
    // Opt-outs and dead addresses hold everywhere, not only in this cadence: the same path as an
    // unsubscribe link or a complaint, so queued mail is cancelled too.
    if (outcome === 'opted_out') await optOutProspect(inTx, tx, prospect, 'opted out', at);
    else if (outcome === 'bad_contact' && channelDriver(channel).address === 'email') await tx.prospects.update(prospect.id, { email_status: 'bad', updated_at: ctx.now() });
    return { touchId, prospectId: prospect.id, channel, outcome, tally, enrollment: transition, hold: hold ?? null };
  });
}

export interface UndoResult {
  touchId: number;
  prospectId: number;
  tally: number;
  /** The enrollment as it is again, if the touch had moved one. */
  enrollment: EnrollmentState | null;
}

/** The author of a touch or a manager may change it; a touch of a prospect the caller cannot see is not found. */
async function changeableTouch(ctx: Context, touchId: number): Promise<Touch> {
  const touch = await ctx.store.touches.byId(ctx.workspace.id, touchId);
  if (!touch) throw new NotFoundError(`no touch ${touchId}`);
  await findProspect(ctx, touch.prospect_id);
  if (!mayChangeAuthored(ctx, touch.user_id)) throw new TallyError('only the person who logged a touch, or a manager, can change it', 'forbidden');
  return touch;
}

function touchRecord(t: Touch): string {
  return JSON.stringify({ channel: t.channel, outcome: t.outcome, note: t.note, at: t.occurred_at, by: t.user_id, step: t.step_index === null ? null : t.step_index + 1 });
}

function undoOf(t: Touch): TouchUndo | null {
  return t.undo === null ? null : (JSON.parse(t.undo) as TouchUndo);
}

/**
 * Undoes a touch logged from the queue within UNDO_WINDOW_MS, completely: the tally loses it, the
 * enrollment goes back to where it was, and its held webhooks are cancelled. Recorded in touch_changes.
 */
export async function undoTouch(ctx: Context, touchId: number): Promise<UndoResult> {
  return ctx.store.transaction(async (tx) => {
    const inTx = inTransaction(ctx, tx);
    const touch = await changeableTouch(inTx, touchId);
    const undo = undoOf(touch);
    const now = ctx.now();
    if (!undo || undo.until < now) {
      throw new TallyError("Too late to undo this touch (undo lasts 10 seconds): correct or delete it from the prospect's timeline.", 'conflict');
    }
    if (touch.enrollment_id !== null && undo.enrollment !== null) {
      if (await tx.touches.laterOnEnrollment(touch.enrollment_id, touch.id)) {
        throw new TallyError("Not undone: a later touch was logged in the same cadence. Correct or delete it from the prospect's timeline.", 'conflict');
      }
      await tx.enrollments.update(touch.enrollment_id, stateColumns(undo.enrollment, now));
    }
    // A mail sent from the queue waits out the window under the same key; one already claimed is gone.
    const mail = await tx.outbox.deleteHeld(ctx.workspace.id, undo.key);
    if (mail.left > 0) throw new TallyError("Too late to undo: the email has gone out. Correct or delete the touch from the prospect's timeline.", 'conflict');
    await tx.webhooks.cancelHeld(ctx.workspace.id, undo.key);
    await tx.touches.recordChange({
      workspace_id: ctx.workspace.id, touch_id: touch.id, prospect_id: touch.prospect_id, user_id: ctx.user.id, action: 'undone', before: touchRecord(touch), after: null, at: now,
    });
    await tx.touches.remove(touch.id);
    return { touchId: touch.id, prospectId: touch.prospect_id, tally: await tx.touches.count(touch.prospect_id), enrollment: undo.enrollment };
  });
}

export interface TouchCorrection {
  outcome?: string;
  /** An empty note removes it. */
  note?: string;
}

/**
 * Corrects a touch's outcome or note (its author or a manager), recorded in touch_changes with what it
 * was. It fixes the record; the cadence stays where it is (pause, snooze or enroll to move it).
 */
export async function correctTouch(ctx: Context, touchId: number, change: TouchCorrection): Promise<{ touchId: number; outcome: Outcome; note: string | null }> {
  return ctx.store.transaction(async (tx) => {
    const inTx = inTransaction(ctx, tx);
    const touch = await changeableTouch(inTx, touchId);
    const outcome = change.outcome === undefined ? touch.outcome : parseOutcome(change.outcome, touch.channel);
    const note = change.note === undefined ? touch.note : change.note.trim() || null;
    await tx.touches.update(touch.id, { outcome, note });
    await tx.touches.recordChange({
      workspace_id: ctx.workspace.id, touch_id: touch.id, prospect_id: touch.prospect_id, user_id: ctx.user.id, action: 'corrected',
      before: touchRecord(touch), after: touchRecord({ ...touch, outcome, note }), at: ctx.now(),
    });
    return { touchId: touch.id, outcome, note };
  });
}

/** Deletes a touch logged by mistake (its author or a manager), recorded with what it was. The cadence stays where it is. */
export async function deleteTouch(ctx: Context, touchId: number): Promise<{ touchId: number; prospectId: number; tally: number }> {
  return ctx.store.transaction(async (tx) => {
    const inTx = inTransaction(ctx, tx);
    const touch = await changeableTouch(inTx, touchId);
    await tx.touches.recordChange({
      workspace_id: ctx.workspace.id, touch_id: touch.id, prospect_id: touch.prospect_id, user_id: ctx.user.id, action: 'deleted', before: touchRecord(touch), after: null, at: ctx.now(),
    });
    await tx.touches.remove(touch.id);
    return { touchId: touch.id, prospectId: touch.prospect_id, tally: await tx.touches.count(touch.prospect_id) };
  });
}
