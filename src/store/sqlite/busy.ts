// Several processes on one SQLite file (`tally serve` and a CLI command beside it): only one writes
// at a time. A writer that finds the file locked waits for it instead of failing with "database is
// locked" — asynchronously, so a waiting server keeps answering — and gives up with a clear
// "busy" error after a minute. Transactions take the write lock when they begin (BEGIN IMMEDIATE):
// a transaction that read first and upgraded later could only fail, never wait.
import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type QueryResult } from 'kysely';
import { TallyError } from '../../core/errors.ts';

/** How long a writer waits for another process's write to end. */
export const BUSY_WAIT_MS = 60_000;
/**
 * SQLite's own (blocking) wait before it reports busy: short, so the event loop is never held long —
 * the lock may be held by this very process (an import on a connection of its own), which a blocking
 * wait could never see end.
 */
export const BUSY_TIMEOUT_MS = 10;

export function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `op` again while SQLite says busy, backing off up to a quarter second, for at most `waitMs`.
 * `pause` does the waiting (the driver lets go of its connection meanwhile).
 */
export async function whileBusy<T>(op: () => Promise<T>, what: string, waitMs = BUSY_WAIT_MS, pause: (ms: number) => Promise<void> = sleep): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (let ms = 10; ; ms = Math.min(ms * 2, 250)) {
    try {
      return await op();
    } catch (err) {
      if (!isBusy(err)) throw err;
      if (Date.now() + ms > deadline) {
        throw new TallyError(`the database is busy: another Tally process has been writing to it for over ${Math.round(waitMs / 1000)} s (${what}); try again`, 'unavailable', {}, { cause: err });
      }
      await pause(ms);
    }
  }
}

class WaitingDriver extends SqliteDriver implements Driver {
  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly waitMs: number,
  ) {
    super({ database: sqlite });
  }

  /**
   * While waiting, the connection is let go: the process's other queries (reads, mostly) go on —
   * the lock may be held for a while by an import on a connection of its own.
   */
  private readonly pause = async (ms: number): Promise<void> => {
    await super.releaseConnection();
    await sleep(ms);
    await super.acquireConnection();
  };

  override async acquireConnection(): Promise<DatabaseConnection> {
    const conn = await super.acquireConnection();
    const sqlite = this.sqlite;
    const waitMs = this.waitMs;
    // A statement on its own is atomic: when it found the file locked it did nothing, so it is run
    // again. Inside a transaction we already hold the write lock (BEGIN IMMEDIATE).
    return {
      executeQuery: <R>(q: CompiledQuery): Promise<QueryResult<R>> =>
        sqlite.inTransaction ? conn.executeQuery<R>(q) : whileBusy(() => conn.executeQuery<R>(q), 'a write', waitMs, this.pause),
      streamQuery: <R>(q: CompiledQuery, chunkSize?: number) => conn.streamQuery<R>(q, chunkSize),
    };
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await whileBusy(() => connection.executeQuery(CompiledQuery.raw('begin immediate')), 'a transaction', this.waitMs, this.pause);
  }
}

/** Kysely's SQLite dialect whose writers wait for other processes' writes. */
export class WaitingSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly waitMs = BUSY_WAIT_MS,
  ) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new WaitingDriver(this.sqlite, this.waitMs);
  }
}
