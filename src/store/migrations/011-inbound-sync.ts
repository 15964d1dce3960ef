// Mailbox sync on real inboxes (issue 16): where a mailbox's reading starts, the progress of its
// last sync, and the message's own date on what was read.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // "Read mail since": a first sync (or one after a UIDVALIDITY change) reads nothing older.
  // Mailboxes added before this version start from when they were added.
  await db.schema.alterTable('mailboxes').addColumn('read_since', 'bigint').execute();
  await sql`update mailboxes set read_since = created_at`.execute(db);
  // JSON: the counts of the running or last sync (read, fetched, skipped, applied), for the CLI and the web app.
  await db.schema.alterTable('mailboxes').addColumn('sync_progress', 'text', (c) => c.notNull().defaultTo('{}')).execute();
  // When the message says it was written (its Date header, else the server's arrival time).
  await db.schema.alterTable('inbound_messages').addColumn('written_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_messages').dropColumn('written_at').execute();
  await db.schema.alterTable('mailboxes').dropColumn('sync_progress').execute();
  await db.schema.alterTable('mailboxes').dropColumn('read_since').execute();
}
