// The sender: takes queued outbox rows and sends them through the mailbox's transport, within its
// daily limit and minimum spacing, and logs each sent mail as a touch (logTouch) so the enrollment
// advances.
//
// Exactly once (docs/reliability.md): the Message-ID is fixed when the mail is rendered; a row is
// claimed (status `sending`, `attempts + 1`, committed) before the send, and every later write to
// it is fenced on that claim (`status = 'sending' and attempts = claim`); after acceptance the touch
// and the `sent` mark are one transaction (settle.ts).
import { userZone, type Context } from '../context.ts';
import { imapSettings, smtpSettings } from '../mailboxes.ts';
import { SendFailure, type MailTransport, type OutgoingMail } from '../ports/mail.ts';
import type { Mailbox, OutboxRow } from '../ports/records.ts';
import { startOfLocalDay } from '../../core/schedule.ts';
import { LIVE_STATUSES } from '../../core/types.ts';
import { recoverInterrupted, requeue, settleSent } from './settle.ts';
import type { SenderOptions, SenderReport, SendOutcome } from './types.ts';

function outgoing(m: Mailbox, row: OutboxRow): OutgoingMail {
  return {
    from: { name: m.from_name, address: m.from_address },
    to: row.to_address,
    subject: row.subject,
    text: row.text_body,
    html: row.html_body,
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
  if (r.status === null || !LIVE_STATUSES.has(r.status)) return `enrollment ${r.status ?? 'gone'}${r.reason ? ` (${r.reason})` : ''}`;
  if (row.purpose === 'step' && r.stepIndex !== row.step_index) return `enrollment moved on to step ${(r.stepIndex ?? 0) + 1}`;
  if (r.status === 'paused') return 'wait';
  return null;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sends the acting user's queued mail. */
export async function sendQueued(ctx: Context, mailbox: Mailbox, opts: SenderOptions = {}): Promise<SenderReport> {
  const sleep = opts.sleep ?? realSleep;
  const retryMs = opts.retryMs ?? ctx.sending.retryMs;
  // One IMAP session for the run, opened only when needed (recovery, or Tally's own Sent copies).
  const ownSent = opts.sentFolder === undefined && mailbox.imap_host !== null;
  const sentFolder = opts.sentFolder ?? (mailbox.imap_host ? ctx.mail.sentFolder(imapSettings(ctx, mailbox)) : undefined);
  const own = opts.transport === undefined;
  let transport: MailTransport | undefined = opts.transport;
  try {
    const recovery = await recoverInterrupted(ctx, mailbox, { leaseMs: opts.leaseMs, sentFolder });
    const now = ctx.now();
    const dayStart = startOfLocalDay(now, userZone(ctx));
    // Sent mails count against the day from their claim on (a `sending` row may have gone out).
    const sentToday = await ctx.store.outbox.sentSince(mailbox.id, dayStart);
    const report: SenderReport = {
      sent: 0,
      failed: 0,
      retried: 0,
      cancelled: 0,
      uncertain: 0,
      recovered: recovery.confirmed + recovery.requeued + recovery.unconfirmed,
      recovery,
      remaining: 0,
      stoppedBy: 'done',
      dailyLimit: mailbox.daily_limit,
      sentToday,
      outcomes: [],
    };
    const daily = Math.max(0, mailbox.daily_limit - sentToday);
    let budget = opts.limit !== undefined ? Math.min(daily, opts.limit) : daily;
    const limitedBy: SenderReport['stoppedBy'] = opts.limit !== undefined && opts.limit < daily ? 'limit' : 'daily_limit';
    const due = await ctx.store.outbox.queuedDue(mailbox.id, now);
    const spacingMs = mailbox.min_spacing_seconds * 1000;
    const smtp = (transport ??= ctx.mail.transport(smtpSettings(ctx, mailbox), { maxConnections: spacingMs > 0 ? 1 : Math.max(1, opts.concurrency ?? 4) }));
    let next = 0;
    let lastSendAt: number | null = null;
    const stop = (why: SenderReport['stoppedBy']) => {
      if (report.stoppedBy === 'done') report.stoppedBy = why;
    };
    const outcome = (row: OutboxRow, status: SendOutcome['status'], detail: string) =>
      report.outcomes.push({ outboxId: row.id, to: row.to_address, subject: row.subject, messageId: row.message_id, status, detail });

    const sendOne = async (row: OutboxRow): Promise<'sent' | 'not_sent'> => {
      const cancel = await cancelReason(ctx, row);
      if (cancel === 'wait') return 'not_sent'; // paused: stays queued until resumed
      if (cancel) {
        await ctx.store.outbox.cancel(row.id, `cancelled: ${cancel}`, ctx.now());
        report.cancelled++;
        outcome(row, 'cancelled', cancel);
        return 'not_sent';
      }
      // The claim is committed before the SMTP call: after a crash the row is found in `sending`.
      // It must change exactly one row: the row as this run read it (same attempts), still queued.
      const claim = row.attempts + 1;
      const claimAt = ctx.now();
      if (!(await ctx.store.outbox.claim(row.id, row.attempts, claimAt))) return 'not_sent'; // another sender took it
      let response: string;
      let raw: Buffer | undefined;
      try {
        const r = await smtp.send(outgoing(mailbox, row));
        response = r.response;
        raw = r.raw;
      } catch (err) {
        // The transport says how it failed; anything else is taken as a failure that may pass.
        const failure = err instanceof SendFailure ? err : new SendFailure('temporary', err instanceof Error ? err.message : String(err));
        const detail = failure.detail;
        if (failure.kind === 'uncertain') {
          // The server had the whole mail and said nothing: it may have accepted it. The row stays
          // `sending`; after the lease the Sent folder decides (or it is settled as unconfirmed).
          await ctx.store.outbox.settle(row.id, claim, { error: `uncertain: ${detail}`, updated_at: ctx.now() });
          report.uncertain++;
          outcome(row, 'uncertain', detail);
          return 'not_sent';
        }
        const result =
          failure.kind === 'permanent'
            ? await ctx.store.outbox.settle(row.id, claim, { status: 'failed', error: detail, updated_at: ctx.now() }).then(() => 'failed' as const)
            : await requeue(ctx, row, claim, detail, retryMs * 2 ** row.attempts);
        if (result === 'failed') report.failed++;
        else if (result === 'retry') report.retried++;
        outcome(row, result === 'failed' ? 'failed' : 'retry', detail);
        return 'not_sent';
      }
      if (opts.afterAccepted) await opts.afterAccepted(row);
      let note = '';
      if (mailbox.append_sent && sentFolder && raw) {
        // Before the bookkeeping, so a crash after it still leaves the copy that confirms the send.
        await sentFolder.append(raw).catch((err: unknown) => {
          note = ` (not filed in Sent: ${err instanceof Error ? err.message : String(err)})`;
        });
      }
      const mine = await settleSent(ctx, row, claim, response + note, claimAt, row.purpose === 'step');
      report.sent++;
      // Not ours any more only if this send outlived its lease and another run settled the row.
      outcome(row, 'sent', mine ? response + note : `${response} (settled by another run after the lease)`);
      opts.onSent?.(row);
      return 'sent';
    };
    // The budget is taken before a mail is tried (workers run at once) and given back if it did not go out.
    const attempt = async (row: OutboxRow): Promise<boolean> => {
      budget--;
      const sent = (await sendOne(row)) === 'sent';
      if (!sent) budget++;
      return sent;
    };

    if (spacingMs > 0) {
      for (const row of due) {
        if (budget <= 0) {
          stop(limitedBy);
          break;
        }
        if (lastSendAt !== null) {
          if (opts.wait === false) {
            stop('spacing');
            break;
          }
          await sleep(spacingMs);
        }
        if (await attempt(row)) lastSendAt = ctx.now();
      }
    } else {
      // No spacing: a few mails in flight at once over the pooled connections.
      const workers = Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, async () => {
        while (next < due.length) {
          if (budget <= 0) {
            stop(limitedBy);
            return;
          }
          await attempt(due[next++]!);
        }
      });
      await Promise.all(workers);
    }
    report.remaining = await ctx.store.outbox.queuedCount(mailbox.id);
    report.sentToday = sentToday + report.sent;
    return report;
  } finally {
    if (own) transport?.close();
    if (ownSent) sentFolder?.close();
  }
}
