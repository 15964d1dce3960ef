// The sender: takes queued outbox rows and sends them over SMTP, within the mailbox's daily limit
// and minimum spacing, and logs each sent mail as a touch (logTouch) so the enrollment advances.
//
// Exactly once (docs/reliability.md): the Message-ID is fixed when the mail is rendered; a row is
// claimed (status `sending`, `attempts + 1`, committed) before the SMTP call, and every later write
// to it is fenced on that claim (`status = 'sending' and attempts = claim`); after acceptance the
// touch and the `sent` mark are one transaction. A row found in `sending` after its lease is
// settled through the Sent folder: found → sent (confirmed); not found on a server that files what
// it accepts → queued again with the same Message-ID; no way to tell → sent, unconfirmed.
import type { Context } from '../app/context.ts';
import { userZone } from '../app/context.ts';
import { TallyError } from '../core/errors.ts';
import { imapSettings, smtpSettings } from '../app/mailboxes.ts';
import { logTouch } from '../app/touches.ts';
import { startOfLocalDay } from '../core/schedule.ts';
import type { Mailbox, OutboxRow } from '../app/ports/records.ts';
import { LIVE_STATUSES } from '../core/types.ts';
import { SentFolder } from './imap.ts';
import { isPermanentSmtpError, isUncertainSmtpError, smtpErrorText, smtpTransport, type MailTransport, type OutgoingMail } from './smtp.ts';

/** A row in `sending` for longer than this was interrupted (the SMTP call has long timed out). */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** The first retry after a failure that may pass (4xx, dropped connection) waits this long, then doubles. */
export const DEFAULT_RETRY_MS = 60_000;
const MAX_ATTEMPTS = 5;

/** A duration in milliseconds from the environment (workers and tests shorten the lease), else the default. */
export function msFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new TallyError(`${name} must be a whole number of milliseconds above 0 (got "${raw}")`, 'invalid', { field: name });
  return n;
}

/** The claim lease: the sender option, else TALLY_SEND_LEASE_MS, else 5 minutes. */
export function leaseMs(opts: { leaseMs?: number } = {}): number {
  return opts.leaseMs ?? msFromEnv('TALLY_SEND_LEASE_MS', DEFAULT_LEASE_MS);
}

export interface SenderOptions {
  /** Use this transport instead of the mailbox's SMTP server (tests, benchmark). Not closed by the sender. */
  transport?: MailTransport;
  /** Use this Sent folder session instead of opening one on the mailbox's IMAP server (tests). Not closed by the sender. */
  sentFolder?: SentFolder;
  /** Wait out the minimum spacing (default true); false stops at the first mail that would have to wait. */
  wait?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** How long a claim stays valid before a `sending` row counts as interrupted (default TALLY_SEND_LEASE_MS, else 5 minutes). */
  leaseMs?: number;
  /** The first retry delay (default TALLY_SEND_RETRY_MS, else 1 minute); it doubles with each attempt. */
  retryMs?: number;
  /** At most this many mails in this run. */
  limit?: number;
  /** Mails in flight at once when the mailbox has no minimum spacing (default 4). */
  concurrency?: number;
  /** Called right after the SMTP server accepted a mail, before any bookkeeping (tests simulate a crash here). */
  afterAccepted?: (row: OutboxRow) => void | Promise<void>;
  onSent?: (row: OutboxRow) => void;
}

export interface SendOutcome {
  outboxId: number;
  to: string;
  subject: string;
  messageId: string;
  /** uncertain: the connection dropped after the whole message was handed over; checked against Sent after the lease. */
  status: 'sent' | 'failed' | 'retry' | 'cancelled' | 'uncertain';
  detail: string;
}

/** What became of the rows found in `sending` after their lease. */
export interface RecoveryReport {
  /** Found in Sent: settled as sent. */
  confirmed: number;
  /** Not in Sent of a server that files what it accepts: queued again, same Message-ID. */
  requeued: number;
  /** No way to tell (no IMAP, or Tally's own copy is missing): settled as sent, never sent again. */
  unconfirmed: number;
  /** The Sent folder could not be read: left in `sending` for the next run. */
  unresolved: number;
  error: string | null;
}

