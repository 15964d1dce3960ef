// What a sender run takes and reports.
import type { MailTransport, SentFolder } from '../ports/mail.ts';
import type { OutboxRow } from '../ports/records.ts';

export interface SenderOptions {
  /** Use this transport instead of the mailbox's SMTP server (tests, benchmark). Not closed by the sender. */
  transport?: MailTransport;
  /** Use this Sent folder session instead of opening one on the mailbox's IMAP server (tests). Not closed by the sender. */
  sentFolder?: SentFolder;
  /** Wait out the minimum spacing (default true); false stops at the first mail that would have to wait. */
  wait?: boolean;
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) per gap between spaced mails: its jitter (default: the runtime's ids.fraction; tests seed it). */
  random?: () => number;
  /** How long a claim stays valid before a `sending` row counts as interrupted (default: the runtime's, from TALLY_SEND_LEASE_MS, else 5 minutes). */
  leaseMs?: number;
  /** The first retry delay (default: the runtime's, from TALLY_SEND_RETRY_MS, else 1 minute); it doubles with each attempt. */
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
  /** `paused`: the mailbox's sending is paused after sender-side refusals (nothing sent until resumed). */
  stoppedBy: 'done' | 'daily_limit' | 'spacing' | 'limit' | 'paused';
  dailyLimit: number;
  sentToday: number;
  outcomes: SendOutcome[];
}
