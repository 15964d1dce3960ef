// What the store keeps for each aggregate, as the app reads it back: one row shape per table.
// The store's schema is derived from these (src/store/schema.ts), so a column and the field the app
// reads are one declaration. Times are epoch milliseconds; booleans are 0/1; JSON is text.
import type { InboundClass } from '../../core/inbound/types.ts';
import type { ReviewKind } from '../../core/inbound/review-choices.ts';
import type { Role } from '../../core/accounts.ts';
import type { Channel, DelayUnit, EmailStatus, EnrollmentStatus, Outcome, SendingMode, ValueItemKind } from '../../core/types.ts';
import type { DeliveryStatus } from '../../core/webhook-events.ts';
import type { OAuthProvider } from '../../core/mailbox-providers.ts';

type Json = string;

export type { EmailStatus, Role };

export interface Workspace {
  id: number;
  name: string;
  timezone: string;
  /** JSON: guardrails, windows, holidays, minutes per channel. */
  settings: Json;
  /** The admin's OAuth2 clients per provider, sealed JSON (migration 020); null: none set. */
  oauth_clients: string | null;
  created_at: number;
  /** The salt of erased prospects' email hashes (migration 017), made on the first erasure. */
  erase_salt: string | null;
  /** Moved on by every change to the playbook or a mailbox's sender (migration 031): what the queue keeps between calls is checked against it. */
  data_version: number;
}

export interface User {
  id: number;
  workspace_id: number;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  timezone: string | null;
  created_at: number;
  /** Set while the user is deactivated: no sign-in, no session, no token works (migration 009). */
  deactivated_at: number | null;
  /** The rep's email signature, added below the mails sent for them; null: none (migration 019). */
  signature: string | null;
}

export interface Company {
  id: number;
  workspace_id: number;
  name: string;
  name_key: string;
  domain: string | null;
  created_at: number;
}

export interface Prospect {
  id: number;
  workspace_id: number;
  owner_id: number;
  email: string;
  email_key: string;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  title: string | null;
  company_id: number | null;
  timezone: string | null;
  priority: number;
  /** JSON object of custom fields. */
  custom: Json;
  opted_out_at: number | null;
  do_not_contact: number;
  email_status: EmailStatus;
  created_at: number;
  updated_at: number;
  /** 1: the zone was inferred by an import (country, state or phone), not given. */
  timezone_inferred: number;
  /** The import that last wrote this prospect (prospect_imports.id), if any. */
  import_id: number | null;
  /** The LinkedIn profile (https://…), which the LinkedIn channel's links open (migration 017). */
  linkedin_url: string | null;
}

/** One CSV import of prospects: the board's "Last import" and the rows an import can enroll. */
export interface ProspectImport {
  id: number;
  workspace_id: number;
  user_id: number;
  file: string;
  created_at: number;
}

/** A prospect erased on request: only a salted hash of the email, so no import brings them back (migration 017). */
export interface ErasedProspect {
  id: number;
  workspace_id: number;
  email_hash: string;
  erased_at: number;
}

export type BulkAction = 'enroll' | 'pause' | 'resume';

/** A bulk enroll, pause or resume, kept for its undo window (migration 017). */
export interface BulkChange {
  id: number;
  workspace_id: number;
  user_id: number;
  action: BulkAction;
  /** JSON BulkUndo: the enrollments made, or the changed ones as they were. */
  undo: Json;
  undo_until: number;
  undone_at: number | null;
  created_at: number;
}

export interface Cadence {
  id: number;
  workspace_id: number;
  name: string;
  name_key: string;
  current_version: number;
  created_at: number;
  /** When it was archived: no new enrollments, live ones finish. */
  archived_at: number | null;
}

export interface CadenceVersion {
  id: number;
  cadence_id: number;
  version: number;
  /** JSON: the full CadenceDefinition as validated. */
  definition: Json;
  created_at: number;
  created_by: number | null;
}

