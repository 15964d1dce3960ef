// SQLite's trigger deleting an enrollment's hold with it (migration 033); it also fires for the
// enrollments a foreign key's cascade deletes (a prospect erased, a workspace deleted).
import { sql } from 'kysely';
import type { HoldCleanupDialect } from '../migrations/dialect.ts';

export const sqliteHoldCleanup: HoldCleanupDialect = {
  async install(db) {
    await sql`create trigger enrollment_holds_gone after delete on enrollments begin delete from enrollment_holds where enrollment_id = old.id; end`.execute(db);
  },
  async remove(db) {
    await sql`drop trigger if exists enrollment_holds_gone`.execute(db);
  },
};
