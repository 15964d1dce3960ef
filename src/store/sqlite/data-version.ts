// SQLite's triggers moving a workspace's data version on (migration 031), in the transaction of the write.
import { sql } from 'kysely';
import type { DataVersionDialect } from '../migrations/dialect.ts';

const bump = (row: 'new' | 'old') => `update workspaces set data_version = data_version + 1 where id = ${row}.workspace_id;`;
const EVENTS = ['insert', 'update', 'delete'] as const;
const trigger = (table: string, event: string) => `workspace_data_version_${table}_${event}`;

export const sqliteDataVersion: DataVersionDialect = {
  async install(db, tables) {
    for (const { table, columns } of tables) {
      for (const event of EVENTS) {
        const on = event === 'update' && columns ? `update of ${columns.join(', ')}` : event;
        await sql.raw(`create trigger ${trigger(table, event)} after ${on} on ${table} begin ${bump(event === 'insert' ? 'new' : 'old')} end`).execute(db);
      }
    }
  },
  async remove(db, tables) {
    for (const { table } of tables) for (const event of EVENTS) await sql`drop trigger if exists ${sql.id(trigger(table, event))}`.execute(db);
  },
};
