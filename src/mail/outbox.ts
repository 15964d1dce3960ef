// The sender: takes queued outbox rows and sends them over SMTP, within the mailbox's daily limit
// and minimum spacing, and logs each sent mail as a touch (logTouch) so the enrollment advances.
//
// Crash safety (docs/reliability.md): the Message-ID is fixed when the mail is rendered; a row is
// claimed (status `sending`, committed) before the SMTP call; a sent mail is logged as a touch
// (found again by its Message-ID) and only then marked `sent`. A row found in `sending` after its
// lease expired was possibly accepted by the server: it is settled as sent (unconfirmed), never
// sent again.
import type { Context } from '../app/context.ts';
import { userZone } from '../app/context.ts';
import { LIVE } from '../app/enrollments.ts';
import { smtpSettings } from '../app/mailboxes.ts';
import { logTouch } from '../app/touches.ts';
import { startOfLocalDay } from '../core/schedule.ts';
import type { Mailbox, OutboxRow } from '../store/schema.ts';
import { isPermanentSmtpError, smtpErrorText, smtpTransport, type MailTransport, type OutgoingMail } from './smtp.ts';

/** A row in `sending` for longer than this was interrupted (the SMTP call has long timed out). */
export const DEFAULT_LEASE_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;

export interface SenderOptions {
  /** Use this transport instead of the mailbox's SMTP server (tests, benchmark). Not closed by the sender. */
  transport?: MailTransport;
  /** Wait out the minimum spacing (default true); false stops at the first mail that would have to wait. */
  wait?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** How long a claim stays valid before a `sending` row counts as interrupted. */
  leaseMs?: number;
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
  status: 'sent' | 'failed' | 'retry' | 'cancelled';
  detail: string;
}

