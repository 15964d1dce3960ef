// Choosing and wiring the runner for a process: in-process on SQLite, pg-boss on PostgreSQL; and the
// watchdog a worker uses to notice the database has gone.
import type { DatabaseProbe } from '../observability/health.ts';
import { InProcessRunner, type JobRunner, type RunnerOptions } from './runner.ts';

export interface RuntimeOptions extends RunnerOptions {
  /** The database location as given (the real PostgreSQL URL, with its password). */
  location: string;
  /** Which engine the store runs on: PostgreSQL gets pg-boss, SQLite the in-process runner. */
  dialect: 'sqlite' | 'postgres';
  /** Run jobs in this process (false: on PostgreSQL only enqueue them; on SQLite nothing runs). */
  consume: boolean;
  pollSeconds?: number;
}

/** The runner for this database, or null when this process runs no jobs (SQLite with --no-jobs). */
export async function createRunner(opts: RuntimeOptions): Promise<JobRunner | null> {
  if (opts.dialect === 'postgres') {
    // Loaded on demand: a laptop on SQLite never loads pg-boss.
    const { PgBossRunner } = await import('./pg-boss.ts');
    return new PgBossRunner({ ...opts, url: opts.location, schedule: true, consume: opts.consume });
  }
  return opts.consume ? new InProcessRunner(opts) : null;
}

export interface Watchdog {
  stop(): void;
}

/**
 * Pings the database every `everyMs`; after `failures` pings in a row fail (or hang past the
 * interval), calls `onLost` once. A worker then exits non-zero so its supervisor restarts it,
 * rather than polling a dead server forever (pg-boss itself swallows fetch errors).
 */
export function watchDatabase(store: Pick<DatabaseProbe, 'ping'>, opts: { everyMs?: number; failures?: number; onLost: (err: Error) => void }): Watchdog {
  const everyMs = opts.everyMs ?? 2_000;
  const limit = opts.failures ?? 3;
  let failed = 0;
  let done = false;
  let busy = false;
  const timer = setInterval(async () => {
    if (busy || done) return;
    busy = true;
    try {
      await Promise.race([store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${everyMs} ms`)), everyMs).unref())]);
      failed = 0;
    } catch (err) {
      failed++;
      if (failed >= limit && !done) {
        done = true;
        clearInterval(timer);
        opts.onLost(err instanceof Error ? err : new Error(String(err)));
      }
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return {
    stop() {
      done = true;
      clearInterval(timer);
    },
  };
}
