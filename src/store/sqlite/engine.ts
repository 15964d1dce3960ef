// The SQLite engine: better-sqlite3 under Kysely's SqliteDialect (WAL, foreign keys on), with the
// bulk paths as cached prepared statements on the connection the transaction holds.
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql, type CompiledQuery, type Expression, type Insertable, type RawBuilder } from 'kysely';
import { BUSY_TIMEOUT_MS, WaitingSqliteDialect } from './busy.ts';
import { checkpointApart } from './checkpoint.ts';
import type { Database } from '../schema.ts';
import { migrateToLatest } from '../migrate.ts';
import { sqliteSchema } from './schema-dialect.ts';
import { isDataTable, queryLog, rowsThroughObjects, type Db, type Engine, type OpenOptions, type TableInfo } from '../engine.ts';
import { ensurePrivateDir, ensurePrivateFile, tightenDatabaseFiles } from '../private-files.ts';
import { ReaderPool } from './readers.ts';
import { RoutingSqliteDialect } from './routing-dialect.ts';

type Row = Record<string, unknown>;

// Table and column names come from the typed schema, never from input.
const insertSql = (table: string, columns: string[]) => `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
const onConflict = (key: string, columns: string[]) =>
  `on conflict ("${key}") do update set ${columns.filter((c) => c !== key).map((c) => `"${c}" = excluded."${c}"`).join(', ')}`;

/** Raw reads kept prepared: the tick's few statements, with room for the lists of ids of its targets. */
const READS = 32;

class SqliteEngine implements Engine {
  readonly dialect = 'sqlite';
  readonly schema = sqliteSchema;
  private readonly statements = new Map<string, SqliteDatabase.Statement>();
  /** Reads prepared once, in raw mode (arrays), by their SQL; the oldest let go past READS. */
  private readonly reads = new Map<string, SqliteDatabase.Statement>();

  constructor(
    readonly db: Db,
    private readonly sqlite: SqliteDatabase.Database,
    readonly location: string,
    /** Opened for one big write: its WAL is checkpointed on another thread when it closes. */
    private readonly bulk: boolean,
    /** Reads outside a transaction go to reader threads (routing-dialect.ts). */
    private readonly routed: boolean,
    private readonly onQuery: OpenOptions['onQuery'],
  ) {}

  transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /**
   * SQLite: one cached prepared statement run per row on the same connection, which is the
   * connection Kysely's transaction holds, so the rows are part of that transaction.
   */
  async insertMany<T extends keyof Database>(trx: Db, table: T, rows: Insertable<Database[T]>[]): Promise<number[]> {
    const ids = new Array<number>(rows.length);
    this.eachRow(trx, 'insertMany', rows, (columns) => insertSql(table, columns), (result, r) => (ids[r] = Number(result.lastInsertRowid)));
    return ids;
  }

  /** One cached prepared statement run per row, as insertMany. */
  async upsertMany<T extends keyof Database>(trx: Db, table: T, key: string, rows: Insertable<Database[T]>[]): Promise<void> {
    this.eachRow(trx, 'upsertMany', rows, (columns) => `${insertSql(table, columns)} ${onConflict(key, columns)}`, () => undefined);
  }

  /** `text(columns)` prepared once (by its SQL) and run for each row, the values in the first row's column order. */
  private eachRow(trx: Db, what: string, rows: readonly unknown[], text: (columns: string[]) => string, each: (result: SqliteDatabase.RunResult, r: number) => void): void {
    if (!trx.isTransaction) throw new Error(`${what} must run inside a transaction`);
    const first = rows[0] as Row | undefined;
    if (!first) return;
    const columns = Object.keys(first);
    const statement = text(columns);
    let stmt = this.statements.get(statement);
    if (!stmt) {
      stmt = this.sqlite.prepare(statement);
      this.statements.set(statement, stmt);
    }
    const values = new Array<unknown>(columns.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Row;
      for (let c = 0; c < columns.length; c++) values[c] = row[columns[c]!] ?? null;
      each(stmt.run(values), r);
    }
  }

  /**
   * better-sqlite3's raw mode on a cached prepared statement, on the write connection: inside a
   * transaction, which holds it; otherwise under Kysely's lock on it, so no other caller's open
   * transaction is seen. With reader threads a read outside a transaction is theirs, as objects.
   */
  async rows(db: Db, query: CompiledQuery): Promise<unknown[][]> {
    if (this.routed && !db.isTransaction) return rowsThroughObjects(db, query);
    return this.onConnection(db, query, (stmt) => stmt.all(query.parameters) as unknown[][]);
  }

  /** better-sqlite3's iterator in raw mode: each row is built as it is stepped to (run where rows runs). */
  async forEachRow(db: Db, query: CompiledQuery, each: (row: unknown[]) => void): Promise<void> {
    if (this.routed && !db.isTransaction) {
      for (const r of await rowsThroughObjects(db, query)) each(r);
      return;
    }
    await this.onConnection(db, query, (stmt) => {
      for (const r of stmt.iterate(query.parameters) as IterableIterator<unknown[]>) each(r);
    });
  }

  /** `query`'s raw statement, run by `step` on the write connection: inside the transaction that holds it, else under Kysely's lock on it. */
  private async onConnection<T>(db: Db, query: CompiledQuery, step: (stmt: SqliteDatabase.Statement) => T): Promise<T> {
    const run = () => {
      this.onQuery?.(query.sql, query.parameters);
      return step(this.read(query.sql));
    };
    return db.isTransaction ? run() : db.connection().execute(async () => run());
  }

  private read(text: string): SqliteDatabase.Statement {
    let stmt = this.reads.get(text);
    if (!stmt) {
      stmt = this.sqlite.prepare(text).raw(true);
      if (this.reads.size >= READS) this.reads.delete(this.reads.keys().next().value!);
      this.reads.set(text, stmt);
    }
    return stmt;
  }

  async tables(): Promise<TableInfo[]> {
    const tables = await this.db.introspection.getTables();
    return tables
      .filter((t) => !t.isView && isDataTable(t.name))
      .map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name), hasId: t.columns.some((c) => c.name === 'id') }));
  }

  async foreignKeys(tables: string[]): Promise<Map<string, Set<string>>> {
    const deps = new Map(tables.map((t) => [t, new Set<string>()]));
    for (const t of tables) {
      const { rows } = await sql<{ parent: string }>`select "table" as parent from pragma_foreign_key_list(${t})`.execute(this.db);
      for (const r of rows) if (r.parent !== t && deps.has(r.parent)) deps.get(t)?.add(r.parent);
    }
    return deps;
  }

  /** SQLite's rowid ids follow the largest one by themselves. */
  async afterExplicitIds(): Promise<void> {}

  listOf(value: Expression<unknown>): RawBuilder<string | null> {
    return sql<string | null>`group_concat(${value})`;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
    if (this.bulk && this.location !== ':memory:') await checkpointApart(this.location);
  }
}

export interface SqliteOptions {
  /** A connection for one big write (an import beside a running server): see checkpoint.ts. */
  bulk?: boolean;
  /**
   * Reader threads, each with a connection of its own (the server's reads, side by side): statements
   * that read, outside a transaction, run there; 0 or absent: everything on the one connection.
   */
  readers?: number;
}

export async function openSqliteEngine(path: string, opts: OpenOptions & SqliteOptions = {}): Promise<Engine> {
  const file = path === ':memory:' ? path : resolve(path);
  if (file !== ':memory:') {
    ensurePrivateDir(dirname(file));
    ensurePrivateFile(file);
  }
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('journal_mode = WAL');
  // SQLite gives the WAL the database's mode; files left by an older version are tightened here.
  if (file !== ':memory:') tightenDatabaseFiles(file);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');
  if (opts.bulk) sqlite.pragma('wal_autocheckpoint = 0');
  const log = queryLog(opts);
  const plain = new Kysely<Database>({ dialect: new WaitingSqliteDialect(sqlite), log });
  if (opts.migrate !== false) await migrateToLatest(plain as Kysely<unknown>, sqliteSchema);
  // Readers open once the schema is there; an in-memory database has no file to share.
  const readers = opts.readers && file !== ':memory:' ? new ReaderPool(file, opts.readers) : null;
  const db = readers ? new Kysely<Database>({ dialect: new RoutingSqliteDialect(new WaitingSqliteDialect(sqlite), readers), log }) : plain;
  return new SqliteEngine(db, sqlite, file, opts.bulk === true, readers !== null, opts.onQuery);
}
