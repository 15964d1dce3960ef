// Table shapes as Kysely sees them, derived from the app's records (src/app/ports/records.ts): the
// row a query returns is the record the app reads, column for column, with status, outcome and
// channel columns typed by their unions. Here we only say which columns the database fills in.
import type { ColumnType, Insertable } from 'kysely';
import type * as R from '../app/ports/records.ts';

/** A column the database fills in when an insert leaves it out (a generated id, a default). */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

/** The table of a record: `D` names the columns with a generated value or a default. */
type Table<Row, D extends keyof Row = never> = { [K in keyof Row]: K extends D ? Defaulted<Row[K]> : Row[K] };

export type WorkspacesTable = Table<R.Workspace, 'id' | 'settings' | 'erase_salt' | 'oauth_clients' | 'data_version'>;
export type UsersTable = Table<R.User, 'id' | 'deactivated_at' | 'signature'>;
export type CompaniesTable = Table<R.Company, 'id'>;
export type ProspectsTable = Table<R.Prospect, 'id' | 'priority' | 'custom' | 'do_not_contact' | 'email_status' | 'timezone_inferred' | 'import_id' | 'linkedin_url'>;
export type ProspectImportsTable = Table<R.ProspectImport, 'id'>;
export type CadencesTable = Table<R.Cadence, 'id' | 'archived_at'>;
export type CadenceVersionsTable = Table<R.CadenceVersion, 'id'>;
export type CadenceStepsTable = Table<R.CadenceStepRow>;
export type EnrollmentsTable = Table<R.Enrollment, 'id' | 'priority'>;
export type TouchesTable = Table<R.Touch, 'id' | 'undo'>;
export type TouchChangesTable = Table<R.TouchChange, 'id'>;
export type BlocksTable = Table<R.Block, 'id'>;
// Notes on the timeline (migration 027-notes).
export type NotesTable = Table<R.Note, 'id' | 'edited_at'>;
export type NoteChangesTable = Table<R.NoteChange, 'id'>;
// The email channel (migration 003-mail).
export type MailboxesTable = Table<R.Mailbox, 'id' | 'append_sent' | 'sync_state' | 'sync_progress' | 'paused_at' | 'paused_reason' | 'paused_kind' | 'auth' | 'dkim' | 'warmup_from'>;
export type OutboxTable = Table<R.OutboxRow, 'id' | 'headers' | 'purpose' | 'attempts' | 'by_hand' | 'hold_key'>;
export type EmailThreadsTable = Table<R.EmailThread, 'id'>;
export type InboundMessagesTable = Table<R.InboundMessage, 'id' | 'detail' | 'reading' | 'headers' | 'text' | 'review' | 'decision' | 'decided_by' | 'decided_at'>;
export type InboundNoticesTable = Table<R.InboundNotice, 'id' | 'seen_at'>;
// Accounts for the web API (migration 004-accounts). Secrets are stored as SHA-256 hashes.
export type SessionsTable = Table<R.Session, 'id' | 'last_seen_at' | 'user_agent'>;
export type InvitesTable = Table<R.Invite, 'id'>;
export type ApiTokensTable = Table<R.ApiToken, 'id' | 'expires_at'>;
// Account security (migration 009): password resets, sign-in failures, the setup code.
export type PasswordResetsTable = Table<R.PasswordReset, 'id'>;
export type SignInFailuresTable = Table<R.SignInFailures>;
export type SetupCodesTable = Table<R.SetupCode, 'id'>;
// Settings in the browser (migration 019): the calendar feed tokens.
export type CalendarFeedsTable = Table<R.CalendarFeed, 'id'>;
// The playbook (migration 005-playbook): objections and value items that steps reference by key.
export type PlaybookObjectionsTable = Table<R.PlaybookObjectionRow, 'id' | 'tags'>;
export type PlaybookValueItemsTable = Table<R.PlaybookValueItemRow, 'id'>;
// Outgoing webhooks (migration 006-webhooks): endpoints and the outbox of their deliveries.
export type WebhooksTable = Table<R.Webhook, 'id' | 'active'>;
export type WebhookDeliveriesTable = Table<R.WebhookDelivery, 'id' | 'attempts' | 'hold_key'>;
// Incremental scheduling (migration 010-scheduler-events).
export type SchedulerEventsTable = Table<R.SchedulerEvent, 'id'>;
export type SchedulerStateTable = Table<R.SchedulerState>;
export type EnrollmentHoldsTable = Table<R.EnrollmentHold>;
/** The scheduler's copy of what it needs of each due enrollment (migration 023-tick-rows), written by triggers only. */
export interface TickRowsTable {
  workspace_id: number;
  due_at: number;
  enrollment_id: number;
  prospect_id: number;
  company_id: number | null;
  status: R.Enrollment['status'];
  step_index: number;
  cadence_version_id: number;
  timezone: string | null;
  /** 1 opted out, 2 do not contact, 4 bad email address. */
  flags: number;
  /** The prospect's recent touch times, "1,2,3". */
  touches: string | null;
  /** The recent touch times of everyone at the company, "1,2,3". */
  company_touches: string | null;
}
// The rep's words for fill-in slots (migration 014-step-copy).
export type SlotFillsTable = Table<R.SlotFill, 'id'>;
// Prospects in the browser (migration 017-records).
export type ErasedProspectsTable = Table<R.ErasedProspect, 'id'>;
export type BulkChangesTable = Table<R.BulkChange, 'id' | 'undone_at'>;

export interface Database {
  workspaces: WorkspacesTable;
  users: UsersTable;
  companies: CompaniesTable;
  prospects: ProspectsTable;
  prospect_imports: ProspectImportsTable;
  cadences: CadencesTable;
  cadence_versions: CadenceVersionsTable;
  cadence_steps: CadenceStepsTable;
  enrollments: EnrollmentsTable;
  touches: TouchesTable;
  touch_changes: TouchChangesTable;
  notes: NotesTable;
  note_changes: NoteChangesTable;
  blocks: BlocksTable;
  mailboxes: MailboxesTable;
  outbox: OutboxTable;
  email_threads: EmailThreadsTable;
  inbound_messages: InboundMessagesTable;
  inbound_notices: InboundNoticesTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  api_tokens: ApiTokensTable;
  password_resets: PasswordResetsTable;
  sign_in_failures: SignInFailuresTable;
  setup_codes: SetupCodesTable;
  calendar_feeds: CalendarFeedsTable;
  playbook_objections: PlaybookObjectionsTable;
  playbook_value_items: PlaybookValueItemsTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  scheduler_events: SchedulerEventsTable;
  scheduler_state: SchedulerStateTable;
  enrollment_holds: EnrollmentHoldsTable;
  tick_rows: TickRowsTable;
  slot_fills: SlotFillsTable;
  erased_prospects: ErasedProspectsTable;
  bulk_changes: BulkChangesTable;
}

export type NewProspect = Insertable<ProspectsTable>;
