// Kysely's SQLite dialect with the reads sent to a pool of WAL readers (./readers.ts): a statement
// that reads, outside a transaction, runs on a reader thread; every write and every transaction runs
// on the one write connection, one at a time (Kysely's own SQLite driver and its lock). A read never
// sees another request's uncommitted writes, and sees everything committed before it was sent.
import {
  SelectQueryNode,
  type SqliteDialect,
  type CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { ReaderPool } from './readers.ts';

/** One caller's connection: the write connection once it needs it (a write, a transaction), until released. */
class RoutedConnection implements DatabaseConnection {
  private main: DatabaseConnection | null = null;

  constructor(
    private readonly writer: Driver,
    private readonly readers: ReaderPool,
  ) {}

  /** The write connection, holding its lock until `release`. */
  async writeConnection(): Promise<DatabaseConnection> {
    this.main ??= await this.writer.acquireConnection();
    return this.main;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (this.main === null && SelectQueryNode.is(query.query)) return { rows: (await this.readers.query(query.sql, query.parameters)) as R[] };
    return (await this.writeConnection()).executeQuery<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    yield* (await this.writeConnection()).streamQuery<R>(query, chunkSize);
  }

  async release(): Promise<void> {
    const main = this.main;
    this.main = null;
    if (main) await this.writer.releaseConnection(main);
  }
}

class RoutingDriver implements Driver {
  constructor(
    private readonly writer: Driver,
    private readonly readers: ReaderPool,
  ) {}

  init(): Promise<void> {
    return this.writer.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this.writer, this.readers);
  }

  async beginTransaction(c: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await this.writer.beginTransaction(await (c as RoutedConnection).writeConnection(), settings);
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await this.writer.commitTransaction(await (c as RoutedConnection).writeConnection());
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await this.writer.rollbackTransaction(await (c as RoutedConnection).writeConnection());
  }

  async savepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.writer.savepoint?.(await (c as RoutedConnection).writeConnection(), name, compile);
  }

  async rollbackToSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.writer.rollbackToSavepoint?.(await (c as RoutedConnection).writeConnection(), name, compile);
  }

  async releaseSavepoint(c: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await this.writer.releaseSavepoint?.(await (c as RoutedConnection).writeConnection(), name, compile);
  }

  async releaseConnection(c: DatabaseConnection): Promise<void> {
    await (c as RoutedConnection).release();
  }

  async destroy(): Promise<void> {
    await this.readers.close();
    await this.writer.destroy();
  }
}

/** SQLite (the writer's dialect: see busy.ts) with its reads on `readers`. */
export class RoutingSqliteDialect implements Dialect {
  constructor(
    private readonly sqlite: SqliteDialect,
    private readonly readers: ReaderPool,
  ) {}

  createDriver(): Driver {
    return new RoutingDriver(this.sqlite.createDriver(), this.readers);
  }

  createQueryCompiler(): QueryCompiler {
    return this.sqlite.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.sqlite.createAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return this.sqlite.createIntrospector(db);
  }
}
