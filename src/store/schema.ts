// Table shapes as Kysely sees them. Times are epoch milliseconds (bigint columns);
// booleans are 0/1 integers and JSON is text, so both SQLite and PostgreSQL store them alike.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Id = Generated<number>;
type Json = string;

export interface WorkspacesTable {
  id: Id;
  name: string;
  timezone: string;
  /** JSON: guardrails, windows, holidays, minutes per channel. */
  settings: ColumnType<Json, Json | undefined, Json>;
  created_at: number;
}

export interface UsersTable {
  id: Id;
  workspace_id: number;
  email: string;
  name: string;
  role: 'rep' | 'manager';
  password_hash: string | null;
  timezone: string | null;
  created_at: number;
}

export interface CompaniesTable {
  id: Id;
  workspace_id: number;
  name: string;
  name_key: string;
  domain: string | null;
  created_at: number;
}

export interface ProspectsTable {
  id: Id;
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
  priority: ColumnType<number, number | undefined, number>;
  custom: ColumnType<Json, Json | undefined, Json>;
  opted_out_at: number | null;
  do_not_contact: ColumnType<number, number | undefined, number>;
  email_status: ColumnType<'ok' | 'bad', 'ok' | 'bad' | undefined, 'ok' | 'bad'>;
  created_at: number;
  updated_at: number;
}

export interface CadencesTable {
  id: Id;
  workspace_id: number;
  name: string;
  name_key: string;
  current_version: number;
  created_at: number;
}

export interface CadenceVersionsTable {
  id: Id;
  cadence_id: number;
  version: number;
  /** JSON: the full CadenceDefinition as validated. */
  definition: Json;
  created_at: number;
}

export interface CadenceStepsTable {
  cadence_version_id: number;
  position: number;
  channel: string;
  delay_amount: number;
  delay_unit: string;
  name: string;
  subject: string | null;
  template: string | null;
  value_item: string;
  talking_points: Json;
  new_thread: number;
}

export interface EnrollmentsTable {
  id: Id;
  workspace_id: number;
  prospect_id: number;
  cadence_id: number;
  cadence_version_id: number;
  owner_id: number;
  status: string;
  step_index: number;
  due_at: number | null;
  priority: ColumnType<number, number | undefined, number>;
  reason: string | null;
  touches: number;
  last_touch_at: number | null;
  started_at: number;
  ended_at: number | null;
  updated_at: number;
  /** Set by the scheduler tick when a guardrail holds the due touch. */
  held_until: number | null;
  held_reason: string | null;
  held_rules: string | null;
  nurture: 'accepted' | 'declined' | null;
  follows_enrollment_id: number | null;
}

export interface TouchesTable {
  id: Id;
  workspace_id: number;
  prospect_id: number;
  company_id: number | null;
  enrollment_id: number | null;
  step_index: number | null;
  user_id: number;
  channel: string;
  outcome: string;
  note: string | null;
  occurred_at: number;
  message_id: string | null;
  created_at: number;
}

export interface BlocksTable {
  id: Id;
  user_id: number;
  weekday: number;
  start: string;
  minutes: number;
  created_at: number;
}

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  companies: CompaniesTable;
  prospects: ProspectsTable;
  cadences: CadencesTable;
  cadence_versions: CadenceVersionsTable;
  cadence_steps: CadenceStepsTable;
  enrollments: EnrollmentsTable;
  touches: TouchesTable;
  blocks: BlocksTable;
}

export type Workspace = Selectable<WorkspacesTable>;
export type User = Selectable<UsersTable>;
export type Prospect = Selectable<ProspectsTable>;
export type NewProspect = Insertable<ProspectsTable>;
export type ProspectUpdate = Updateable<ProspectsTable>;
export type Enrollment = Selectable<EnrollmentsTable>;
export type Touch = Selectable<TouchesTable>;
export type CadenceStepRow = Selectable<CadenceStepsTable>;

// ---------------------------------------------------------------------------------------------
// The email channel (migration 003-mail). Declared as a merge of `Database` so this block stays
// apart from the tables above.

export interface MailboxesTable {
  id: Id;
  workspace_id: number;
  user_id: number;
  smtp_host: string;
  smtp_port: number;
  /** 'tls' (implicit TLS), 'starttls' or 'none'. */
  smtp_tls: string;
  smtp_user: string;
  imap_host: string | null;
  imap_port: number | null;
  imap_tls: string | null;
  imap_user: string | null;
  /** The password, encrypted with the workspace key (src/mail/secrets.ts). */
  secret: string;
  from_name: string;
  from_address: string;
  /** https base for one-click unsubscribe links (RFC 8058); null: mailto only. */
  unsubscribe_url: string | null;
  daily_limit: number;
  min_spacing_seconds: number;
  /** 1: Tally appends a copy of each sent mail to Sent; 0: the server files it (migration 007). */
  append_sent: ColumnType<number, number | undefined, number>;
  /** JSON: { folder: { uidValidity, lastUid } }. */
  sync_state: ColumnType<Json, Json | undefined, Json>;
  created_at: number;
  updated_at: number;
}

