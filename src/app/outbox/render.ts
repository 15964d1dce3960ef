// The email steps that are due, rendered into the outbox: guardrails (holdsFor, which includes the
// step's sending window on a business day) decide whether a mail may go now; a draft that still
// needs the rep's words (a slot, a missing variable) never goes, and a manual step goes only when the
// rep sends it from the queue. Writing the outbox is one transaction.
import { makeMessageId, planThread, type ThreadStart } from '../../core/threading.ts';
import { listUnsubscribeHeaders, unsubscribeLinks, unsubscribeToken, type UnsubscribeLinks } from '../../core/unsubscribe-token.ts';
import { describeNeeds, type MailDraft, type Need } from '../../core/mail-template.ts';
import type { SendingDecision } from '../../core/step-sending.ts';
import type { Mailbox } from '../ports/records.ts';
import type { Context } from '../context.ts';
import { holdsFor, touchToCheck } from '../holds.ts';
import { requireMailbox } from '../mailboxes.ts';
import { draftSteps, type DraftRow } from './drafts.ts';
import { unsubscribeUrlOf } from '../unsubscribe-url.ts';

export interface PlannedMail {
  enrollmentId: number;
  stepIndex: number;
  prospectId: number;
  to: string;
  name: string;
  stepName: string;
  dueAt: number;
  /**
   * ready: goes out now; held: a guardrail or window keeps it (until, why); needs_words: a slot or a
   * variable has no words yet; review: a manual step, sent from the queue; error: cannot be drafted.
   */
  status: 'ready' | 'held' | 'needs_words' | 'review' | 'error';
  subject?: string;
  thread?: 'start' | 'reply';
  heldUntil?: number | null;
  reasons: string[];
  /** What the prospect would receive (every status but error), and what still needs the rep's words. */
  draft?: MailDraft;
  needs?: Need[];
  sending?: SendingDecision;
  /** The rep reviewed it and sent it from the queue. */
  byHand?: boolean;
  /** Set for ready mails. */
  mail?: {
    subject: string; text: string; html: string | null; messageId: string; inReplyTo: string | null; references: string[]; headers: Record<string, string>; threadStart: ThreadStart | null;
    /** The opt-out links of this mail: an edit from the queue ends with the same line. */
    unsubscribe: UnsubscribeLinks;
  };
}

export interface SendPlan {
  mailbox: Mailbox;
  items: PlannedMail[];
}

export interface PlanOptions {
  limit?: number;
  /** Only these enrollments (a step sent by hand from the queue). */
  enrollmentIds?: number[];
  /** The rep reviewed these: manual steps go too (slots must still be filled). */
  byHand?: boolean;
}

