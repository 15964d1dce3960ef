// Sending one due email step by hand: the rep read the draft in the queue (or `tally send 12`) and
// sends it now, manual step or not. A draft that still needs words, or a touch a guardrail holds,
// does not go; the mail goes through the outbox like any other (fenced claim, Sent copy, touch).
//
// From the queue the touch is logged at once (the queue moves on, the tally counts it) and can be
// undone for UNDO_WINDOW_MS: the mail waits in the outbox until the window has passed, under the
// touch's hold key, so an undo deletes it before it leaves (issue 17). `tally send` sends at once.
import { TallyError } from '../../core/errors.ts';
import { applyEdit, type MailEdit } from '../../core/mail-template.ts';
import { inTransaction, type Context } from '../context.ts';
import type { SeenStep } from '../enrollments.ts';
import { currentStep } from '../step-words.ts';
import { logTouch } from '../touches.ts';
import { planDueEmails, queuePlanned, type PlannedMail, type SendPlan } from './render.ts';
import { sendQueued } from './send.ts';
import type { SenderOptions, SendOutcome } from './types.ts';

export interface SentByHand {
  planned: PlannedMail;
  outcome: SendOutcome | null;
}

/** The prospect's due email step, drafted and cleared to go now (else a plain refusal). */
async function readyByHand(ctx: Context, ref: string | number, seen?: SeenStep): Promise<{ plan: SendPlan; item: PlannedMail }> {
  const { prospect, enrollment, step } = await currentStep(ctx, ref);
  if (seen && (seen.enrollmentId !== enrollment.id || seen.stepIndex !== enrollment.step_index)) {
    throw new TallyError(`Not sent: the card you acted on is out of date. ${prospect.email} is now on step ${enrollment.step_index + 1}; reload the queue.`, 'conflict');
  }
  if (step.channel !== 'email') throw new TallyError(`${prospect.email}'s next step is a ${step.channel} touch, not an email`, 'conflict');
  const plan = await planDueEmails(ctx, { enrollmentIds: [enrollment.id], byHand: true });
  const item = plan.items[0];
  if (!item) throw new TallyError(`no email to ${prospect.email} can be sent now: the step is not due yet, or is already queued or sent`, 'conflict');
  if (item.status === 'error') throw new TallyError(item.reasons.join('; '), 'template');
  if (item.status !== 'ready') throw new TallyError(`not sent: ${item.reasons.join('; ')}`, 'conflict');
  return { plan, item };
}

export async function sendStepByHand(ctx: Context, ref: string | number, opts: SenderOptions = {}): Promise<SentByHand> {
  const { plan, item } = await readyByHand(ctx, ref);
  await queuePlanned(ctx, { mailbox: plan.mailbox, items: [item] });
  const report = await sendQueued(ctx, plan.mailbox, opts);
  return { planned: item, outcome: report.outcomes.find((o) => o.messageId === item.mail!.messageId) ?? null };
}

export interface SentFromQueue {
  planned: PlannedMail;
  /** The "sent" touch, logged now; undoing it within the window deletes the mail. */
  touchId: number;
  tally: number;
  /** The mail leaves with the sender's first run from then on. */
  sendAfter: number;
}

/**
 * The queue's Send: in one transaction, the touch "sent" (undoable, like any outcome logged from a
 * card) and the mail in the outbox, to go once the undo window has passed.
 */
export async function sendFromQueue(ctx: Context, ref: string | number, seen?: SeenStep, edit: MailEdit = {}): Promise<SentFromQueue> {
  const ready = await readyByHand(ctx, ref, seen);
  const { plan } = ready;
  // Edited in the queue: exactly the rep's words go, in the thread the draft was planned for (a
  // thread it starts carries the edited subject, which later steps answer with "Re:").
  const drafted = ready.item.mail!;
  const edited = applyEdit(drafted, edit, drafted.unsubscribe);
  const mail = { ...drafted, ...edited, threadStart: drafted.threadStart && { ...drafted.threadStart, subject: edited.subject } };
  const item: PlannedMail = { ...ready.item, subject: mail.subject, mail };
  return ctx.store.transaction(async (tx) => {
    const inTx = inTransaction(ctx, tx);
    const touch = await logTouch(inTx, item.prospectId, {
      channel: 'email', outcome: 'sent', messageId: mail.messageId, note: mail.subject, seen: { enrollmentId: item.enrollmentId, stepIndex: item.stepIndex },
    });
    const hold = touch.hold!;
    // The first instant undoTouch refuses: the sender can never claim a mail an undo may still delete.
    const sendAfter = hold.until + 1;
    await queuePlanned(inTx, { mailbox: plan.mailbox, items: [item] }, { sendAfter, holdKey: hold.key });
    return { planned: item, touchId: touch.touchId, tally: touch.tally, sendAfter };
  });
}
