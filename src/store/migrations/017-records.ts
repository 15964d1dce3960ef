// Prospects in the browser (issue 18): the LinkedIn profile, erasure on request with a tombstone,
// the bulk changes a rep can undo for a few seconds, and the search index.
//  - prospects.linkedin_url: the profile the LinkedIn channel's links open.
//  - erased_prospects: one salted hash of the email of each prospect erased on request (the
//    workspace's salt in workspaces.erase_salt), so an import never brings them back.
//  - bulk_changes: what a bulk enroll, pause or resume changed, kept while it can be undone.
//  - the search index: SQLite FTS5 or PostgreSQL unaccent + tsvector (the engine's dialect).
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema.alterTable('prospects').addColumn('linkedin_url', 'text').execute();
  await db.schema.alterTable('workspaces').addColumn('erase_salt', 'text').execute();
  await db.schema
    .createTable('erased_prospects')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('email_hash', 'text', (c) => c.notNull())
    .addColumn('erased_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('erased_prospects_hash', ['workspace_id', 'email_hash'])
    .execute();
  await db.schema
    .createTable('bulk_changes')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // enroll | pause | resume
    .addColumn('action', 'text', (c) => c.notNull())
    // JSON: the enrollments made (enroll) or the changed enrollments as they were (pause, resume).
    .addColumn('undo', 'text', (c) => c.notNull())
    .addColumn('undo_until', 'bigint', (c) => c.notNull())
    .addColumn('undone_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await d.prospectSearch.install(db);
}

export async function down(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await d.prospectSearch.remove(db);
  await db.schema.dropTable('bulk_changes').execute();
  await db.schema.dropTable('erased_prospects').execute();
  await db.schema.alterTable('workspaces').dropColumn('erase_salt').execute();
  await db.schema.alterTable('prospects').dropColumn('linkedin_url').execute();
}
