// One process runs the in-process jobs of a SQLite file: a second `tally serve` on the same file
// would tick, send and sync the same workspace twice and fight for the write lock. The lock is an
// exclusive SQLite lock on a file beside the database, held by an open connection: the operating
// system releases it when the process ends however it ends (kill -9 included), so it never goes stale.
import { readFileSync, writeFileSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { isBusy } from './busy.ts';
import { ensurePrivateFile } from '../private-files.ts';

export interface JobsLock {
  release(): void;
}

export type JobsLockResult = { acquired: true; lock: JobsLock } | { acquired: false; holder: string };

export function jobsLockPath(dbFile: string): string {
  return `${dbFile}.jobs-lock`;
}

/** Takes the jobs lock of a database file, or says who holds it ("pid 1234", as far as known). */
export function acquireJobsLock(dbFile: string, pid = process.pid): JobsLockResult {
  const path = jobsLockPath(dbFile);
  ensurePrivateFile(path);
  const conn = new SqliteDatabase(path, { timeout: 0 });
  try {
    // In exclusive locking mode the lock a write takes is kept until the connection closes.
    conn.pragma('locking_mode = EXCLUSIVE');
    conn.exec('begin exclusive; create table if not exists holder (since integer); delete from holder; insert into holder values (1); commit');
  } catch (err) {
    conn.close();
    if (!isBusy(err)) throw err;
    return { acquired: false, holder: holderOf(path) };
  }
  writeFileSync(`${path}.pid`, `${pid}\n`, { mode: 0o600 });
  return {
    acquired: true,
    lock: {
      release: () => {
        if (conn.open) conn.close();
      },
    },
  };
}

function holderOf(path: string): string {
  try {
    const pid = readFileSync(`${path}.pid`, 'utf8').trim();
    return /^\d+$/.test(pid) ? `pid ${pid}` : 'another process';
  } catch {
    return 'another process';
  }
}
