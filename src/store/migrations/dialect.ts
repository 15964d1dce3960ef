// What the shared migrations ask of the engine they run on: the few column types and index facts
// that differ. Each engine gives its answers (src/store/sqlite/, src/store/postgres/).
import type { Kysely, RawBuilder } from 'kysely';

export interface SchemaDialect {
  /** An auto-generated integer primary key. */
  id: RawBuilder<unknown>;
  /** A floating-point number of 8 bytes (PostgreSQL's `real` is 4: 0.1 would come back as 0.100000001). */
  float: RawBuilder<unknown>;
  /** Every index entry carries the row id already (SQLite's rowid), so no index needs `id` added. */
  indexesCarryRowId: boolean;
}

export interface SchemaMigration {
  up(db: Kysely<unknown>, d: SchemaDialect): Promise<void>;
  down(db: Kysely<unknown>, d: SchemaDialect): Promise<void>;
}