export interface CadenceStepRow {
  cadence_version_id: number;
  position: number;
  channel: Channel;
  delay_amount: number;
  delay_unit: DelayUnit;
  name: string;
  subject: string | null;
  template: string | null;
  /** Why this touch helps: a note for the rep, never rendered into a mail. */
  reason: string;
  talking_points: Json;
  new_thread: number;
  /** Email steps: 'automatic' or 'manual' as set in the cadence; null: the default rule (core/step-sending.ts). */
  sending: SendingMode | null;
  /** Playbook references (JSON lists; null when none). */
  value_item_key: string | null;
  objection_keys: Json | null;
  objection_tags: Json | null;
}

export type NurtureDecision = 'accepted' | 'declined';

export interface Enrollment {
  id: number;
  workspace_id: number;
  prospect_id: number;
  cadence_id: number;
  cadence_version_id: number;
  owner_id: number;
  status: EnrollmentStatus;
  step_index: number;
  due_at: number | null;
  priority: number;
  reason: string | null;
  touches: number;
  last_touch_at: number | null;
  started_at: number;
  ended_at: number | null;
  updated_at: number;
  nurture: NurtureDecision | null;
  follows_enrollment_id: number | null;
}

export interface Touch {
  id: number;
  workspace_id: number;
  prospect_id: number;
  company_id: number | null;
  enrollment_id: number | null;
  step_index: number | null;
  user_id: number;
  channel: Channel;
  outcome: Outcome;
  note: string | null;
  occurred_at: number;
  message_id: string | null;
  created_at: number;
  /** JSON `TouchUndo` while the touch can still be undone (logged from the queue); null otherwise. */
  undo: string | null;
}

/** An undo, correction or deletion of a touch: who, when, what it was (JSON) and what it became. */
export interface TouchChange {
  id: number;
  workspace_id: number;
  touch_id: number;
  prospect_id: number;
  user_id: number;
  action: 'undone' | 'corrected' | 'deleted';
  before: string;
  after: string | null;
  at: number;
}

/** A note on a prospect's timeline (migration 027): a record, not a touch. */
export interface Note {
  id: number;
  workspace_id: number;
  prospect_id: number;
  user_id: number;
  body: string;
  created_at: number;
  edited_at: number | null;
}

/** An edit or deletion of a note: who, when, and the text it had. */
export interface NoteChange {
  id: number;
  workspace_id: number;
  note_id: number;
  prospect_id: number;
  user_id: number;
  action: 'edited' | 'deleted';
  before: string;
  at: number;
}

export interface Block {
  id: number;
  user_id: number;
  weekday: number;
  start: string;
  minutes: number;
  created_at: number;
}

export type TlsMode = 'tls' | 'starttls' | 'none';
export const TLS_MODES: readonly TlsMode[] = ['tls', 'starttls', 'none'];
/** How a mailbox signs in to its servers: a password, or a provider's OAuth2 sign-in (XOAUTH2). */
export type MailboxAuth = 'password' | OAuthProvider;
/** Why a mailbox's sending is paused: refusals on the sending side, complaints, a revoked grant, or by hand. */
export type PauseKind = 'sender' | 'complaints' | 'grant' | 'hand';

