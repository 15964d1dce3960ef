// Where the data lives when no database is named. Its own module so the CLI can say it without
// loading a database driver (`tally --help`, `tally --version`).
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDbPath(): string {
  return process.env.TALLY_DB || join(homedir(), '.tally', 'tally.db');
}
