// What the shared migrations ask of the engine they run on: the few column types and index facts
// that differ. Each engine gives its answers (src/store/sqlite/, src/store/postgres/).
import type { Kysely, RawBuilder, SqlBool } from 'kysely';

/**
 * The prospect search index (migration 017): SQLite's FTS5, PostgreSQL's unaccent + tsvector. Both
 * hold each prospect's name, email, title, company and custom field values without accents, in
 * lower case, split into words, kept in sync by triggers on the prospects table.
 */
export interface ProspectSearchDialect {
  install(db: Kysely<unknown>): Promise<void>;
  remove(db: Kysely<unknown>): Promise<void>;
  /** A condition on `p.id`: the prospect matches every word (folded by core/search-words.ts) as a prefix. */
  matches(words: string[]): RawBuilder<SqlBool>;
}

export interface SchemaDialect {
  /** An auto-generated integer primary key. */
  id: RawBuilder<unknown>;
  /** A floating-point number of 8 bytes (PostgreSQL's `real` is 4: 0.1 would come back as 0.100000001). */
  float: RawBuilder<unknown>;
  /** Every index entry carries the row id already (SQLite's rowid), so no index needs `id` added. */
  indexesCarryRowId: boolean;
  prospectSearch: ProspectSearchDialect;
}

export interface SchemaMigration {
  up(db: Kysely<unknown>, d: SchemaDialect): Promise<void>;
  down(db: Kysely<unknown>, d: SchemaDialect): Promise<void>;
}