export type OutboxStatus = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxTable {
  id: Id;
  workspace_id: number;
  mailbox_id: number;
  enrollment_id: number;
  step_index: number;
  prospect_id: number;
  to_address: string;
  message_id: string;
  subject: string;
  text_body: string;
  html_body: string;
  in_reply_to: string | null;
  thread_references: string | null;
  /** JSON: extra headers. */
  headers: ColumnType<Json, Json | undefined, Json>;
  status: OutboxStatus;
  /** 'step' (a cadence step) or 'retry' (the same mail again after a soft bounce). */
  purpose: ColumnType<'step' | 'retry', 'step' | 'retry' | undefined, 'step' | 'retry'>;
  attempts: ColumnType<number, number | undefined, number>;
  send_after: number;
  sending_at: number | null;
  sent_at: number | null;
  smtp_response: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

export interface EmailThreadsTable {
  id: Id;
  enrollment_id: number;
  message_id: string;
  subject: string;
  created_at: number;
}

export interface InboundMessagesTable {
  id: Id;
  workspace_id: number;
  mailbox_id: number;
  folder: string;
  uidvalidity: string;
  uid: number;
  message_id: string;
  class: string;
  /** JSON: the classifier's evidence. */
  evidence: Json;
  from_address: string | null;
  subject: string | null;
  prospect_id: number | null;
  enrollment_id: number | null;
  outbox_id: number | null;
  action: string;
  received_at: number;
  created_at: number;
}

export interface Database {
  mailboxes: MailboxesTable;
  outbox: OutboxTable;
  email_threads: EmailThreadsTable;
  inbound_messages: InboundMessagesTable;
}

export type Mailbox = Selectable<MailboxesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type InboundMessageRow = Selectable<InboundMessagesTable>;

// ---------------------------------------------------------------------------------------------
// Accounts for the web API (migration 004-accounts). Secrets are stored as SHA-256 hashes.

export interface SessionsTable {
  id: Id;
  user_id: number;
  token_hash: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface InvitesTable {
  id: Id;
  workspace_id: number;
  email: string;
  name: string;
  role: 'rep' | 'manager';
  token_hash: string;
  invited_by: number;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

export interface ApiTokensTable {
  id: Id;
  user_id: number;
  name: string;
  prefix: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface Database {
  sessions: SessionsTable;
  invites: InvitesTable;
  api_tokens: ApiTokensTable;
}

// ---------------------------------------------------------------------------------------------
// The playbook (migration 005-playbook): objections and value items that cadence steps reference
// by key. Tags are a JSON list of lowercase strings; archived entries keep their key.

export interface PlaybookObjectionsTable {
  id: Id;
  workspace_id: number;
  key: string;
  objection: string;
  answer: string;
  tags: ColumnType<Json, Json | undefined, Json>;
  channel: string | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

export interface PlaybookValueItemsTable {
  id: Id;
  workspace_id: number;
  key: string;
  kind: string;
  title: string;
  summary: string;
  url: string | null;
  created_by: number | null;
  created_at: number;
  updated_at: number;
  archived_at: number | null;
}

/** A step's playbook references, next to the step (JSON lists; null when none). */
export interface CadenceStepsTable {
  value_item_key: string | null;
  objection_keys: Json | null;
  objection_tags: Json | null;
}

export interface CadenceVersionsTable {
  created_by: number | null;
}

export interface Database {
  playbook_objections: PlaybookObjectionsTable;
  playbook_value_items: PlaybookValueItemsTable;
}

// ---------------------------------------------------------------------------------------------
// Outgoing webhooks (migration 006-webhooks): endpoints and the outbox of their deliveries.

export interface WebhooksTable {
  id: Id;
  workspace_id: number;
  url: string;
  /** JSON: the event names subscribed to. */
  events: Json;
  /** The signing secret, encrypted with the workspace key (src/mail/secrets.ts). */
  secret: string;
  active: ColumnType<number, number | undefined, number>;
  created_by: number;
  created_at: number;
  updated_at: number;
}

export type WebhookDeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: Id;
  webhook_id: number;
  workspace_id: number;
  event_id: string;
  event_type: string;
  /** The exact JSON body sent and signed. */
  payload: Json;
  status: WebhookDeliveryStatus;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number;
  claimed_until: number | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface Database {
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

export type Webhook = Selectable<WebhooksTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
