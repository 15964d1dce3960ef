// PostgreSQL's triggers keeping the tick rows (migrations/tick-rows-sql.ts) in step with
// enrollments, prospects and touches, in the transaction of the write.
import { sql, type Kysely } from 'kysely';
import type { TickRowsDialect } from '../migrations/dialect.ts';
import { ENROLLMENT_COLUMNS, PROSPECT_COLUMNS, RETIRED_TRIGGER, TICK_ROW_COLUMNS, changed, fillTickRows, prospectPart, tickRowsOf, touchTimes, type ListOf } from '../migrations/tick-rows-sql.ts';

const listOf: ListOf = (column) => `string_agg(${column}::text, ',')`;

/** name → body and the trigger's event list. */
const FUNCTIONS: [name: string, body: string, on: string][] = [
  [
    'tick_rows_enrollment',
    `if tg_op = 'UPDATE' and not (${changed(ENROLLMENT_COLUMNS, 'is distinct from')}) then return null; end if;
     if tg_op <> 'INSERT' then delete from tick_rows where enrollment_id = old.id; end if;
     if tg_op <> 'DELETE' then insert into tick_rows (${TICK_ROW_COLUMNS}) ${tickRowsOf(listOf, 'e.id = new.id')}; end if;`,
    `after insert or delete or update of ${ENROLLMENT_COLUMNS.join(', ')} on enrollments`,
  ],
  [
    'tick_rows_prospect',
    `if ${changed(PROSPECT_COLUMNS, 'is distinct from')} then update tick_rows set ${prospectPart(listOf, 'new')} where prospect_id = new.id; end if;`,
    `after update of ${PROSPECT_COLUMNS.join(', ')} on prospects`,
  ],
  [
    'tick_rows_touch',
    `if tg_op <> 'INSERT' then ${touchTimes(listOf, 'old')} end if;
     if tg_op <> 'DELETE' then ${touchTimes(listOf, 'new')} end if;`,
    'after insert or delete or update of prospect_id, occurred_at on touches',
  ],
];

export const postgresTickRows: TickRowsDialect = {
  async install(db: Kysely<unknown>) {
    for (const [name, body, on] of FUNCTIONS) {
      await sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`).execute(db);
      await sql.raw(`create trigger ${name} ${on} for each row execute function ${name}()`).execute(db);
    }
  },
  async remove(db: Kysely<unknown>) {
    for (const [name, , on] of FUNCTIONS) {
      await sql.raw(`drop trigger if exists ${name} on ${on.split(' on ').pop()}`).execute(db);
      await sql.raw(`drop function if exists ${name}()`).execute(db);
    }
    await sql.raw(`drop trigger if exists ${RETIRED_TRIGGER} on companies`).execute(db);
    await sql.raw(`drop function if exists ${RETIRED_TRIGGER}()`).execute(db);
  },
  fill: fillTickRows(listOf),
};
