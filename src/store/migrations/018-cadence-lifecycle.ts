// Cadence lifecycle and imports like the CRMs export (issue 18):
// - cadences.archived_at: an archived cadence takes no new enrollments; live ones finish;
// - prospects.timezone_inferred: the zone was inferred from the country, state or phone number
//   of an import (shown as "inferred" until someone sets it);
// - prospect_imports and prospects.import_id: which import last wrote a prospect, so the board can
//   show "Last import" and the import dialog can enroll exactly the rows it just imported.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema.alterTable('cadences').addColumn('archived_at', 'bigint').execute();
  await db.schema.alterTable('prospects').addColumn('timezone_inferred', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('prospect_imports')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('prospect_imports_user').on('prospect_imports').columns(['workspace_id', 'user_id', 'id']).execute();
  await db.schema.alterTable('prospects').addColumn('import_id', 'integer').execute();
  await db.schema.createIndex('prospects_import').on('prospects').columns(['import_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('prospects_import').execute();
  await db.schema.alterTable('prospects').dropColumn('import_id').execute();
  await db.schema.dropTable('prospect_imports').execute();
  await db.schema.alterTable('prospects').dropColumn('timezone_inferred').execute();
  await db.schema.alterTable('cadences').dropColumn('archived_at').execute();
}
