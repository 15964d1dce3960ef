// Notes on a prospect's timeline (issue 18). A note is a record, not a touch: it is not in the
// tally, does not move a cadence and is in no touch metric or touch webhook. Its author or a
// manager may edit or delete it; each change is kept in note_changes (who, when, the text it had),
// as touch_changes keeps touches' corrections. Both go with the prospect (erase on request).
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('notes')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('prospect_id', 'integer', (c) => c.notNull().references('prospects.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // null until edited
    .addColumn('edited_at', 'bigint')
    .execute();
  await db.schema.createIndex('notes_prospect').on('notes').columns(['prospect_id', 'created_at']).execute();
  await db.schema
    .createTable('note_changes')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // No reference: a deleted note's record outlives it.
    .addColumn('note_id', 'integer', (c) => c.notNull())
    .addColumn('prospect_id', 'integer', (c) => c.notNull().references('prospects.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // edited | deleted
    .addColumn('action', 'text', (c) => c.notNull())
    // The text before the change.
    .addColumn('before', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('note_changes_prospect').on('note_changes').columns(['prospect_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('note_changes').execute();
  await db.schema.dropTable('notes').execute();
}
