// Opening a store: picks the engine from the location (a SQLite file, or a PostgreSQL URL).
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from './engine.ts';
import { openSqliteEngine } from './sqlite/engine.ts';

export type { Db } from './engine.ts';
export type Store = Engine;

export function defaultDbPath(): string {
  return process.env.TALLY_DB || join(homedir(), '.tally', 'tally.db');
}

export const openSqliteStore = openSqliteEngine;

/** `postgres://…` or `postgresql://…`: the team database. Anything else is a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store named by a location: a file path, `sqlite:PATH`, or a `postgres://` / `postgresql://` URL. */
export async function openStore(location = defaultDbPath(), opts: { migrate?: boolean } = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    // Loaded on demand: a laptop on SQLite never pays for the pg driver at start-up.
    const { openPostgresEngine } = await import('./postgres/engine.ts');
    return openPostgresEngine(location, opts);
  }
  return openSqliteStore(location.replace(/^sqlite:/, ''), opts);
}
