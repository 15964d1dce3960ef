// Foundation schema. Written with Kysely's schema builder only, so the same migration
// produces the SQLite and the PostgreSQL schema.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema
    .createTable('workspaces')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sqlIn('role', ['rep', 'manager'])))
    .addColumn('password_hash', 'text')
    .addColumn('timezone', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('users_workspace_email', ['workspace_id', 'email'])
    .execute();

  await db.schema
    .createTable('companies')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('domain', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('companies_workspace_name', ['workspace_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('prospects')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('phone', 'text')
    .addColumn('title', 'text')
    .addColumn('company_id', 'integer', (c) => c.references('companies.id'))
    .addColumn('timezone', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('custom', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('opted_out_at', 'bigint')
    .addColumn('do_not_contact', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('email_status', 'text', (c) => c.notNull().defaultTo('ok'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('prospects_workspace_email', ['workspace_id', 'email_key'])
    .execute();
  await db.schema.createIndex('prospects_owner').on('prospects').columns(['owner_id', 'id']).execute();
  await db.schema.createIndex('prospects_company').on('prospects').column('company_id').execute();

  await db.schema
    .createTable('cadences')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('cadences_workspace_name', ['workspace_id', 'name_key'])
    .execute();

  await db.schema
    .createTable('cadence_versions')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('cadence_id', 'integer', (c) => c.notNull().references('cadences.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('cadence_versions_number', ['cadence_id', 'version'])
    .execute();

  await db.schema
    .createTable('cadence_steps')
    .addColumn('cadence_version_id', 'integer', (c) => c.notNull().references('cadence_versions.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('delay_amount', d.float, (c) => c.notNull())
    .addColumn('delay_unit', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('template', 'text')
    .addColumn('value_item', 'text', (c) => c.notNull())
    .addColumn('talking_points', 'text', (c) => c.notNull())
    .addColumn('new_thread', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('cadence_steps_pk', ['cadence_version_id', 'position'])
    .execute();

  await db.schema
    .createTable('enrollments')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('prospect_id', 'integer', (c) => c.notNull().references('prospects.id').onDelete('cascade'))
    .addColumn('cadence_id', 'integer', (c) => c.notNull().references('cadences.id'))
    .addColumn('cadence_version_id', 'integer', (c) => c.notNull().references('cadence_versions.id'))
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    // Copied from the prospect so the queue can be ordered from the index alone.
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text')
    .addColumn('touches', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_touch_at', 'bigint')
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // The queue: a rep's live enrollments by due time.
  await db.schema.createIndex('enrollments_queue').on('enrollments').columns(['owner_id', 'status', 'due_at', 'priority']).execute();
  await db.schema.createIndex('enrollments_prospect').on('enrollments').columns(['prospect_id', 'status']).execute();

  await db.schema
    .createTable('touches')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('prospect_id', 'integer', (c) => c.notNull().references('prospects.id').onDelete('cascade'))
    .addColumn('company_id', 'integer', (c) => c.references('companies.id'))
    .addColumn('enrollment_id', 'integer', (c) => c.references('enrollments.id').onDelete('set null'))
    .addColumn('step_index', 'integer')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('touches_prospect').on('touches').columns(['prospect_id', 'occurred_at']).execute();
  await db.schema.createIndex('touches_company').on('touches').columns(['company_id', 'occurred_at']).execute();
  await db.schema.createIndex('touches_user').on('touches').columns(['user_id', 'occurred_at']).execute();

  await db.schema
    .createTable('blocks')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('weekday', 'integer', (c) => c.notNull())
    .addColumn('start', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['blocks', 'touches', 'enrollments', 'cadence_steps', 'cadence_versions', 'cadences', 'prospects', 'companies', 'users', 'workspaces']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}

function sqlIn(column: string, values: string[]) {
  // Literal list from this file only, never user input.
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}
