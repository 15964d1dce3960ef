// The database file, its WAL and the key file hold every prospect, password hash and session:
// only their owner may read them. Tally's directory is 0700 and its files 0600, created so and
// tightened when found looser (a file copied in with the default umask, an old version's files).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** ~/.tally: the directory Tally makes for itself, which it keeps private even if someone opened it up. */
export function tallyHome(): string {
  return join(homedir(), '.tally');
}

function tighten(path: string, mode: number): void {
  const current = statSync(path).mode & 0o777;
  if (current & ~mode) chmodSync(path, current & mode);
}

/**
 * Makes the directory (0700) when it is missing. An existing directory is tightened only when it is
 * Tally's own home: `--db /srv/shared/tally.db` must not change a directory somebody else made.
 */
export function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  else if (resolve(dir) === resolve(tallyHome())) tighten(dir, DIR_MODE);
}

/** Creates the file empty with mode 0600 when it is missing, else takes group and other bits away. */
export function ensurePrivateFile(path: string): void {
  if (!existsSync(path)) {
    try {
      closeSync(openSync(path, 'wx', FILE_MODE));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  tighten(path, FILE_MODE);
}

/** The database and the files SQLite keeps beside it (WAL, shared memory): the ones that exist. */
export function tightenDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) if (existsSync(f)) tighten(f, FILE_MODE);
}
