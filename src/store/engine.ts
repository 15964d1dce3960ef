// What each database engine provides behind Kysely: the handle, transactions and the bulk paths.
// The engines live in ./sqlite/ and ./postgres/; nothing else in the store knows which one runs.
import type { CompiledQuery, Expression, Insertable, Kysely, KyselyConfig, RawBuilder } from 'kysely';
import type { Database } from './schema.ts';
import type { SchemaDialect } from './migrations/dialect.ts';

export type Db = Kysely<Database>;

/** How a store is opened. */
export interface OpenOptions {
  /** Run the migrations this version knows (default true). */
  migrate?: boolean;
  /** Told every statement sent, as it is sent (round-trip counts in tests and benches), with its values where the engine gives them. */
  onQuery?: (sql: string, parameters?: readonly unknown[]) => void;
}

/** Kysely's log hook for `onQuery`. */
export function queryLog(opts: OpenOptions): KyselyConfig['log'] {
  const onQuery = opts.onQuery;
  return onQuery ? (event) => void (event.level === 'query' && onQuery(event.query.sql, event.query.parameters)) : undefined;
}

/** A data table (not Kysely's bookkeeping) and its columns, as the catalog describes it. */
export interface TableInfo {
  name: string;
  columns: string[];
  hasId: boolean;
}

/**
 * Kysely's own bookkeeping tables: each database keeps its own; so do the prospect search index and
 * the scheduler's tick rows (their triggers rebuild them from the rows copied in).
 */
export const isDataTable = (name: string) => !name.startsWith('kysely_') && !name.startsWith('prospect_search') && name !== 'tick_rows';

/** A read's rows as arrays through Kysely's row objects, whose values are in the order of its columns. */
export async function rowsThroughObjects(db: Db, query: CompiledQuery): Promise<unknown[][]> {
  return (await db.executeQuery<Record<string, unknown>>(query)).rows.map((r) => Object.values(r));
}

export interface Engine {
  readonly db: Db;
  readonly dialect: 'sqlite' | 'postgres';
  /** What the shared migrations need to know about this engine. */
  readonly schema: SchemaDialect;
  /** Where the data lives, for messages ("~/.tally/tally.db"). */
  readonly location: string;
  /** Runs `fn` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T>;
  /**
   * Inserts many rows of one table and returns their ids in order: the bulk path of imports.
   * Call it with the transaction's handle; each engine uses its fastest safe way.
   */
  insertMany<T extends keyof Database>(trx: Db, table: T, rows: Insertable<Database[T]>[]): Promise<number[]>;
  /**
   * Inserts rows of one table, or updates the row already there with the same `key` (its other
   * columns take the new values): the tick's holds. Call it with the transaction's handle.
   */
  upsertMany<T extends keyof Database>(trx: Db, table: T, key: string, rows: Insertable<Database[T]>[]): Promise<void>;
  /** The data tables of this database, with their columns (for `tally db copy`). */
  tables(): Promise<TableInfo[]>;
  /** child table → the tables its foreign keys point at. */
  foreignKeys(tables: string[]): Promise<Map<string, Set<string>>>;
  /** After rows were inserted with explicit ids: the next generated id follows the largest one. */
  afterExplicitIds(trx: Db, table: string): Promise<void>;
  /**
   * A read's rows as arrays, in the order of its columns: for a hot batch read that would otherwise
   * build an object per row (the scheduler tick's). Run with `db` as any other statement would be
   * (inside its transaction, or on its own).
   */
  rows(db: Db, query: CompiledQuery): Promise<unknown[][]>;
  /**
   * The same rows handed to `each` one at a time, as the engine reads them where it can (SQLite): a
   * row the caller is done with is garbage at once instead of living until the last one is read.
   */
  forEachRow(db: Db, query: CompiledQuery, each: (row: unknown[]) => void): Promise<void>;
  /** An aggregate of the values as comma-separated text (null over no row): one column of many rows in one. */
  listOf(value: Expression<unknown>): RawBuilder<string | null>;
  /** A round trip to the database. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