export interface SenderReport {
  sent: number;
  failed: number;
  retried: number;
  cancelled: number;
  /** Rows found in `sending` after their lease: settled as sent, not sent again. */
  recovered: number;
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

/** Sent mails count against the day from their claim on (a `sending` row may have gone out). */
async function sentSince(ctx: Context, mailboxId: number, since: number): Promise<number> {
  const r = await ctx.store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailbox_id', '=', mailboxId)
    .where('status', 'in', ['sending', 'sent'])
    .where('sending_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * The bookkeeping of a mail the server accepted (or may have): the touch, found by Message-ID so it
 * is logged once, then the row marked sent. Safe to run twice.
 */
async function settleSent(ctx: Context, row: OutboxRow, response: string, at: number, fresh = false): Promise<void> {
  // A fresh claim cannot have a touch yet; a recovered one may (the crash came after logTouch).
  const logged =
    row.purpose !== 'step' ||
    (!fresh && (await ctx.store.db.selectFrom('touches').select('id').where('prospect_id', '=', row.prospect_id).where('message_id', '=', row.message_id).executeTakeFirst()) !== undefined);
  if (!logged) {
    await logTouch(ctx, row.prospect_id, { channel: 'email', outcome: 'sent', messageId: row.message_id, at: Math.min(at, ctx.now()), note: row.subject });
  }
  await ctx.store.db
    .updateTable('outbox')
    .set({ status: 'sent', sent_at: at, smtp_response: response.slice(0, 500), error: null, updated_at: ctx.now() })
    .where('id', '=', row.id)
    .execute();
}

/** Settles rows left in `sending` by an interrupted run (lease expired): sent, unconfirmed; never resent. */
export async function recoverInterrupted(ctx: Context, mailbox: Mailbox, leaseMs = DEFAULT_LEASE_MS): Promise<number> {
  const stale = await ctx.store.db
    .selectFrom('outbox')
    .selectAll()
    .where('mailbox_id', '=', mailbox.id)
    .where('status', '=', 'sending')
    .where('sending_at', '<=', ctx.now() - leaseMs)
    .execute();
  for (const row of stale) {
    await settleSent(ctx, row, 'unconfirmed: the sender stopped after the SMTP call began; not sent again (see docs/reliability.md)', Number(row.sending_at));
  }
  return stale.length;
}

/** Why a queued mail must not go out any more, or null when it may ('wait': paused). Checked right before sending. */
async function cancelReason(ctx: Context, row: OutboxRow): Promise<string | null> {
  const r = await ctx.store.db
    .selectFrom('prospects as p')
    .leftJoin('enrollments as e', (j) => j.on('e.id', '=', row.enrollment_id))
    .select(['p.opted_out_at', 'p.do_not_contact', 'p.email_status', 'e.status', 'e.step_index', 'e.reason'])
    .where('p.id', '=', row.prospect_id)
    .executeTakeFirst();
  if (!r) return 'prospect deleted';
  if (r.opted_out_at !== null) return 'opted out';
  if (r.do_not_contact) return 'do not contact';
  if (r.email_status === 'bad') return 'email address marked bad';
  if (r.status === null || !LIVE.includes(r.status as (typeof LIVE)[number])) return `enrollment ${r.status ?? 'gone'}${r.reason ? ` (${r.reason})` : ''}`;
  if (row.purpose === 'step' && r.step_index !== row.step_index) return `enrollment moved on to step ${(r.step_index ?? 0) + 1}`;
  if (r.status === 'paused') return 'wait';
  return null;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sends the acting user's queued mail. */
export async function sendQueued(ctx: Context, mailbox: Mailbox, opts: SenderOptions = {}): Promise<SenderReport> {
  const sleep = opts.sleep ?? realSleep;
  const recovered = await recoverInterrupted(ctx, mailbox, opts.leaseMs ?? DEFAULT_LEASE_MS);
  const now = ctx.now();
  const dayStart = startOfLocalDay(now, userZone(ctx));
  const sentToday = await sentSince(ctx, mailbox.id, dayStart);
  const report: SenderReport = { sent: 0, failed: 0, retried: 0, cancelled: 0, recovered, remaining: 0, stoppedBy: 'done', dailyLimit: mailbox.daily_limit, sentToday, outcomes: [] };
  const daily = Math.max(0, mailbox.daily_limit - sentToday);
  let budget = opts.limit !== undefined ? Math.min(daily, opts.limit) : daily;
  const limitedBy: SenderReport['stoppedBy'] = opts.limit !== undefined && opts.limit < daily ? 'limit' : 'daily_limit';
  const due = await ctx.store.db
    .selectFrom('outbox')
    .selectAll()
    .where('mailbox_id', '=', mailbox.id)
    .where('status', '=', 'queued')
    .where('send_after', '<=', now)
    .orderBy('send_after')
    .orderBy('id')
    .execute();
  const spacingMs = mailbox.min_spacing_seconds * 1000;
  const own = opts.transport === undefined;
  const transport = opts.transport ?? smtpTransport(smtpSettings(ctx, mailbox), { maxConnections: spacingMs > 0 ? 1 : Math.max(1, opts.concurrency ?? 4) });
  let next = 0;
  let lastSendAt: number | null = null;
  const stop = (why: SenderReport['stoppedBy']) => {
    if (report.stoppedBy === 'done') report.stoppedBy = why;
  };

  const sendOne = async (row: OutboxRow): Promise<'sent' | 'not_sent'> => {
    const cancel = await cancelReason(ctx, row);
    if (cancel === 'wait') return 'not_sent'; // paused: stays queued until resumed
    if (cancel) {
      await ctx.store.db.updateTable('outbox').set({ status: 'failed', error: `cancelled: ${cancel}`, updated_at: ctx.now() }).where('id', '=', row.id).where('status', '=', 'queued').execute();
      report.cancelled++;
      report.outcomes.push({ outboxId: row.id, to: row.to_address, subject: row.subject, messageId: row.message_id, status: 'cancelled', detail: cancel });
      return 'not_sent';
    }
    // The claim is committed before the SMTP call: after a crash the row is found in `sending`.
    const claimAt = ctx.now();
    const claimed = await ctx.store.db
      .updateTable('outbox')
      .set({ status: 'sending', attempts: row.attempts + 1, sending_at: claimAt, updated_at: claimAt })
      .where('id', '=', row.id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return 'not_sent'; // another sender took it
    let response: string;
    try {
      const r = await transport.send(outgoing(mailbox, row));
      if (r.accepted.length === 0) throw Object.assign(new Error(`recipient refused: ${r.response}`), { responseCode: 550, response: r.response });
      response = r.response;
    } catch (err) {
      const permanent = isPermanentSmtpError(err) || row.attempts + 1 >= MAX_ATTEMPTS;
      const detail = smtpErrorText(err);
      await ctx.store.db
        .updateTable('outbox')
        .set(
          permanent
            ? { status: 'failed', error: detail, updated_at: ctx.now() }
            : { status: 'queued', error: detail, send_after: ctx.now() + 60_000 * 2 ** row.attempts, updated_at: ctx.now() },
        )
        .where('id', '=', row.id)
        .execute();
      if (permanent) report.failed++;
      else report.retried++;
      report.outcomes.push({ outboxId: row.id, to: row.to_address, subject: row.subject, messageId: row.message_id, status: permanent ? 'failed' : 'retry', detail });
      return 'not_sent';
    }
    if (opts.afterAccepted) await opts.afterAccepted(row);
    await settleSent(ctx, row, response, claimAt, row.status === 'queued' && row.purpose === 'step');
    report.sent++;
    report.outcomes.push({ outboxId: row.id, to: row.to_address, subject: row.subject, messageId: row.message_id, status: 'sent', detail: response });
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

  try {
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
  } finally {
    if (own) transport.close();
  }
  const left = await ctx.store.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('mailbox_id', '=', mailbox.id)
    .where('status', '=', 'queued')
    .executeTakeFirstOrThrow();
  report.remaining = Number(left.n);
  report.sentToday = sentToday + report.sent;
  return report;
}
