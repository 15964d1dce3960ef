// The sender: takes queued outbox rows and sends them through the mailbox's transport, within its
// daily limit and minimum spacing, and logs each sent mail as a touch (logTouch) so the enrollment
// advances.
//
// Exactly once (docs/reliability.md): the Message-ID is fixed when the mail is rendered; a row is
// claimed (status `sending`, `attempts + 1`, committed) before the send, and every later write to
// it is fenced on that claim (`status = 'sending' and attempts = claim`); after acceptance the touch
// and the `sent` mark are one transaction (settle.ts).
import { userZone, type Context } from '../context.ts';
import { dkimKey, imapSettings, smtpSettings, todayLimit } from '../mailboxes.ts';
import { checkGrant } from '../mailbox-signin.ts';
import { SendFailure, type DkimKey, type MailTransport, type OutgoingMail, type SentFolder } from '../ports/mail.ts';
import type { Mailbox, OutboxRow } from '../ports/records.ts';
import { startOfLocalDay } from '../../core/schedule.ts';
import { LIVE_STATUSES } from '../../core/types.ts';
import { recoverInterrupted, requeue, settleSent } from './settle.ts';
import type { SenderOptions, SenderReport, SendOutcome } from './types.ts';

function outgoing(m: Mailbox, row: OutboxRow, dkim: DkimKey | undefined): OutgoingMail {
  return {
    dkim,
    from: { name: m.from_name, address: m.from_address },
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body || null,
    messageId: row.message_id,
    inReplyTo: row.in_reply_to,
    references: row.thread_references ? row.thread_references.split(/\s+/) : [],
    headers: JSON.parse(row.headers || '{}') as Record<string, string>,
  };
}

