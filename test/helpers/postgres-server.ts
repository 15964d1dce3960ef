// A throwaway PostgreSQL server for the test run: found (or installed) on this machine, started
// in a fresh temporary directory on a free port, stopped and removed at the end.
// No vitest imports here: the global setup runs it in the main process.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface PostgresServer {
  /** postgres://tally@127.0.0.1:PORT/postgres: the maintenance database, trust auth. */
  url: string;
  stop(): void;
}

const TOOLS = ['initdb', 'pg_ctl', 'postgres'];
const SUPERUSER = 'tally';

/** The newest /usr/lib/postgresql/N/bin that has the server tools, else a PATH directory that has them. */
export function findServerBin(): string | null {
  const dirs: string[] = [];
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v)).sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => join(root, v, 'bin')));
  }
  dirs.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  return dirs.find((d) => TOOLS.every((t) => existsSync(join(d, t)))) ?? null;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Finds the binaries; as root installs the Debian package when they are missing; never skips silently. */
export function ensureServerBin(): string {
  let bin = findServerBin();
  if (bin) return bin;
  if (!isRoot()) {
    throw new Error(
      'PostgreSQL server binaries (initdb, pg_ctl, postgres) not found: install the "postgresql" package ' +
        '(apt-get install -y postgresql), or point TALLY_TEST_DATABASE_URL at a server the tests may create databases on.',
    );
  }
  process.stderr.write('PostgreSQL server not found: installing the "postgresql" package (apt-get)…\n');
  const run = (args: string[]) => {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}): install the "postgresql" package by hand`);
  };
  run(['update']);
  run(['install', '-y', '--no-install-recommends', 'postgresql']);
  bin = findServerBin();
  if (!bin) throw new Error('installed the "postgresql" package but still found no initdb/pg_ctl/postgres');
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** initdb refuses root: as root, run the tools as the `postgres` user the Debian package creates. */
function runner(): { asUser: (cmd: string, args: string[]) => void; uid: number | null; gid: number | null } {
  if (!isRoot()) {
    return { uid: null, gid: null, asUser: (cmd, args) => void execFileSync(cmd, args, { stdio: 'pipe' }) };
  }
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  let uid: number;
  try {
    uid = id('-u');
  } catch {
    throw new Error('running as root and there is no "postgres" user to run the server as: install the "postgresql" package, which creates it');
  }
  return { uid, gid: id('-g'), asUser: (cmd, args) => void execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' }) };
}

function failure(err: unknown, log?: string): string {
  const e = err as { message?: string; stderr?: Buffer | string };
  const stderr = e.stderr ? String(e.stderr).trim() : '';
  const tail = log && existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-10).join('\n') : '';
  return [e.message ?? String(err), stderr, tail].filter(Boolean).join('\n');
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = ensureServerBin();
  const { asUser, uid, gid } = runner();
  const dir = mkdtempSync(join(tmpdir(), 'tally-pg-'));
  if (uid !== null && gid !== null) chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    asUser(join(bin, 'initdb'), ['-D', data, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync', '--no-instructions']);
  } catch (err) {
    cleanup();
    throw new Error(`initdb failed: ${failure(err)}`, { cause: err });
  }
  // Tests never need durability: no fsync, no full-page writes; enough connections for parallel files.
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'max_connections = 200', "listen_addresses = '127.0.0.1'", `unix_socket_directories = '${dir}'`, ''].join('\n'),
    { flag: 'a' },
  );
  let lastError = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      asUser(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '60', '-o', `-p ${port}`, 'start']);
    } catch (err) {
      lastError = failure(err, log); // most likely the port was taken in between: try another
      continue;
    }
    let stopped = false;
    return {
      url: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
      stop() {
        if (stopped) return;
        stopped = true;
        try {
          asUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          cleanup();
        }
      },
    };
  }
  cleanup();
  throw new Error(`could not start PostgreSQL: ${lastError}`);
}
