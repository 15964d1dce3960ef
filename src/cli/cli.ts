// What every command gets from the shell around it, and the usage error: shared by main.ts and the
// commands, in a module of their own so the commands never import main.ts (no cycle through it).
import type { Command } from 'commander';
import { TallyError } from '../core/errors.ts';
import type { Context } from '../app/context.ts';
import type { Runtime } from '../app/ports/runtime.ts';
import type { Store } from '../store/store.ts';
import type { Io } from './io.ts';

export interface GlobalOptions {
  db?: string;
  as?: string;
  json?: boolean;
}

/** What a command needs from the shell around it. */
export interface Cli {
  io: Io;
  opts(cmd: Command): GlobalOptions & Record<string, unknown>;
  /** The database selected by --db, else $TALLY_DATABASE_URL, else the default file. */
  location(cmd: Command): string;
  /** Opens the store (migrated) for the duration of `fn`. */
  withStore<T>(cmd: Command, fn: (store: Store) => Promise<T>): Promise<T>;
  /** The ports the app runs on over this store (drivers, secrets from the environment, the clock). */
  runtime(store: Store): Runtime;
  /** Opens the store and the acting user's context for the duration of `fn`. */
  withContext<T>(cmd: Command, fn: (ctx: Context) => Promise<T>): Promise<T>;
  now(): number;
}

export class UsageError extends TallyError {
  constructor(message: string) {
    super(message, 'usage');
  }
}
