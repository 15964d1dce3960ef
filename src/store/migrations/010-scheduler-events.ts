// Incremental scheduling (docs/scale.md): the tick reads the enrollments due within its horizon
// through an index on the due time, plus those whose situation changed, queued as events by the
// write that changed it (in its transaction).
//  - enrollments_due: the workspace's due enrollments (active or snoozed) by due time, and only
//    those: finished enrollments pile up over the years, live ones do not. PostgreSQL's entries
//    carry the id too (SQLite's carry the rowid), so the tick pages through it by (due_at, id).
//  - scheduler_events: an enrollment, a prospect, a company or (all null) the whole workspace to
//    look at again on the next tick; the tick deletes the ones it handled.
//  - scheduler_state: the horizon the workspace's last tick covered; enrollments due past it and
//    before the next horizon are the ones that enter it.
//  - enrollment_holds: the hold of each touch due within the horizon that a guardrail holds back,
//    moved out of the enrollments: a tick rewrites holds in a table the size of the horizon's work
//    (a few pages) instead of dirtying one page of the enrollments per hold. The first tick (no
//    state yet) computes every hold within its horizon, so the old columns go without a copy.
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

/** The due statuses (core/types.ts DUE_STATUSES) as a literal: a partial index is used only by queries that repeat it. */
export const DUE_INDEX_PREDICATE = "status in ('active', 'snoozed')";

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema
    .createIndex('enrollments_due')
    .on('enrollments')
    .columns(d.indexesCarryRowId ? ['workspace_id', 'due_at'] : ['workspace_id', 'due_at', 'id'])
    .where(sql.raw<SqlBool>(DUE_INDEX_PREDICATE))
    .execute();

  await db.schema
    .createTable('scheduler_events')
    .addColumn('id', d.id, (c) => c.primaryKey().notNull())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // At most one of these is set; none: every enrollment of the workspace (a settings change).
    .addColumn('enrollment_id', 'integer')
    .addColumn('prospect_id', 'integer')
    .addColumn('company_id', 'integer')
    // What changed ("enrollment", "touch", "prospect", "settings"): for logs and tests.
    .addColumn('cause', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scheduler_events_workspace').on('scheduler_events').columns(['workspace_id', 'id']).execute();

  await db.schema
    .createTable('scheduler_state')
    .addColumn('workspace_id', 'integer', (c) => c.primaryKey().notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('horizon_until', 'bigint', (c) => c.notNull())
    .addColumn('ticked_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('enrollment_holds')
    .addColumn('enrollment_id', 'integer', (c) => c.primaryKey().notNull().references('enrollments.id').onDelete('cascade'))
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // Null: never (an opt-out, a bad address for an email…).
    .addColumn('held_until', 'bigint')
    // The rules behind the hold ("min_gap,quiet_hours"): rewritten when these or held_until change,
    // not when the wording drifts with the clock ("06:05 local").
    .addColumn('held_rules', 'text', (c) => c.notNull())
    .addColumn('held_reason', 'text', (c) => c.notNull())
    .execute();
  for (const c of ['held_until', 'held_reason', 'held_rules']) await db.schema.alterTable('enrollments').dropColumn(c).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('enrollments').addColumn('held_until', 'bigint').execute();
  await db.schema.alterTable('enrollments').addColumn('held_reason', 'text').execute();
  await db.schema.alterTable('enrollments').addColumn('held_rules', 'text').execute();
  await db.schema.dropTable('enrollment_holds').ifExists().execute();
  await db.schema.dropTable('scheduler_state').ifExists().execute();
  await db.schema.dropTable('scheduler_events').ifExists().execute();
  await db.schema.dropIndex('enrollments_due').ifExists().execute();
}