/** Why a queued mail must not go out any more, or null when it may ('wait': paused). Checked right before sending. */
async function cancelReason(ctx: Context, row: OutboxRow): Promise<string | null> {
  const r = await ctx.store.outbox.sendState(row.prospect_id, row.enrollment_id);
  if (!r) return 'prospect deleted';
  if (r.flags.optedOut) return 'opted out';
  if (r.flags.doNotContact) return 'do not contact';
  if (r.flags.emailBad) return 'email address marked bad';
  // Sent from the queue: its touch is logged and moved the enrollment already (to its next step, or
  // out of the cadence when that was the last); the rep sent it, so only the person's flags stop it.
  if (row.hold_key !== null) return null;
  if (r.status === null || !LIVE_STATUSES.has(r.status)) return `enrollment ${r.status ?? 'gone'}${r.reason ? ` (${r.reason})` : ''}`;
  if (row.purpose === 'step' && r.stepIndex !== row.step_index) return `enrollment moved on to step ${(r.stepIndex ?? 0) + 1}`;
  if (r.status === 'paused') return 'wait';
  return null;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** One sender run over a mailbox: what its steps share. */
interface Run {
  ctx: Context;
  mailbox: Mailbox;
  opts: SenderOptions;
  report: SenderReport;
  transport: MailTransport;
  sentFolder: SentFolder | undefined;
  /** The mailbox's DKIM key, opened once per run. */
  dkim: DkimKey | undefined;
  retryMs: number;
  /** Mails this run may still send (the daily limit, or the caller's, whichever is lower). */
  budget: number;
  limitedBy: SenderReport['stoppedBy'];
}

function outcome(run: Run, row: OutboxRow, status: SendOutcome['status'], detail: string): void {
  run.report.outcomes.push({ outboxId: row.id, to: row.to_address, subject: row.subject, messageId: row.message_id, status, detail });
}

function stop(run: Run, why: SenderReport['stoppedBy']): void {
  if (run.report.stoppedBy === 'done') run.report.stoppedBy = why;
}

/** Settles interrupted rows first, then counts what the day has left. */
async function startRun(ctx: Context, mailbox: Mailbox, opts: SenderOptions, sentFolder: SentFolder | undefined): Promise<Omit<Run, 'transport' | 'dkim'>> {
  const recovery = await recoverInterrupted(ctx, mailbox, { leaseMs: opts.leaseMs, sentFolder });
  const dayStart = startOfLocalDay(ctx.now(), userZone(ctx));
  // Sent mails count against the day from their claim on (a `sending` row may have gone out).
  const sentToday = await ctx.store.outbox.sentSince(mailbox.id, dayStart);
  const report: SenderReport = {
    sent: 0, failed: 0, retried: 0, cancelled: 0, uncertain: 0,
    recovered: recovery.confirmed + recovery.requeued + recovery.unconfirmed,
    recovery, remaining: 0, stoppedBy: 'done', dailyLimit: todayLimit(ctx, mailbox), sentToday, outcomes: [],
  };
  // Today's limit: the cap, or less while a new mailbox warms up (core/warmup.ts).
  const daily = Math.max(0, report.dailyLimit - sentToday);
  // A paused mailbox sends nothing: its mail stays queued until it is resumed.
  const budget = mailbox.paused_at !== null ? 0 : opts.limit !== undefined ? Math.min(daily, opts.limit) : daily;
  const limitedBy = mailbox.paused_at !== null ? 'paused' : opts.limit !== undefined && opts.limit < daily ? 'limit' : 'daily_limit';
  return { ctx, mailbox, opts, report, sentFolder, retryMs: opts.retryMs ?? ctx.sending.retryMs, budget, limitedBy };
}

/** Cancels a queued mail that must not go out any more; 'wait': paused, it stays queued until resumed. */
async function cancelled(run: Run, row: OutboxRow): Promise<boolean> {
  const cancel = await cancelReason(run.ctx, row);
  if (cancel === null || cancel === 'wait') return cancel === 'wait';
  await run.ctx.store.outbox.cancel(row.id, `cancelled: ${cancel}`, run.ctx.now());
  run.report.cancelled++;
  outcome(run, row, 'cancelled', cancel);
  return true;
}

/** A send that failed: left for the Sent folder to decide, failed for good, or queued again later. */
async function failed(run: Run, row: OutboxRow, claim: number, err: unknown): Promise<void> {
  const { ctx, report } = run;
  // The transport says how it failed; anything else is taken as a failure that may pass.
  const failure = err instanceof SendFailure ? err : new SendFailure('temporary', err instanceof Error ? err.message : String(err));
  const detail = failure.detail;
  if (failure.kind === 'uncertain') {
    // The server had the whole mail and said nothing: it may have accepted it. The row stays
    // `sending`; after the lease the Sent folder decides (or it is settled as unconfirmed).
    await ctx.store.outbox.settle(row.id, claim, { error: `uncertain: ${detail}`, updated_at: ctx.now() });
    report.uncertain++;
    outcome(run, row, 'uncertain', detail);
    return;
  }
  const result =
    failure.kind === 'permanent'
      ? await ctx.store.outbox.settle(row.id, claim, { status: 'failed', error: detail, updated_at: ctx.now() }).then(() => 'failed' as const)
      : await requeue(ctx, row, claim, detail, run.retryMs * 2 ** row.attempts);
  if (result === 'failed') report.failed++;
  else if (result === 'retry') report.retried++;
  outcome(run, row, result === 'failed' ? 'failed' : 'retry', detail);
}

/** The server accepted the mail: file Tally's copy in Sent when it is ours to do, then the touch and the `sent` mark. */
async function accepted(run: Run, row: OutboxRow, claim: number, claimAt: number, sent: { response: string; raw?: Buffer }): Promise<void> {
  const { ctx, mailbox, opts, sentFolder } = run;
  if (opts.afterAccepted) await opts.afterAccepted(row);
  let note = '';
  if (mailbox.append_sent && sentFolder && sent.raw) {
    // Before the bookkeeping, so a crash after it still leaves the copy that confirms the send.
    await sentFolder.append(sent.raw).catch((err: unknown) => {
      note = ` (not filed in Sent: ${err instanceof Error ? err.message : String(err)})`;
    });
  }
  const mine = await settleSent(ctx, row, claim, sent.response + note, claimAt, row.purpose === 'step');
  run.report.sent++;
  // Not ours any more only if this send outlived its lease and another run settled the row.
  outcome(run, row, 'sent', mine ? sent.response + note : `${sent.response} (settled by another run after the lease)`);
  opts.onSent?.(row);
}

/** Sends one queued mail; true when it went out. */
async function sendOne(run: Run, row: OutboxRow): Promise<boolean> {
  const { ctx } = run;
  if (await cancelled(run, row)) return false;
  // The claim is committed before the SMTP call: after a crash the row is found in `sending`.
  // It must change exactly one row: the row as this run read it (same attempts), still queued.
  const claim = row.attempts + 1;
  const claimAt = ctx.now();
  if (!(await ctx.store.outbox.claim(row.id, row.attempts, claimAt))) return false; // another sender took it
  let sent: { response: string; raw?: Buffer };
  try {
    sent = await run.transport.send(outgoing(run.mailbox, row, run.dkim));
  } catch (err) {
    await failed(run, row, claim, err);
    return false;
  }
  await accepted(run, row, claim, claimAt, sent);
  return true;
}

/** The budget is taken before a mail is tried (workers run at once) and given back if it did not go out. */
async function attempt(run: Run, row: OutboxRow): Promise<boolean> {
  run.budget--;
  const sent = await sendOne(run, row);
  if (!sent) run.budget++;
  return sent;
}

/** Each gap between spaced mails is the minimum spacing plus up to half of it again: no mechanical rhythm receivers spot as a bulk sender. */
export const SPACING_JITTER = 0.5;

/**
 * One mail at a time, at least the minimum spacing apart — counted from the last mail of an earlier
 * run too, so a restart or the next job run never sends two closer — each gap with its own jitter;
 * or stop at the first wait when the caller will not wait.
 */
async function sendSpaced(run: Run, due: OutboxRow[], spacingMs: number): Promise<void> {
  const sleep = run.opts.sleep ?? realSleep;
  const random = run.opts.random ?? run.ctx.ids.fraction;
  let lastSendAt: number | null = due.length > 0 ? await run.ctx.store.outbox.lastClaimAt(run.mailbox.id) : null;
  const nextGap = () => Math.round(spacingMs * (1 + SPACING_JITTER * random()));
  let gap = nextGap();
  for (const row of due) {
    if (run.budget <= 0) return stop(run, run.limitedBy);
    const wait = lastSendAt === null ? 0 : lastSendAt + gap - run.ctx.now();
    if (wait > 0) {
      if (run.opts.wait === false) return stop(run, 'spacing');
      await sleep(wait);
    }
    if (await attempt(run, row)) {
      lastSendAt = run.ctx.now();
      gap = nextGap();
    }
  }
}

/** No spacing: a few mails in flight at once over the pooled connections. */
async function sendPooled(run: Run, due: OutboxRow[]): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, run.opts.concurrency ?? 4) }, async () => {
    while (next < due.length) {
      if (run.budget <= 0) return stop(run, run.limitedBy);
      await attempt(run, due[next++]!);
    }
  });
  await Promise.all(workers);
}

