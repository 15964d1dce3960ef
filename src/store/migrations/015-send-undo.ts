// A mail sent from the queue waits out the touch's undo window (issue 17): its outbox row is queued
// to go after the window and carries the touch's hold key, so undoing the touch deletes the row
// before anything left, as it deletes the touch's held webhook deliveries.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // The touch's hold key (touches.undo.key) while the row may still be undone; null otherwise.
  await db.schema.alterTable('outbox').addColumn('hold_key', 'text').execute();
  await db.schema.createIndex('outbox_hold').on('outbox').column('hold_key').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_hold').execute();
  await db.schema.alterTable('outbox').dropColumn('hold_key').execute();
}
