// WAL readers off the main thread: a few worker threads, each with a read-only connection of its own
// to the same SQLite file. In WAL mode readers never wait for the writer nor for each other, and each
// sees what was committed when its statement began; so a server's reads run side by side, on other
// cores, while the main thread keeps the one write connection.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** The worker: plain JavaScript (the tsx loader the CLI registers does not reach worker threads). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', ({ id, sql, parameters }) => {
  try {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (statements.size >= 1000) statements.clear();
      statements.set(sql, statement);
    }
    if (!statement.reader) throw new Error('a reader connection only runs statements that read');
    parentPort.postMessage({ id, rows: statement.all(parameters) });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err.message, code: err.code } });
  }
});
`;

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (err: Error) => void;
  reader: Reader;
}

interface Reader {
  worker: Worker;
  /** Statements sent and not answered yet. */
  busy: number;
}

/** A SQLite error from a reader, with the code better-sqlite3 gives ("SQLITE_BUSY"…). */
export class ReaderError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

export class ReaderPool {
  private readonly readers: Reader[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;

  constructor(file: string, size: number) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.readers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
      const reader: Reader = { worker, busy: 0 };
      worker.on('message', (m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }) => this.settle(m));
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => this.fail(new Error(`a SQLite reader thread stopped (exit code ${code})`)));
      // An idle pool must not keep the process alive.
      worker.unref();
      return reader;
    });
  }

  get size(): number {
    return this.readers.length;
  }

  /** Runs a statement that reads on the least busy reader. */
  query(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.failure) return Promise.reject(this.failure);
    const reader = this.readers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    reader.busy++;
    if (reader.busy === 1) reader.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, reader });
      reader.worker.postMessage({ id, sql, parameters });
    });
  }

  private settle(m: { id: number; rows?: unknown[]; error?: { message: string; code?: string } }): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (--p.reader.busy === 0) p.reader.worker.unref();
    if (m.error) p.reject(new ReaderError(m.error.message, m.error.code));
    else p.resolve(m.rows ?? []);
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(err);
    }
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the SQLite readers are closed');
    await Promise.all(this.readers.map((r) => r.worker.terminate()));
  }
}
