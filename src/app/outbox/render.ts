// The email steps that are due, rendered into the outbox: guardrails (holdsFor, which includes the
// step's sending window on a business day) decide whether a mail may go now; a template with a
// missing variable is an error before anything is sent. Writing the outbox is one transaction.
import { makeMessageId, planThread, type ThreadStart } from '../../core/threading.ts';
import { listUnsubscribeHeaders, unsubscribeLinks, unsubscribeToken } from '../../core/unsubscribe-token.ts';
import type { Mailbox } from '../ports/records.ts';
import { renderMail, templateVars, type RenderedMail } from '../../core/mail-template.ts';
import type { Context } from '../context.ts';
import { TallyError } from '../../core/errors.ts';
import { holdsFor, touchToCheck } from '../holds.ts';
import { requireMailbox } from '../mailboxes.ts';

export interface PlannedMail {
  enrollmentId: number;
  stepIndex: number;
  prospectId: number;
  to: string;
  name: string;
  stepName: string;
  dueAt: number;
  /** ready: goes out now; held: a guardrail or window keeps it (until, why); error: cannot be rendered. */
  status: 'ready' | 'held' | 'error';
  subject?: string;
  thread?: 'start' | 'reply';
  heldUntil?: number | null;
  reasons: string[];
  /** Set for ready mails. */
  mail?: RenderedMail & { messageId: string; inReplyTo: string | null; references: string[]; headers: Record<string, string>; threadStart: ThreadStart | null };
}

export interface SendPlan {
  mailbox: Mailbox;
  items: PlannedMail[];
}

/** Email steps of the acting rep that are due now and not yet in the outbox, each with its verdict. */
export async function planDueEmails(ctx: Context, opts: { limit?: number } = {}): Promise<SendPlan> {
  const mailbox = await requireMailbox(ctx);
  const now = ctx.now();
  const rows = await ctx.store.due.steps(
    { ownerId: ctx.user.id, dueBy: now, channel: 'email', notInOutbox: true, order: 'send', limit: opts.limit ?? 5000 },
    { contact: true, content: true },
  );
  if (rows.length === 0) return { mailbox, items: [] };

  const verdicts = await holdsFor(ctx, rows.map((r) => touchToCheck(r, now)));
  const threads = await ctx.store.outbox.threads(rows.map((r) => r.enrollmentId));
  const key = ctx.secrets.unsubscribeKey();
  const companiesThisRun = new Set<number>();
  const items: PlannedMail[] = [];
  for (const r of rows) {
    const { name, email, companyId } = r.prospect;
    const step = r.content;
    const base = { enrollmentId: r.enrollmentId, stepIndex: r.stepIndex, prospectId: r.prospectId, to: email, name, stepName: r.step.name, dueAt: r.dueAt };
    const verdict = verdicts.get(r.enrollmentId)!;
    if (verdict.at === null || verdict.at > now) {
      items.push({ ...base, status: 'held', heldUntil: verdict.at, reasons: verdict.holds.map((h) => h.explanation) });
      continue;
    }
    // The company cap counts touches already made; two mails to one company in the same run would
    // both pass it, so the second waits for the next run (when the first is in the history).
    if (companyId !== null && companiesThisRun.has(companyId)) {
      items.push({ ...base, status: 'held', heldUntil: null, reasons: [`held: another email to ${r.company ?? 'this company'} in this run (checked again on the next run)`] });
      continue;
    }
    const stepLabel = `step ${r.stepIndex + 1} (${r.step.name})`;
    const prospectLabel = `${name} <${email}> (#${r.prospectId})`;
    const started = threads.get(r.enrollmentId);
    const thread = planThread(started ? { messageId: started.message_id, subject: started.subject } : null, step.newThread, step.subject);
    try {
      if (!step.template) throw new TallyError(`${stepLabel} has no template: add one to the cadence before ${prospectLabel} can be emailed`, 'template');
      if (thread.kind === 'start' && !step.subject) throw new TallyError(`${stepLabel} starts a thread but has no subject (for ${prospectLabel})`, 'template');
      const token = unsubscribeToken({ workspaceId: ctx.workspace.id, prospectId: r.prospectId }, key);
      const links = unsubscribeLinks(token, mailbox.from_address, mailbox.unsubscribe_url);
      const rendered = renderMail({
        subject: thread.kind === 'start' ? step.subject! : thread.subject,
        body: step.template,
        vars: templateVars({ ...r.prospect, ...r.contact, company: r.company }, step.valueItem, mailbox.from_name),
        stepLabel,
        prospectLabel,
        unsubscribe: links,
      });
      const messageId = makeMessageId(ctx.ids.hex(12), mailbox.from_address);
      items.push({
        ...base,
        status: 'ready',
        subject: rendered.subject,
        thread: thread.kind,
        reasons: [],
        mail: {
          ...rendered,
          messageId,
          inReplyTo: thread.kind === 'reply' ? thread.inReplyTo : null,
          references: thread.kind === 'reply' ? thread.references : [],
          headers: listUnsubscribeHeaders(links),
          threadStart: thread.kind === 'start' && !started ? { messageId, subject: rendered.subject } : null,
        },
      });
      if (companyId !== null) companiesThisRun.add(companyId);
    } catch (err) {
      if (!(err instanceof TallyError)) throw err;
      items.push({ ...base, status: 'error', reasons: [err.message] });
    }
  }
  return { mailbox, items };
}

/** Writes the ready mails of a plan into the outbox (one transaction); returns how many were queued. */
export async function queuePlanned(ctx: Context, plan: SendPlan): Promise<number> {
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
          html_body: p.mail!.html,
          in_reply_to: p.mail!.inReplyTo,
          thread_references: p.mail!.references.length > 0 ? p.mail!.references.join(' ') : null,
          headers: JSON.stringify(p.mail!.headers),
          status: 'queued',
          send_after: now,
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