export interface Mailbox {
  id: number;
  workspace_id: number;
  user_id: number;
  smtp_host: string;
  smtp_port: number;
  smtp_tls: TlsMode;
  smtp_user: string;
  imap_host: string | null;
  imap_port: number | null;
  imap_tls: TlsMode | null;
  imap_user: string | null;
  /** 'password', or the OAuth2 provider it signs in with (migration 020). */
  auth: MailboxAuth;
  /** The password, or the OAuth2 tokens as JSON (auth ≠ 'password'), encrypted with the workspace key (the Secrets port). */
  secret: string;
  from_name: string;
  from_address: string;
  /** https base for one-click unsubscribe links (RFC 8058); null: mailto only. */
  unsubscribe_url: string | null;
  daily_limit: number;
  min_spacing_seconds: number;
  /** 1: Tally appends a copy of each sent mail to Sent; 0: the server files it (migration 007). */
  append_sent: number;
  /** JSON: { folder: { uidValidity, lastUid } }. */
  sync_state: Json;
  /** Mail that arrived before this instant is never read (first sync, and after a UIDVALIDITY change); migration 011. */
  read_since: number | null;
  /** JSON: the running or last sync's counts (SyncProgress). */
  sync_progress: Json;
  /** Sending paused after repeated sender-side refusals (migration 012); null: sending. */
  paused_at: number | null;
  paused_reason: string | null;
  /** What the pause is for (migration 020); null when sending. */
  paused_kind: PauseKind | null;
  /** An optional DKIM key, JSON { domain, selector, sealedKey } (the private key sealed) (migration 020). */
  dkim: string | null;
  /** When its warm-up started: the daily limit ramps from there to `daily_limit` (migration 020); null: none. */
  warmup_from: number | null;
  created_at: number;
  updated_at: number;
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';
/** 'step' (a cadence step) or 'retry' (the same mail again after a soft bounce). */
export type OutboxPurpose = 'step' | 'retry';

export interface OutboxRow {
  id: number;
  workspace_id: number;
  mailbox_id: number;
  enrollment_id: number;
  step_index: number;
  prospect_id: number;
  to_address: string;
  message_id: string;
  subject: string;
  text_body: string;
  /** '' when the mail is plain text only. */
  html_body: string;
  /** 1: the rep reviewed and sent it from the queue (counts towards a step going automatic). */
  by_hand: number;
  /**
   * Sent from the queue: the hold key of the touch logged for it (already in the tally), while it
   * waits out the undo window; undoing the touch deletes the row. The sender logs no second touch.
   */
  hold_key: string | null;
  in_reply_to: string | null;
  thread_references: string | null;
  /** JSON: extra headers. */
  headers: Json;
  status: OutboxStatus;
  purpose: OutboxPurpose;
  attempts: number;
  send_after: number;
  sending_at: number | null;
  sent_at: number | null;
  smtp_response: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export interface EmailThread {
  id: number;
  enrollment_id: number;
  message_id: string;
  subject: string;
  created_at: number;
}

export interface InboundMessage {
  id: number;
  workspace_id: number;
  mailbox_id: number;
  folder: string;
  uidvalidity: string;
  uid: number;
  message_id: string;
  class: InboundClass;
  /** JSON: the classifier's evidence. */
  evidence: Json;
  from_address: string | null;
  subject: string | null;
  prospect_id: number | null;
  enrollment_id: number | null;
  outbox_id: number | null;
  action: string;
  received_at: number;
  /** When the message says it was written (Date header, else arrival); null on rows before migration 011. */
  written_at: number | null;
  /** What it did, in words (a sender-side refusal: the warning for the rep); migration 012. */
  detail: string | null;
  created_at: number;
  /** JSON: the classifier's reading (core/inbound/review.ts Reading); migration 016. */
  reading: Json | null;
  /** JSON: the headers a labelled example keeps. */
  headers: Json | null;
  /** The message's new text (quoted history cut). */
  text: string | null;
  /** What the message waits for from the rep until `decided_at`: a decision, or the acknowledgement of a reply or meeting. */
  review: ReviewKind | null;
  /** The rep's decision (core REVIEW_DECISIONS), or "confirmed". */
  decision: string | null;
  decided_by: number | null;
  decided_at: number | null;
}

/** The owner of a cadence paused by the company-wide stop is told (migration 016). */
export interface InboundNotice {
  id: number;
  workspace_id: number;
  user_id: number;
  prospect_id: number;
  inbound_id: number;
  text: string;
  created_at: number;
  seen_at: number | null;
}

export interface Session {
  id: number;
  user_id: number;
  token_hash: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  /** Last request on it, to the minute (migration 009). */
  last_seen_at: number | null;
  /** The browser that signed in, shortened, for the list of sessions. */
  user_agent: string | null;
}

/** A rep's private calendar subscription: the hash of the token in its URL (migration 019). */
export interface CalendarFeed {
  id: number;
  user_id: number;
  token_hash: string;
  created_at: number;
}

export interface Invite {
  id: number;
  workspace_id: number;
  email: string;
  name: string;
  role: Role;
  token_hash: string;
  invited_by: number;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

export interface ApiToken {
  id: number;
  user_id: number;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** null: made before tokens expired (migration 009); treated as expiring 90 days after creation. */
  expires_at: number | null;
}

export interface PasswordReset {
  id: number;
  user_id: number;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SignInFailures {
  /** "account:<email>" or "address:<ip>". */
  key: string;
  failures: number;
  last_at: number;
  locked_until: number;
}

export interface SetupCode {
  id: number;
  code_hash: string;
  created_at: number;
}

export interface PlaybookObjectionRow {
  id: number;
  workspace_id: number;
  key: string;
  objection: string;
  answer: string;
  /** JSON list of lowercase tags. */
  tags: Json;
  channel: Channel | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

export interface PlaybookValueItemRow {
  id: number;
  workspace_id: number;
  key: string;
  kind: ValueItemKind;
  title: string;
  summary: string;
  url: string | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

export interface Webhook {
  id: number;
  workspace_id: number;
  url: string;
  /** JSON: the event names subscribed to. */
  events: Json;
  /** The signing secret, encrypted with the workspace key (the Secrets port). */
  secret: string;
  active: number;
  created_by: number;
  created_at: number;
  updated_at: number;
}

export type WebhookDeliveryStatus = DeliveryStatus;

export interface WebhookDelivery {
  id: number;
  webhook_id: number;
  workspace_id: number;
  event_id: string;
  event_type: string;
  /** The exact JSON body sent and signed. */
  payload: Json;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
  /** Held back for an undo window under this key (the touch's): cancelled when the touch is undone. */
  hold_key: string | null;
}

/** The rep's words for a fill-in slot or a missing variable of a cadence step (migration 014-step-copy). */
export interface SlotFill {
  id: number;
  workspace_id: number;
  cadence_id: number;
  step_index: number;
  /** slotKey(label) for a slot, "{{company}}" for a variable. */
  slot: string;
  /** null: for every prospect of the cadence step. */
  prospect_id: number | null;
  text: string;
  created_by: number | null;
  created_at: number;
}

/**
 * Something the scheduler must look at again on its next tick, queued by the write that changed
 * it, in the same transaction (migration 010): an enrollment, a prospect (all their enrollments),
 * a company (everyone there) or, with none set, the whole workspace (a settings change).
 */
export interface SchedulerEvent {
  id: number;
  workspace_id: number;
  enrollment_id: number | null;
  prospect_id: number | null;
  company_id: number | null;
  /** What changed: 'enrollment', 'touch', 'prospect', 'settings'. */
  cause: SchedulerCause;
}

export type SchedulerCause = 'enrollment' | 'touch' | 'prospect' | 'settings';

/** Why a touch due within the scheduler's horizon is held back, as its last tick found (migration 010). */
export interface EnrollmentHold {
  enrollment_id: number;
  workspace_id: number;
  /** When the hold lifts; null: never. */
  held_until: number | null;
  /**
   * The rules behind it, "min_gap,quiet_hours". Their words are not kept (migration 032): the queue,
   * the planner and `tally today` word a hold when they show it, with the names and the clock of then.
   */
  held_rules: string;
}

/** Where the workspace's scheduler stands: its last tick and the horizon that tick covered. */
export interface SchedulerState {
  workspace_id: number;
  horizon_until: number;
  ticked_at: number;
}
