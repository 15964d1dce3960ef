// Undo and correction of touches (issue 17). A touch logged from the queue keeps, for the undo
// window, what undoing it restores (the enrollment as it was) and the key its webhook deliveries
// are held under; those deliveries wait out the window so an undo can cancel them. Every undo,
// correction or deletion is written to touch_changes: who, when, and what the touch was.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  // JSON { key, until, enrollment } while the touch can be undone; null otherwise.
  await db.schema.alterTable('touches').addColumn('undo', 'text').execute();
  await db.schema.alterTable('webhook_deliveries').addColumn('hold_key', 'text').execute();
  await db.schema.createIndex('webhook_deliveries_hold').on('webhook_deliveries').column('hold_key').execute();
  await db.schema
    .createTable('touch_changes')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // No reference: a deleted touch's record outlives it.
    .addColumn('touch_id', 'integer', (c) => c.notNull())
    .addColumn('prospect_id', 'integer', (c) => c.notNull().references('prospects.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // undone | corrected | deleted
    .addColumn('action', 'text', (c) => c.notNull())
    // JSON: the touch as it was (channel, outcome, note, occurred_at, user_id), and after a correction what it became.
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('after', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('touch_changes_prospect').on('touch_changes').columns(['prospect_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('touch_changes').execute();
  await db.schema.dropIndex('webhook_deliveries_hold').execute();
  await db.schema.alterTable('webhook_deliveries').dropColumn('hold_key').execute();
  await db.schema.alterTable('touches').dropColumn('undo').execute();
}
