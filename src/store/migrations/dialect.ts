// What the shared migrations ask of the engine they run on: the few column types and index facts
// that differ. Each engine gives its answers (src/store/sqlite/, src/store/postgres/).
import type { Kysely, RawBuilder } from 'kysely';

/** Whose prospects a search looks through: the workspace's, or only those of the owners named. */
export interface SearchScope {
  workspaceId: number;
  /** Every one of these owns the prospect (a rep's own board, and a manager's owner filter). */
  ownerIds: number[];
}

/**
 * The prospect search index (migration 017, rebuilt by 022 and, on PostgreSQL, by 029): SQLite's
 * FTS5, PostgreSQL's unaccent + GIN. Both hold each prospect's name, email, title, company and
 * custom field values without accents, in lower case, split into words, with their prefixes of up to
 * 10 letters, and the prospect's workspace and owner as tokens that no typed word can match, kept in
 * sync by triggers on the prospects table. The scope is part of the match itself, so a search never
 * reads the prospects table to find out whose a match is.
 */
export interface ProspectSearchDialect {
  /** The last migration that changed this engine's index: a migration rebuilds it only on the engines it changed. */
  changedBy: string;
  install(db: Kysely<unknown>): Promise<void>;
  remove(db: Kysely<unknown>): Promise<void>;
  /**
   * A query of one column, `id`: the prospects in `scope` matching every word (folded by
   * core/search-words.ts) as a prefix, in no set order.
   */
  matching(scope: SearchScope, words: string[]): RawBuilder<{ id: number }>;
}

/**
 * The scheduler's tick rows (migration 023, migrations/tick-rows-sql.ts): each engine's triggers
 * keeping them in step with enrollments, prospects and touches.
 */
export interface TickRowsDialect {
  /** Creates the triggers (on a table already filled by `fill`). */
  install(db: Kysely<unknown>): Promise<void>;
  remove(db: Kysely<unknown>): Promise<void>;
  /** The statement that fills an empty table (a bulk load that ran without the triggers). */
  fill: string;
}

/** A table whose rows' changes move their workspace's data version on (migration 031). */
export interface VersionedTable {
  table: string;
  /** Only updates of these columns count (inserts and deletes always do); all columns when absent. */
  columns?: readonly string[];
}

/** Each engine's triggers bumping `workspaces.data_version` on a change to a versioned table's rows. */
export interface DataVersionDialect {
  install(db: Kysely<unknown>, tables: readonly VersionedTable[]): Promise<void>;
  remove(db: Kysely<unknown>, tables: readonly VersionedTable[]): Promise<void>;
}

/**
 * A trigger deleting the holds of enrollments deleted (migration 033): what the holds' foreign key
 * did, without its check on each hold the tick writes.
 */
export interface HoldCleanupDialect {
  install(db: Kysely<unknown>): Promise<void>;
  remove(db: Kysely<unknown>): Promise<void>;
}

export interface SchemaDialect {
  /** An auto-generated integer primary key. */
  id: RawBuilder<unknown>;
  /** A floating-point number of 8 bytes (PostgreSQL's `real` is 4: 0.1 would come back as 0.100000001). */
  float: RawBuilder<unknown>;
  /** Every index entry carries the row id already (SQLite's rowid), so no index needs `id` added. */
  indexesCarryRowId: boolean;
  prospectSearch: ProspectSearchDialect;
  /** A table can be stored in its primary key's order (SQLite's WITHOUT ROWID). */
  clusteredTables: boolean;
  tickRows: TickRowsDialect;
  dataVersion: DataVersionDialect;
  holdCleanup: HoldCleanupDialect;
}

export interface SchemaMigration {
  up(db: Kysely<unknown>, d: SchemaDialect): Promise<void>;
  down(db: Kysely<unknown>, d: SchemaDialect): Promise<void>;
}
