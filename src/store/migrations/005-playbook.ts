// The playbook (objections and value items per workspace), the playbook references of cadence
// steps, and who saved each cadence version. Schema builder only, so both engines get the same tables.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('playbook_objections')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // Stable: cadence steps refer to it, so it never changes once made.
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('objection', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('channel', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .execute();
  await db.schema.createIndex('playbook_objections_key').on('playbook_objections').columns(['workspace_id', 'key']).unique().execute();

  await db.schema
    .createTable('playbook_value_items')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('archived_at', 'bigint')
    .execute();
  await db.schema.createIndex('playbook_value_items_key').on('playbook_value_items').columns(['workspace_id', 'key']).unique().execute();

  // The queue reads a step's references with the step itself (one join, no definition parsing).
  await db.schema.alterTable('cadence_steps').addColumn('value_item_key', 'text').execute();
  await db.schema.alterTable('cadence_steps').addColumn('objection_keys', 'text').execute();
  await db.schema.alterTable('cadence_steps').addColumn('objection_tags', 'text').execute();
  // The author of a version, shown in the cadence editor's version list (null for older versions).
  await db.schema.alterTable('cadence_versions').addColumn('created_by', 'integer').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cadence_versions').dropColumn('created_by').execute();
  for (const c of ['objection_tags', 'objection_keys', 'value_item_key']) await db.schema.alterTable('cadence_steps').dropColumn(c).execute();
  await db.schema.dropTable('playbook_value_items').execute();
  await db.schema.dropTable('playbook_objections').execute();
}
