// Settling outbox rows (docs/reliability.md): every write after the claim is fenced on it, so two
// settlers (or a settler and a requeue) cannot both win. A row found in `sending` after its lease is
// settled through the Sent folder: found → sent (confirmed); not found on a server that files what
// it accepts → queued again with the same Message-ID; no way to tell → sent, unconfirmed.
import { inTransaction, type Context } from '../context.ts';
import { imapSettings } from '../mailboxes.ts';
import type { SentFolder } from '../ports/mail.ts';
import type { Mailbox, OutboxRow } from '../ports/records.ts';
import { logTouch } from '../touches.ts';
import type { RecoveryReport } from './types.ts';

const MAX_ATTEMPTS = 5;

/**
 * The bookkeeping of a mail the server accepted (or may have), in one transaction: the row marked
 * sent, fenced on the claim — so two settlers (or a settler and a requeue) cannot both win — and
 * the touch logged once (looked up by Message-ID unless the claim is fresh). Returns false when the
 * claim was no longer ours (someone else settled or requeued the row: nothing written).
 */
export async function settleSent(ctx: Context, row: OutboxRow, claim: number, response: string, at: number, fresh: boolean): Promise<boolean> {
  return ctx.store.transaction(async (tx) => {
    if (!(await tx.outbox.settle(row.id, claim, { status: 'sent', sent_at: at, smtp_response: response.slice(0, 500), error: null, updated_at: ctx.now() }))) return false;
    if (row.purpose !== 'step') return true; // a soft-bounce retry of a mail whose touch exists
    if (row.hold_key !== null) return true; // sent from the queue: its touch was logged when the rep sent it
    // A fresh claim cannot have a touch yet (touch and `sent` commit together); a row left by an
    // older run may (it logged the touch, then died before marking the row).
    const logged = !fresh && (await tx.touches.loggedWithMessageId(row.prospect_id, row.message_id));
    if (!logged) {
      await logTouch(inTransaction(ctx, tx), row.prospect_id, { channel: 'email', outcome: 'sent', messageId: row.message_id, at: Math.min(at, ctx.now()), note: row.subject });
    }
    return true;
  });
}

/** Back to `queued` (same Message-ID), fenced on the claim; failed once the attempts are used up. */
export async function requeue(ctx: Context, row: OutboxRow, claim: number, detail: string, delayMs: number): Promise<'retry' | 'failed' | 'lost'> {
  const failed = claim >= MAX_ATTEMPTS;
  const set = failed ? { status: 'failed' as const, error: `${detail} (after ${claim} attempts)`, updated_at: ctx.now() } : { status: 'queued' as const, error: detail, send_after: ctx.now() + delayMs, updated_at: ctx.now() };
  if (!(await ctx.store.outbox.settle(row.id, claim, set))) return 'lost';
  return failed ? 'failed' : 'retry';
}

const emptyRecovery = (): RecoveryReport => ({ confirmed: 0, requeued: 0, unconfirmed: 0, unresolved: 0, error: null });

/**
 * Settles rows left in `sending` by an interrupted run (lease expired). With IMAP the Sent folder
 * decides: found → sent (confirmed); not found → queued again with the same Message-ID when the
 * server files what it accepts, else sent (unconfirmed). Without IMAP: sent (unconfirmed), never resent.
 */
export async function recoverInterrupted(ctx: Context, mailbox: Mailbox, opts: { leaseMs?: number; sentFolder?: SentFolder } = {}): Promise<RecoveryReport> {
  const lease = opts.leaseMs ?? ctx.sending.leaseMs;
  const report = emptyRecovery();
  const stale = await ctx.store.outbox.stale(mailbox.id, ctx.now() - lease);
  if (stale.length === 0) return report;
  const unconfirmed = async (row: OutboxRow, why: string) => {
    if (await settleSent(ctx, row, row.attempts, `unconfirmed: ${why}; not sent again (see docs/reliability.md)`, Number(row.sending_at), false)) report.unconfirmed++;
  };
  if (!mailbox.imap_host) {
    for (const row of stale) await unconfirmed(row, 'the sender stopped after the SMTP call began and the mailbox has no IMAP to check Sent');
    return report;
  }
  const sent = opts.sentFolder ?? ctx.mail.sentFolder(imapSettings(ctx, mailbox));
  try {
    const folder = await sent.name();
    for (const row of stale) {
      if (await sent.contains(row.message_id)) {
        if (await settleSent(ctx, row, row.attempts, `confirmed: found in ${folder} after an interrupted send`, Number(row.sending_at), false)) report.confirmed++;
      } else if (mailbox.append_sent) {
        // Tally files its own copy after acceptance: a crash in between leaves no copy either.
        await unconfirmed(row, `not in ${folder}, where Tally files its own copy only after the server accepted the mail`);
      } else if ((await requeue(ctx, row, row.attempts, `not accepted: the send was interrupted and the mail is not in ${folder}; sent again with the same Message-ID`, 0)) !== 'lost') {
        report.requeued++;
      }
    }
  } catch (err) {
    // Without the Sent folder nothing can be decided: the rows wait for the next run.
    report.error = `checking Sent: ${err instanceof Error ? err.message : String(err)}`;
    report.unresolved = await ctx.store.outbox.stillSending(stale.map((r) => r.id));
  } finally {
    if (!opts.sentFolder) sent.close();
  }
  return report;
}

