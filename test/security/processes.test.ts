// Several processes on one SQLite file: the README's own workflow (the CLI beside `tally serve`).
// A writer waits for another process's write instead of failing with "database is locked"; only
// one process runs the jobs of a file, and a second server says so.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { TallyCli } from '../helpers/cli.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { acquireJobsLock } from '../../src/store/sqlite/jobs-lock.ts';

const dir = tempDir();
const BIN = join(import.meta.dirname, '../../bin/tally.js');

async function workspace(name: string): Promise<TallyCli> {
  const cli = new TallyCli(join(dir, `${name}.db`));
  await cli.ok('init', '--timezone', 'UTC', '--email', 'rep@tally.test');
  await cli.ok('import', 'prospects', writeFile(dir, `${name}.csv`, 'email,first_name\ndana@acme.example,Dana\n'));
  return cli;
}

describe('a CLI command beside another writer', () => {
  it('waits for the other process to finish writing, then succeeds', async () => {
    const cli = await workspace('busy');
    // Another process (a server mid-import) holds the write lock for two seconds.
    const other = new Database(cli.db);
    other.exec('begin immediate');
    const released = new Promise<void>((resolve) => setTimeout(() => {
      other.exec('commit');
      other.close();
      resolve();
    }, 2_000));
    const started = Date.now();
    const r = await cli.run('log', 'dana@acme.example', '--channel', 'call', '--outcome', 'no_answer');
    await released;
    expect(r.stderr).not.toMatch(/locked/);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_500);
  });
});

describe('the jobs of one database file', () => {
  it('are run by one process: the lock cannot be taken twice, and is free again once released', () => {
    const db = join(dir, 'lock.db');
    const first = acquireJobsLock(db, 4242);
    expect(first.acquired).toBe(true);
    expect(acquireJobsLock(db)).toEqual({ acquired: false, holder: 'pid 4242' });
    if (first.acquired) first.lock.release();
    const again = acquireJobsLock(db);
    expect(again.acquired).toBe(true);
    if (again.acquired) again.lock.release();
  });

  it('a second tally serve on the same file serves without jobs and says why', async () => {
    const cli = await workspace('two-servers');
    const start = () => {
      const child = spawn(process.execPath, [BIN, '--db', cli.db, 'serve', '--port', '0', '--tick-every', '3600'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TALLY_LOG_LEVEL: 'warn' } });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      const ready = new Promise<string>((resolve, reject) => {
        const timer = setInterval(() => {
          if (out.includes('Press Ctrl-C to stop.')) {
            clearInterval(timer);
            resolve(out);
          }
        }, 50);
        child.on('exit', (code) => {
          clearInterval(timer);
          reject(new Error(`serve exited ${code}: ${out}`));
        });
      });
      const stop = () => new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        child.on('exit', () => resolve());
        child.kill('SIGTERM');
      });
      return { child, ready, stop };
    };
    const a = start();
    const first = await a.ready;
    expect(first).toContain('Jobs: in-process');
    const b = start();
    const second = await b.ready;
    expect(second).toMatch(new RegExp(`Jobs: off \\(pid ${a.child.pid} already runs the jobs for .*two-servers\\.db`));
    expect(second).toContain('"msg":"this server runs no jobs"');
    await Promise.all([a.stop(), b.stop()]);
  }, 90_000);
});
