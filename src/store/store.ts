// Opening a store: picks the engine from the location (a SQLite file, or a PostgreSQL URL).
import type { Store as StorePort } from '../app/ports/store/index.ts';
import type { Db, Engine, OpenOptions } from './engine.ts';
import { openSqliteEngine, type SqliteOptions } from './sqlite/engine.ts';
import { defaultDbPath } from './location.ts';
import { queriesOn } from './queries/index.ts';
import { migrateToLatest, pendingMigrations } from './migrate.ts';
import type { Kysely } from 'kysely';

export type { Db, OpenOptions } from './engine.ts';

/**
 * A store: the app's port (its queries and transactions) over an engine, plus what adapters and
 * tests need beyond it: the Kysely handle, the engine (bulk paths, catalog), a ping, closing.
 */
export interface Store extends StorePort {
  readonly db: Db;
  readonly dialect: Engine['dialect'];
  readonly engine: Engine;
  /** Is the database reachable (a round trip)? */
  ping(): Promise<void>;
  /** Runs the migrations this version knows; returns those that ran. */
  migrate(): Promise<string[]>;
  /** Migrations this version knows that the database has not run (readiness checks). */
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
}

export function storeOn(engine: Engine): Store {
  const { location } = engine;
  const transaction = <T>(fn: (tx: StorePort) => Promise<T>): Promise<T> =>
    engine.transaction((trx) => {
      // Inside: the same queries on the transaction's connection; a nested call joins it.
      const tx: StorePort = { ...queriesOn(trx, engine), location, transaction: (inner) => inner(tx) };
      return fn(tx);
    });
  return {
    ...queriesOn(engine.db, engine),
    location,
    transaction,
    db: engine.db,
    dialect: engine.dialect,
    engine,
    ping: () => engine.ping(),
    migrate: () => migrateToLatest(engine.db as Kysely<unknown>, engine.schema),
    pendingMigrations: () => pendingMigrations(engine.db as Kysely<unknown>, engine.schema),
    close: () => engine.close(),
  };
}

export async function openSqliteStore(path: string, opts: OpenOptions & SqliteOptions = {}): Promise<Store> {
  return storeOn(await openSqliteEngine(path, opts));
}

/** `postgres://…` or `postgresql://…`: the team database. Anything else is a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/** Opens the store named by a location: a file path, `sqlite:PATH`, or a `postgres://` / `postgresql://` URL. */
/** `bulk` and `readers` apply to SQLite only (a connection for one big write, see sqlite/checkpoint.ts; PostgreSQL serves concurrent reads by itself). */
export async function openStore(location = defaultDbPath(), opts: OpenOptions & SqliteOptions = {}): Promise<Store> {
  if (isPostgresUrl(location)) return openPostgresStore(location, opts);
  return openSqliteStore(location.replace(/^sqlite:/, ''), opts);
}

export async function openPostgresStore(url: string, opts: OpenOptions = {}): Promise<Store> {
  // Loaded on demand: a laptop on SQLite never pays for the pg driver at start-up.
  const { openPostgresEngine } = await import('./postgres/engine.ts');
  return storeOn(await openPostgresEngine(url, opts));
}
