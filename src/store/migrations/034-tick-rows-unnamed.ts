// The tick rows without the prospect's and the company's names (issue 20): they were there for the
// words of the holds the tick wrote, which migration 032 dropped. A tick row is now numbers and short
// codes only, so a tick reads fewer pages, and renaming a prospect or a company no longer rewrites
// tick rows. The triggers are reinstalled without them (a database made since 023's change never had
// the columns nor those triggers: nothing to do there).
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';
import { RETIRED_NAME_COLUMNS } from './tick-rows-sql.ts';

async function tickRowColumns(db: Kysely<unknown>): Promise<Set<string>> {
  const table = (await db.introspection.getTables()).find((t) => t.name === 'tick_rows');
  return new Set(table?.columns.map((c) => c.name) ?? []);
}

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  const columns = await tickRowColumns(db);
  const retired = RETIRED_NAME_COLUMNS.filter((c) => columns.has(c));
  // A database made since 023's change has neither the columns nor the triggers that kept them.
  if (retired.length === 0) return;
  await d.tickRows.remove(db);
  for (const c of retired) await db.schema.alterTable('tick_rows').dropColumn(c).execute();
  await d.tickRows.install(db);
}

/** The names come back filled from the prospects and companies, as of now (the triggers no longer keep them: an older version reads them as they were). */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const c of RETIRED_NAME_COLUMNS) await db.schema.alterTable('tick_rows').addColumn(c, 'text', (col) => (c === 'email' ? col.notNull().defaultTo('') : col)).execute();
  await sql`update tick_rows set first_name = (select p.first_name from prospects p where p.id = tick_rows.prospect_id), last_name = (select p.last_name from prospects p where p.id = tick_rows.prospect_id),
    email = (select p.email from prospects p where p.id = tick_rows.prospect_id), company = (select c.name from companies c where c.id = tick_rows.company_id)`.execute(db);
}
