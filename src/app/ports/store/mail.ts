// Mailboxes, the outbox of rendered mail, email threads and inbound messages.
import type { EnrollmentStatus } from '../../../core/types.ts';
import type { EmailThread, InboundMessage, Mailbox, OutboxRow, PauseKind, Prospect, User } from '../records.ts';
import type { ContactFlags } from './due-steps.ts';

export type MailboxValues = Omit<Mailbox, 'id' | 'created_at' | 'sync_state' | 'sync_progress' | 'read_since' | 'paused_at' | 'paused_reason' | 'paused_kind' | 'dkim' | 'warmup_from'>;

export interface MailboxQueries {
  ofUser(userId: number): Promise<Mailbox | undefined>;
  /** Adds the user's mailbox (reading mail from `now` on, warming up from `now` when asked), or replaces its settings (one per user). */
  save(values: MailboxValues, now: number, opts?: { warmup?: boolean }): Promise<void>;
  /** Moves "read mail since"; the folders' state is reset so that the next sync reads from there. */
  setReadSince(id: number, at: number, now: number): Promise<void>;
  setSyncProgress(id: number, json: string): Promise<void>;
  /** Pauses sending (a reason) or resumes it (null). */
  setPaused(id: number, pause: { at: number; reason: string; kind: PauseKind } | null, now: number): Promise<void>;
  /** Replaces the sealed secret (a refreshed OAuth2 token set). */
  setSecret(id: number, sealed: string, now: number): Promise<void>;
  /** Sets (JSON, the key sealed) or removes the mailbox's DKIM key. */
  setDkim(id: number, sealed: string | null, now: number): Promise<void>;
  /** The workspace's mailboxes (or one user's) with their user's email, in id order. */
  list(workspaceId: number, userId?: number): Promise<(Mailbox & { user_email: string })[]>;
  /** Every mailbox (with IMAP only, when asked), in id order: the jobs' targets. */
  ids(opts?: { imapOnly?: boolean }): Promise<number[]>;
  /** Mailboxes with IMAP and when each was added (the sync lag of one never synced). */
  withImap(): Promise<{ id: number; created_at: number }[]>;
  owner(mailboxId: number): Promise<User | undefined>;
  syncState(id: number): Promise<string>;
  setSyncState(id: number, json: string, now: number): Promise<void>;
}

export type NewOutboxRow = Omit<OutboxRow, 'id' | 'purpose' | 'attempts' | 'sending_at' | 'sent_at' | 'smtp_response' | 'error' | 'hold_key'> & { hold_key?: string | null };
/** The columns a settlement may set (a claim is fenced on `status = 'sending'` and its attempt number). */
export type OutboxChange = Partial<Pick<OutboxRow, 'status' | 'error' | 'send_after' | 'sent_at' | 'smtp_response' | 'updated_at'>>;

/** Where a queued mail's prospect and enrollment stand right before it is sent. */
export interface SendState {
  flags: ContactFlags;
  /** null when the enrollment is gone. */
  status: EnrollmentStatus | null;
  stepIndex: number | null;
  reason: string | null;
}

export interface OutboxQueries {
  /** Queues rendered mails; a step already queued (same enrollment and step) is left as it is. Returns how many were new. */
  insert(rows: NewOutboxRow[]): Promise<number>;
  /** The first mail of each enrollment's thread, when it has one. */
  threads(enrollmentIds: number[]): Promise<Map<number, Pick<EmailThread, 'message_id' | 'subject'>>>;
  /** Records the first mail of threads (an enrollment's first one wins). */
  startThreads(rows: Omit<EmailThread, 'id'>[]): Promise<void>;
  /** Mails claimed since `since` (sending or sent): what counts against the day. */
  sentSince(mailboxId: number, since: number): Promise<number>;
  /** When the mailbox's last mail was claimed for sending (null: never): spacing holds across runs and restarts. */
  lastClaimAt(mailboxId: number): Promise<number | null>;
  /** Rows left in `sending` since before `before`. */
  stale(mailboxId: number, before: number): Promise<OutboxRow[]>;
  queuedDue(mailboxId: number, now: number): Promise<OutboxRow[]>;
  queuedCount(mailboxId: number): Promise<number>;
  /** Of these rows, how many are still `sending`. */
  stillSending(ids: number[]): Promise<number>;
  /** Claims a queued row as read (same attempts) for a send: false when another sender took it. */
  claim(id: number, attempts: number, at: number): Promise<boolean>;
  /** Changes a row this sender claimed (still `sending`, same attempt): false when the claim was lost. */
  settle(id: number, claim: number, set: OutboxChange): Promise<boolean>;
  /** A queued row that must not go out any more. */
  cancel(id: number, error: string, at: number): Promise<void>;
  /**
   * Undo of the touch a mail was sent with from the queue: deletes its rows still queued under the
   * hold key (and the thread they would have started). `left`: rows under the key already claimed or sent.
   */
  deleteHeld(workspaceId: number, key: string): Promise<{ deleted: number; left: number }>;
  /** Forgets a mailbox's queued (never sent) rows, so their steps are queued again by whoever owns them now. */
  dropQueued(mailboxId: number): Promise<number>;
  /** Every queued row to the prospect (rows already sending or sent are left alone). */
  cancelQueuedFor(prospectId: number, error: string, at: number): Promise<void>;
  sendState(prospectId: number, enrollmentId: number): Promise<SendState | undefined>;
  /** A sent mail that soft-bounced: queued again, same Message-ID. */
  retry(id: number, sendAfter: number, error: string, at: number): Promise<void>;
  /** Outbox rows of the workspace with one of these Message-IDs, with their prospect. */
  byMessageIds(workspaceId: number, messageIds: string[]): Promise<{ prospect: Prospect; outboxId: number; enrollmentId: number; messageId: string; sentAt: number | null }[]>;
  /** Of these Message-IDs, the ones Tally sent or queued in the workspace. */
  knownMessageIds(workspaceId: number, messageIds: string[]): Promise<string[]>;
  /** How many mails of these cadence steps the rep reviewed and sent by hand, by "cadenceId:stepIndex". */
  handSent(ownerId: number, steps: { cadenceId: number; stepIndex: number }[]): Promise<Map<string, number>>;
  /** Rows waiting (queued) and claimed (sending), across the database (metrics). */
  pending(): Promise<{ queued: number; sending: number }>;
}

type Optional = 'detail' | 'reading' | 'headers' | 'text' | 'review' | 'decision' | 'decided_by' | 'decided_at';
export type NewInboundMessage = Omit<InboundMessage, 'id' | Optional> & Partial<Pick<InboundMessage, Optional>>;

export interface InboundQueries {
  /** Whether this message was applied before (same Message-ID, or same folder, UIDVALIDITY and UID). */
  seen(mailboxId: number, messageId: string, where: { folder: string; uidvalidity: string; uid: number }): Promise<boolean>;
  softBounces(prospectId: number): Promise<number>;
  /** Sender-side refusals recorded for the mailbox, written since `since`: how many, and their warnings (newest first). */
  senderSide(mailboxId: number, since: number): Promise<{ count: number; warnings: string[] }>;
  /** Complaints (feedback reports: "this is spam") about the mailbox's mail, written since `since`. */
  complaints(mailboxId: number, since: number): Promise<number>;
  /** Messages matched to the prospect but not acted on (written before their cadence): timeline history. */
  history(prospectId: number): Promise<Pick<InboundMessage, 'class' | 'subject' | 'written_at' | 'received_at'>[]>;
  /** undefined when the message was recorded already. */
  insert(m: NewInboundMessage): Promise<number | undefined>;
}
