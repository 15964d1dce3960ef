// PostgreSQL's triggers moving a workspace's data version on (migration 031), in the transaction of the write.
import { sql, type Kysely } from 'kysely';
import type { DataVersionDialect } from '../migrations/dialect.ts';

const FUNCTION = 'workspace_data_version';
const trigger = (table: string) => `${FUNCTION}_${table}`;

export const postgresDataVersion: DataVersionDialect = {
  async install(db, tables) {
    // A row's workspace never changes: the new row's on insert, the old row's otherwise.
    await sql.raw(`create function ${FUNCTION}() returns trigger language plpgsql as $$ begin
      update workspaces set data_version = data_version + 1 where id = case when tg_op = 'INSERT' then new.workspace_id else old.workspace_id end;
      return null; end $$`).execute(db);
    for (const { table, columns } of tables) {
      const update = columns ? `update of ${columns.join(', ')}` : 'update';
      await sql.raw(`create trigger ${trigger(table)} after insert or delete or ${update} on ${table} for each row execute function ${FUNCTION}()`).execute(db);
    }
  },
  async remove(db: Kysely<unknown>, tables) {
    for (const { table } of tables) await sql.raw(`drop trigger if exists ${trigger(table)} on ${table}`).execute(db);
    await sql.raw(`drop function if exists ${FUNCTION}()`).execute(db);
  },
};
