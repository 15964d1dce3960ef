// PostgreSQL's trigger deleting the holds of enrollments deleted (migration 033): once per statement,
// over the statement's deleted rows (a cascade's deletes are statements too).
import { sql } from 'kysely';
import type { HoldCleanupDialect } from '../migrations/dialect.ts';

export const postgresHoldCleanup: HoldCleanupDialect = {
  async install(db) {
    await sql`create function enrollment_holds_gone() returns trigger language plpgsql as $$ begin
      delete from enrollment_holds h using gone g where h.enrollment_id = g.id;
      return null; end $$`.execute(db);
    await sql`create trigger enrollment_holds_gone after delete on enrollments referencing old table as gone for each statement execute function enrollment_holds_gone()`.execute(db);
  },
  async remove(db) {
    await sql`drop trigger if exists enrollment_holds_gone on enrollments`.execute(db);
    await sql`drop function if exists enrollment_holds_gone()`.execute(db);
  },
};
