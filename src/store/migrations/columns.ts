// Column types that differ between the two dialects, chosen here so migrations stay shared.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** An auto-generated integer primary key. */
export function idColumn(db: Kysely<unknown>) {
  return isPostgres(db) ? sql`serial` : sql`integer`;
}

/** A floating-point number: PostgreSQL's `real` is 4 bytes (0.1 would come back as 0.100000001), SQLite's is 8. */
export function floatColumn(db: Kysely<unknown>) {
  return isPostgres(db) ? sql`double precision` : sql`real`;
}
