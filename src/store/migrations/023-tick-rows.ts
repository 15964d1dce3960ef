// The scheduler's tick rows (migrations/tick-rows-sql.ts): what the tick needs of each due
// enrollment, in due order, kept by triggers in the transaction of each write. The tick used to read
// the enrollment, its prospect and the prospect's touch history by three random page reads per due
// enrollment (docs/benchmarks.md, tick); here a range of due times is a run of consecutive rows.
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  let table = db.schema
    .createTable('tick_rows')
    .addColumn('workspace_id', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('enrollment_id', 'integer', (c) => c.notNull())
    .addColumn('prospect_id', 'integer', (c) => c.notNull())
    .addColumn('company_id', 'integer')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('step_index', 'integer', (c) => c.notNull())
    .addColumn('cadence_version_id', 'integer', (c) => c.notNull())
    .addColumn('timezone', 'text')
    // 1 opted out, 2 do not contact, 4 bad email address (tick-rows-sql.ts flagsOf).
    .addColumn('flags', 'integer', (c) => c.notNull())
    // The prospect's recent touch times, "1,2,3" (tick-rows-sql.ts TICK_TOUCHES_KEPT_MS).
    .addColumn('touches', 'text')
    // The recent touch times of everyone at the company (TICK_COMPANY_TOUCHES_KEPT_MS).
    .addColumn('company_touches', 'text')
    // (Until migration 034, the prospect's and the company's names too: a database made since has never had them.)
    .addPrimaryKeyConstraint('tick_rows_pk', ['workspace_id', 'due_at', 'enrollment_id']);
  if (d.clusteredTables) table = table.modifyEnd(sql`without rowid`);
  await table.execute();
  // Filled in key order before the other indexes exist (each is then built in one sort), then kept by the triggers.
  await sql.raw(d.tickRows.fill).execute(db);
  await db.schema.createIndex('tick_rows_enrollment').unique().on('tick_rows').column('enrollment_id').execute();
  await db.schema.createIndex('tick_rows_prospect').on('tick_rows').column('prospect_id').execute();
  await db.schema.createIndex('tick_rows_company').on('tick_rows').column('company_id').execute();
  await d.tickRows.install(db);
}

export async function down(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await d.tickRows.remove(db);
  await db.schema.dropTable('tick_rows').ifExists().execute();
}