/** Sends the acting user's queued mail. */
export async function sendQueued(ctx: Context, given: Mailbox, opts: SenderOptions = {}): Promise<SenderReport> {
  // A provider's sign-in that no longer works pauses the mailbox before anything is claimed.
  const mailbox = await checkGrant(ctx, given);
  // One IMAP session for the run, opened only when needed (recovery, or Tally's own Sent copies).
  const ownSent = opts.sentFolder === undefined && mailbox.imap_host !== null;
  const sentFolder = opts.sentFolder ?? (mailbox.imap_host ? ctx.mail.sentFolder(imapSettings(ctx, mailbox)) : undefined);
  let transport: MailTransport | undefined = opts.transport;
  try {
    const started = await startRun(ctx, mailbox, opts, sentFolder);
    const due = await ctx.store.outbox.queuedDue(mailbox.id, ctx.now());
    const spacingMs = mailbox.min_spacing_seconds * 1000;
    transport ??= ctx.mail.transport(smtpSettings(ctx, mailbox), { maxConnections: spacingMs > 0 ? 1 : Math.max(1, opts.concurrency ?? 4) });
    const run: Run = { ...started, transport, dkim: dkimKey(ctx, mailbox) };
    if (spacingMs > 0) await sendSpaced(run, due, spacingMs);
    else await sendPooled(run, due);
    run.report.remaining = await ctx.store.outbox.queuedCount(mailbox.id);
    run.report.sentToday += run.report.sent;
    return run.report;
  } finally {
    if (opts.transport === undefined) transport?.close();
    if (ownSent) sentFolder?.close();
  }
}
