// Opening a store: the one place that knows which database engine is behind Kysely.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, type Insertable, type Updateable } from 'kysely';
import type { Database } from './schema.ts';
import { migrateToLatest } from './migrate.ts';

export type Db = Kysely<Database>;

export interface Store {
  readonly db: Db;
  readonly dialect: 'sqlite' | 'postgres';
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
   * Updates many rows of one table by id, each with its own values (every row sets the same
   * columns as the first): the bulk path of the scheduler tick. Inside the caller's transaction.
   */
  updateMany<T extends keyof Database>(trx: Db, table: T, rows: (Updateable<Database[T]> & { id: number })[]): Promise<void>;
  close(): Promise<void>;
}

export function defaultDbPath(): string {
  return process.env.TALLY_DB || join(homedir(), '.tally', 'tally.db');
}

type Row = Record<string, unknown>;

class SqliteStore implements Store {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, SqliteDatabase.Statement>();

  constructor(
    readonly db: Db,
    private readonly sqlite: SqliteDatabase.Database,
    readonly location: string,
  ) {}

  transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /**
   * SQLite: one cached prepared statement run per row on the same connection, which is the
   * connection Kysely's transaction holds, so the rows are part of that transaction.
   */
  async insertMany<T extends keyof Database>(trx: Db, table: T, rows: Insertable<Database[T]>[]): Promise<number[]> {
    if (!trx.isTransaction) throw new Error('insertMany must run inside a transaction');
    const first = rows[0] as Row | undefined;
    if (!first) return [];
    const columns = Object.keys(first);
    const key = `${table}(${columns.join(',')})`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      // Table and column names come from the typed schema, never from input.
      stmt = this.sqlite.prepare(`insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`);
      this.statements.set(key, stmt);
    }
    const ids = new Array<number>(rows.length);
    const values = new Array<unknown>(columns.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Row;
      for (let c = 0; c < columns.length; c++) values[c] = row[columns[c]!] ?? null;
      ids[r] = Number(stmt.run(values).lastInsertRowid);
    }
    return ids;
  }

  async updateMany<T extends keyof Database>(trx: Db, table: T, rows: (Updateable<Database[T]> & { id: number })[]): Promise<void> {
    if (!trx.isTransaction) throw new Error('updateMany must run inside a transaction');
    const first = rows[0] as Row | undefined;
    if (!first) return;
    const columns = Object.keys(first).filter((c) => c !== 'id');
    const key = `update ${table}(${columns.join(',')})`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      stmt = this.sqlite.prepare(`update "${table}" set ${columns.map((c) => `"${c}" = ?`).join(', ')} where id = ?`);
      this.statements.set(key, stmt);
    }
    const values = new Array<unknown>(columns.length + 1);
    for (const row of rows as Row[]) {
      for (let c = 0; c < columns.length; c++) values[c] = row[columns[c]!] ?? null;
      values[columns.length] = row.id;
      stmt.run(values);
    }
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

export async function openSqliteStore(path: string, opts: { migrate?: boolean } = {}): Promise<Store> {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  if (opts.migrate !== false) await migrateToLatest(db as Kysely<unknown>);
  return new SqliteStore(db, sqlite, file);
}

/** `postgres://…` or `postgresql://…`: the team database. Anything else is a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store named by a location: a file path, `sqlite:PATH`, or a `postgres://` / `postgresql://` URL. */
export async function openStore(location = defaultDbPath(), opts: { migrate?: boolean } = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    // Loaded on demand: a laptop on SQLite never pays for the pg driver at start-up.
    const { openPostgresStore } = await import('./postgres.ts');
    return openPostgresStore(location, opts);
  }
  return openSqliteStore(location.replace(/^sqlite:/, ''), opts);
}
