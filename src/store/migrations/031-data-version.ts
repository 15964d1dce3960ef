// The workspace's data version (issue 20): a number that every change to what the queue keeps
// between calls moves on — the playbook's objections and value items, and the drafts' sender of
// each mailbox (its name, address, unsubscribe link). Triggers bump it in the transaction of the
// change, whichever code (or person at a SQL prompt) makes it, so a server process can keep those
// rows in memory and check one number, read with the queue's counts, instead of reading them again:
// correct with any number of server processes, with no expiry by time.
import type { Kysely } from 'kysely';
import type { SchemaDialect, VersionedTable } from './dialect.ts';

export const VERSIONED: readonly VersionedTable[] = [
  { table: 'playbook_objections' },
  { table: 'playbook_value_items' },
  { table: 'mailboxes', columns: ['workspace_id', 'user_id', 'from_name', 'from_address', 'unsubscribe_url'] },
];

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema.alterTable('workspaces').addColumn('data_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await d.dataVersion.install(db, VERSIONED);
}

export async function down(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await d.dataVersion.remove(db, VERSIONED);
  await db.schema.alterTable('workspaces').dropColumn('data_version').execute();
}