export interface SenderReport {
  sent: number;
  failed: number;
  retried: number;
  cancelled: number;
  /** Connections dropped after the message was handed over: left in `sending`, checked against Sent later. */
  uncertain: number;
  /** Rows found in `sending` after their lease and settled (confirmed, requeued or unconfirmed). */
  recovered: number;
  recovery: RecoveryReport;
  /** Still queued (limit reached, spacing, not due yet). */
  remaining: number;
  stoppedBy: 'done' | 'daily_limit' | 'spacing' | 'limit';
  dailyLimit: number;
  sentToday: number;
  outcomes: SendOutcome[];
}

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

/**
 * The bookkeeping of a mail the server accepted (or may have), in one transaction: the row marked
 * sent, fenced on the claim — so two settlers (or a settler and a requeue) cannot both win — and
 * the touch logged once (looked up by Message-ID unless the claim is fresh). Returns false when the
 * claim was no longer ours (someone else settled or requeued the row: nothing written).
 */
async function settleSent(ctx: Context, row: OutboxRow, claim: number, response: string, at: number, fresh: boolean): Promise<boolean> {
  return ctx.store.transaction(async (tx) => {
    if (!(await tx.outbox.settle(row.id, claim, { status: 'sent', sent_at: at, smtp_response: response.slice(0, 500), error: null, updated_at: ctx.now() }))) return false;
    if (row.purpose !== 'step') return true; // a soft-bounce retry of a mail whose touch exists
    // A fresh claim cannot have a touch yet (touch and `sent` commit together); a row left by an
    // older run may (it logged the touch, then died before marking the row).
    const logged = !fresh && (await tx.touches.loggedWithMessageId(row.prospect_id, row.message_id));
    if (!logged) {
      await logTouch({ ...ctx, store: tx }, row.prospect_id, { channel: 'email', outcome: 'sent', messageId: row.message_id, at: Math.min(at, ctx.now()), note: row.subject });
    }
    return true;
  });
}

/** Back to `queued` (same Message-ID), fenced on the claim; failed once the attempts are used up. */
async function requeue(ctx: Context, row: OutboxRow, claim: number, detail: string, delayMs: number): Promise<'retry' | 'failed' | 'lost'> {
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
  const report = emptyRecovery();
  const stale = await ctx.store.outbox.stale(mailbox.id, ctx.now() - leaseMs(opts));
  if (stale.length === 0) return report;
  const unconfirmed = async (row: OutboxRow, why: string) => {
    if (await settleSent(ctx, row, row.attempts, `unconfirmed: ${why}; not sent again (see docs/reliability.md)`, Number(row.sending_at), false)) report.unconfirmed++;
  };
  if (!mailbox.imap_host) {
    for (const row of stale) await unconfirmed(row, 'the sender stopped after the SMTP call began and the mailbox has no IMAP to check Sent');
    return report;
  }
  const sent = opts.sentFolder ?? new SentFolder(imapSettings(ctx, mailbox));
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
  const retryMs = opts.retryMs ?? msFromEnv('TALLY_SEND_RETRY_MS', DEFAULT_RETRY_MS);
  // One IMAP session for the run, opened only when needed (recovery, or Tally's own Sent copies).
  const ownSent = opts.sentFolder === undefined && mailbox.imap_host !== null;
  const sentFolder = opts.sentFolder ?? (mailbox.imap_host ? new SentFolder(imapSettings(ctx, mailbox)) : undefined);
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
    const smtp = (transport ??= smtpTransport(smtpSettings(ctx, mailbox), { maxConnections: spacingMs > 0 ? 1 : Math.max(1, opts.concurrency ?? 4) }));
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
        if (r.accepted.length === 0) throw Object.assign(new Error(`recipient refused: ${r.response}`), { responseCode: 550, response: r.response });
        response = r.response;
        raw = r.raw;
      } catch (err) {
        const detail = smtpErrorText(err);
        if (isUncertainSmtpError(err)) {
          // The server had the whole mail and said nothing: it may have accepted it. The row stays
          // `sending`; after the lease the Sent folder decides (or it is settled as unconfirmed).
          await ctx.store.outbox.settle(row.id, claim, { error: `uncertain: ${detail}`, updated_at: ctx.now() });
          report.uncertain++;
          outcome(row, 'uncertain', detail);
          return 'not_sent';
        }
        const result = isPermanentSmtpError(err)
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
