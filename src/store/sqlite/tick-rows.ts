// SQLite's triggers keeping the tick rows (migrations/tick-rows-sql.ts) in step with enrollments,
// prospects and touches, in the transaction of the write.
import { sql, type Kysely } from 'kysely';
import type { TickRowsDialect } from '../migrations/dialect.ts';
import { ENROLLMENT_COLUMNS, PROSPECT_COLUMNS, RETIRED_TRIGGER, TICK_ROW_COLUMNS, changed, fillTickRows, prospectPart, tickRowsOf, touchTimes, type ListOf } from '../migrations/tick-rows-sql.ts';

const listOf: ListOf = (column) => `group_concat(${column})`;
const TRIGGERS = ['tick_rows_enrollment_insert', 'tick_rows_enrollment_update', 'tick_rows_enrollment_delete', 'tick_rows_prospect', 'tick_rows_touch_insert', 'tick_rows_touch_update', 'tick_rows_touch_delete'];
const insertFor = (id: string) => `insert into tick_rows (${TICK_ROW_COLUMNS}) ${tickRowsOf(listOf, `e.id = ${id}`)};`;

export const sqliteTickRows: TickRowsDialect = {
  async install(db: Kysely<unknown>) {
    const statements = [
      `create trigger tick_rows_enrollment_insert after insert on enrollments when new.status in ('active', 'snoozed') begin ${insertFor('new.id')} end`,
      `create trigger tick_rows_enrollment_update after update of ${ENROLLMENT_COLUMNS.join(', ')} on enrollments when ${changed(ENROLLMENT_COLUMNS, 'is not')} begin
         delete from tick_rows where enrollment_id = old.id; ${insertFor('new.id')} end`,
      'create trigger tick_rows_enrollment_delete after delete on enrollments begin delete from tick_rows where enrollment_id = old.id; end',
      `create trigger tick_rows_prospect after update of ${PROSPECT_COLUMNS.join(', ')} on prospects when ${changed(PROSPECT_COLUMNS, 'is not')} begin
         update tick_rows set ${prospectPart(listOf, 'new')} where prospect_id = new.id; end`,
      `create trigger tick_rows_touch_insert after insert on touches begin ${touchTimes(listOf, 'new')} end`,
      `create trigger tick_rows_touch_update after update of prospect_id, company_id, occurred_at on touches begin ${touchTimes(listOf, 'old')} ${touchTimes(listOf, 'new')} end`,
      `create trigger tick_rows_touch_delete after delete on touches begin ${touchTimes(listOf, 'old')} end`,
    ];
    for (const s of statements) await sql.raw(s).execute(db);
  },
  async remove(db: Kysely<unknown>) {
    for (const t of [...TRIGGERS, RETIRED_TRIGGER]) await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
  },
  fill: fillTickRows(listOf),
};
