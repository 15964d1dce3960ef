// Sending one due email step by hand: the rep read the draft in the queue (or `tally send 12`) and
// sends it now, manual step or not. A draft that still needs words, or a touch a guardrail holds,
// does not go; the mail goes through the outbox like any other (fenced claim, Sent copy, touch).
import { TallyError } from '../../core/errors.ts';
import type { Context } from '../context.ts';
import { currentStep } from '../step-words.ts';
import { planDueEmails, queuePlanned, type PlannedMail } from './render.ts';
import { sendQueued } from './send.ts';
import type { SenderOptions, SendOutcome } from './types.ts';

export interface SentByHand {
  planned: PlannedMail;
  outcome: SendOutcome | null;
}

export async function sendStepByHand(ctx: Context, ref: string | number, opts: SenderOptions = {}): Promise<SentByHand> {
  const { prospect, enrollment, step } = await currentStep(ctx, ref);
  if (step.channel !== 'email') throw new TallyError(`${prospect.email}'s next step is a ${step.channel} touch, not an email`, 'conflict');
  const plan = await planDueEmails(ctx, { enrollmentIds: [enrollment.id], byHand: true });
  const item = plan.items[0];
  if (!item) throw new TallyError(`no email to ${prospect.email} can be sent now: the step is not due yet, or is already queued or sent`, 'conflict');
  if (item.status === 'error') throw new TallyError(item.reasons.join('; '), 'template');
  if (item.status !== 'ready') throw new TallyError(`not sent: ${item.reasons.join('; ')}`, 'conflict');
  await queuePlanned(ctx, { mailbox: plan.mailbox, items: [item] });
  const report = await sendQueued(ctx, plan.mailbox, opts);
  return { planned: item, outcome: report.outcomes.find((o) => o.messageId === item.mail!.messageId) ?? null };
}
