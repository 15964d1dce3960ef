// The email channel: mailboxes (per user), the outbox, threads per enrollment, and inbound mail.
// Schema builder only (plus the dialect's id column), so SQLite and PostgreSQL get the same tables.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('mailboxes')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('smtp_host', 'text', (c) => c.notNull())
    .addColumn('smtp_port', 'integer', (c) => c.notNull())
    // 'tls' (implicit TLS), 'starttls' or 'none'
    .addColumn('smtp_tls', 'text', (c) => c.notNull())
    .addColumn('smtp_user', 'text', (c) => c.notNull())
    .addColumn('imap_host', 'text')
    .addColumn('imap_port', 'integer')
    .addColumn('imap_tls', 'text')
    .addColumn('imap_user', 'text')
    // AES-256-GCM under the workspace key ("v1:iv:tag:ciphertext"), never the password itself.
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('from_name', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('unsubscribe_url', 'text')
    .addColumn('daily_limit', 'integer', (c) => c.notNull())
    .addColumn('min_spacing_seconds', 'integer', (c) => c.notNull())
    // JSON: { "<folder>": { "uidValidity": "…", "lastUid": n } }
    .addColumn('sync_state', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mailboxes_user').on('mailboxes').column('user_id').unique().execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('mailbox_id', 'integer', (c) => c.notNull().references('mailboxes.id'))
    .addColumn('enrollment_id', 'integer', (c) => c.notNull().references('enrollments.id'))
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('prospect_id', 'integer', (c) => c.notNull().references('prospects.id'))
    .addColumn('to_address', 'text', (c) => c.notNull())
    // Fixed at render time: the same mail always carries the same Message-ID.
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('thread_references', 'text')
    // JSON: extra headers (List-Unsubscribe, List-Unsubscribe-Post).
    .addColumn('headers', 'text', (c) => c.notNull().defaultTo('{}'))
    // queued → sending → sent | failed; a soft bounce may queue a sent row again (purpose 'retry').
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull().defaultTo('step'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('send_after', 'bigint', (c) => c.notNull())
    .addColumn('sending_at', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('smtp_response', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // The idempotency key: one mail per enrollment step, however often the sender runs.
  await db.schema.createIndex('outbox_step').on('outbox').columns(['enrollment_id', 'step_index']).unique().execute();
  await db.schema.createIndex('outbox_message_id').on('outbox').column('message_id').unique().execute();
  await db.schema.createIndex('outbox_mailbox_status').on('outbox').columns(['mailbox_id', 'status', 'send_after']).execute();

  await db.schema
    .createTable('email_threads')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('enrollment_id', 'integer', (c) => c.notNull().references('enrollments.id'))
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('email_threads_enrollment').on('email_threads').column('enrollment_id').unique().execute();

  await db.schema
    .createTable('inbound_messages')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id'))
    .addColumn('mailbox_id', 'integer', (c) => c.notNull().references('mailboxes.id'))
    .addColumn('folder', 'text', (c) => c.notNull())
    .addColumn('uidvalidity', 'text', (c) => c.notNull())
    .addColumn('uid', 'bigint', (c) => c.notNull())
    // The message's Message-ID, or a digest of its bytes when it has none.
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('class', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text')
    .addColumn('prospect_id', 'integer', (c) => c.references('prospects.id'))
    .addColumn('enrollment_id', 'integer', (c) => c.references('enrollments.id'))
    .addColumn('outbox_id', 'integer', (c) => c.references('outbox.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('inbound_uid').on('inbound_messages').columns(['mailbox_id', 'folder', 'uidvalidity', 'uid']).unique().execute();
  // A rescan after a UIDVALIDITY change meets the same messages under new UIDs: applied once.
  await db.schema.createIndex('inbound_message_id').on('inbound_messages').columns(['mailbox_id', 'message_id']).unique().execute();
  await db.schema.createIndex('inbound_prospect').on('inbound_messages').columns(['prospect_id', 'class']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['inbound_messages', 'email_threads', 'outbox', 'mailboxes']) await db.schema.dropTable(t).ifExists().execute();
}