/** Email steps of the acting rep that are due now and not yet in the outbox, each with its verdict. */
export async function planDueEmails(ctx: Context, opts: PlanOptions = {}): Promise<SendPlan> {
  const mailbox = await requireMailbox(ctx);
  const now = ctx.now();
  const rows = await ctx.store.due.steps(
    { ownerId: ctx.user.id, dueBy: now, channel: 'email', notInOutbox: true, order: 'send', limit: opts.limit ?? 5000, ...(opts.enrollmentIds ? { enrollmentIds: opts.enrollmentIds } : {}) },
    { contact: true, content: true },
  );
  if (rows.length === 0) return { mailbox, items: [] };

  const verdicts = await holdsFor(ctx, rows.map((r) => touchToCheck(r, now)));
  const threads = await ctx.store.outbox.threads(rows.map((r) => r.enrollmentId));
  const key = ctx.secrets.unsubscribeKey();
  const linksOf = (r: DraftRow) => unsubscribeLinks(unsubscribeToken({ workspaceId: ctx.workspace.id, prospectId: r.prospectId }, key), mailbox.from_address, unsubscribeUrlOf(ctx.settings, mailbox));
  const threadOf = (r: DraftRow) => {
    const started = threads.get(r.enrollmentId);
    return { started, plan: planThread(started ? { messageId: started.message_id, subject: started.subject } : null, r.content.newThread, r.content.subject) };
  };
  const drafts = await draftSteps(ctx, rows, {
    sender: { name: mailbox.from_name, email: mailbox.from_address, signature: ctx.user.signature },
    links: linksOf,
    subjectFor: (r) => {
      const { plan } = threadOf(r);
      return plan.kind === 'start' ? r.content.subject : plan.subject;
    },
  });
  const companiesThisRun = new Set<number>();
  const items: PlannedMail[] = [];
  for (const r of rows) {
    const { name, email, companyId } = r.prospect;
    const { draft, error, sending } = drafts.get(r.enrollmentId)!;
    const base = { enrollmentId: r.enrollmentId, stepIndex: r.stepIndex, prospectId: r.prospectId, to: email, name, stepName: r.step.name, dueAt: r.dueAt, sending };
    if (!draft) {
      items.push({ ...base, status: 'error', reasons: [`${error!} (for ${name} <${email}>, #${r.prospectId})`] });
      continue;
    }
    const seen = { ...base, subject: draft.subject, draft, needs: draft.needs };
    if (draft.needs.length) {
      items.push({ ...seen, status: 'needs_words', reasons: [`needs your words: ${describeNeeds(draft.needs)} (fill it in the queue, or: tally fill ${r.prospectId} …)`] });
      continue;
    }
    if (sending.mode === 'manual' && !opts.byHand) {
      items.push({ ...seen, status: 'review', reasons: [`waits for your review: ${sending.why}; send it from the queue or with "tally send ${r.prospectId}"`] });
      continue;
    }
    const verdict = verdicts.get(r.enrollmentId)!;
    if (verdict.at === null || verdict.at > now) {
      items.push({ ...seen, status: 'held', heldUntil: verdict.at, reasons: verdict.holds.map((h) => h.explanation) });
      continue;
    }
    // The company cap counts touches already made; two mails to one company in the same run would
    // both pass it, so the second waits for the next run (when the first is in the history).
    if (companyId !== null && companiesThisRun.has(companyId)) {
      items.push({ ...seen, status: 'held', heldUntil: null, reasons: [`held: another email to ${r.company ?? 'this company'} in this run (checked again on the next run)`] });
      continue;
    }
    const { started, plan: thread } = threadOf(r);
    const messageId = makeMessageId(ctx.ids.hex(12), mailbox.from_address);
    const links = linksOf(r);
    items.push({
      ...seen,
      status: 'ready',
      thread: thread.kind,
      reasons: [],
      ...(opts.byHand ? { byHand: true } : {}),
      mail: {
        subject: draft.subject,
        text: draft.text,
        html: draft.html,
        messageId,
        inReplyTo: thread.kind === 'reply' ? thread.inReplyTo : null,
        references: thread.kind === 'reply' ? thread.references : [],
        headers: listUnsubscribeHeaders(links),
        threadStart: thread.kind === 'start' && !started ? { messageId, subject: draft.subject } : null,
        unsubscribe: links,
      },
    });
    if (companyId !== null) companiesThisRun.add(companyId);
  }
  return { mailbox, items };
}

/**
 * Writes the ready mails of a plan into the outbox (one transaction); returns how many were queued.
 * `held`: sent from the queue, they wait until `sendAfter` under the touch's hold key (undo deletes them).
 */
export async function queuePlanned(ctx: Context, plan: SendPlan, held?: { sendAfter: number; holdKey: string }): Promise<number> {
  const ready = plan.items.filter((i) => i.status === 'ready' && i.mail);
  if (ready.length === 0) return 0;
  const now = ctx.now();
  let queued = 0;
  await ctx.store.transaction(async (tx) => {
    for (let i = 0; i < ready.length; i += 200) {
      const chunk = ready.slice(i, i + 200);
      queued += await tx.outbox.insert(
        chunk.map((p) => ({
          workspace_id: ctx.workspace.id,
          mailbox_id: plan.mailbox.id,
          enrollment_id: p.enrollmentId,
          step_index: p.stepIndex,
          prospect_id: p.prospectId,
          to_address: p.to,
          message_id: p.mail!.messageId,
          subject: p.mail!.subject,
          text_body: p.mail!.text,
          html_body: p.mail!.html ?? '',
          by_hand: p.byHand ? 1 : 0,
          in_reply_to: p.mail!.inReplyTo,
          thread_references: p.mail!.references.length > 0 ? p.mail!.references.join(' ') : null,
          headers: JSON.stringify(p.mail!.headers),
          status: 'queued',
          send_after: held?.sendAfter ?? now,
          hold_key: held?.holdKey ?? null,
          created_at: now,
          updated_at: now,
        })),
      );
      await tx.outbox.startThreads(
        chunk.filter((p) => p.mail!.threadStart).map((p) => ({ enrollment_id: p.enrollmentId, message_id: p.mail!.threadStart!.messageId, subject: p.mail!.threadStart!.subject, created_at: now })),
      );
    }
  });
  return queued;
}
