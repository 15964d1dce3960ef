// A big transaction (an import of a million rows) leaves a WAL of hundreds of megabytes. SQLite copies
// it into the database at the next commit that finds it long (the auto-checkpoint) — on the thread
// that commits, which in a server is the event loop: two seconds with nobody answered. A connection
// opened for bulk writes turns the auto-checkpoint off and, when closed, has a worker thread copy
// the WAL on a connection of its own. Readers and writers go on meanwhile; a commit elsewhere that
// tries its own auto-checkpoint then finds the checkpoint busy and skips it.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const CHECKPOINT = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
try {
  db.pragma('wal_checkpoint(PASSIVE)');
} finally {
  db.close();
}`;

/** Copies the file's WAL into it on another thread; resolves when done (a failure only leaves it for the next checkpoint). */
export function checkpointApart(file: string): Promise<void> {
  return new Promise((resolve) => {
    const worker = new Worker(CHECKPOINT, { eval: true, workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') } });
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
}
