// Liveness and readiness, shared by `tally serve` (/healthz, /readyz) and `tally worker --metrics-port`.
// Ready means: the database answers, its schema is migrated to this version, and the job runner
// (when this process runs one) has started and is not shutting down.
import type { Kysely } from 'kysely';
import { pendingMigrations } from '../store/migrate.ts';
import type { Store } from '../store/store.ts';
import type { RunnerStatus } from '../jobs/runner.ts';
import { ping } from './metrics.ts';

export interface Readiness {
  ready: boolean;
  /** The first failing check, for people. */
  reason: string | null;
  checks: { database: string; migrations: string; jobs: string };
  jobs: RunnerStatus | null;
}

const PING_TIMEOUT_MS = 3_000;

export async function readiness(store: Store, jobs: (() => RunnerStatus | null) | null): Promise<Readiness> {
  const checks = { database: 'ok', migrations: 'ok', jobs: 'not run in this process' };
  const failures: string[] = [];
  try {
    // A dead server can leave a query hanging until the TCP timeout: answer within a bound.
    await Promise.race([ping(store), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS).unref())]);
  } catch (err) {
    checks.database = `unreachable: ${err instanceof Error ? err.message : String(err)}`;
    failures.push(`database ${checks.database}`);
  }
  if (checks.database === 'ok') {
    try {
      const pending = await pendingMigrations(store.db as Kysely<unknown>);
      if (pending.length) {
        checks.migrations = `pending: ${pending.join(', ')}`;
        failures.push(`database not migrated (${checks.migrations}): run "tally migrate"`);
      }
    } catch (err) {
      checks.migrations = `unknown: ${err instanceof Error ? err.message : String(err)}`;
      failures.push(`migrations ${checks.migrations}`);
    }
  } else checks.migrations = 'unknown: database unreachable';
  const status = jobs?.() ?? null;
  if (jobs) {
    if (!status || !status.started) checks.jobs = 'not started';
    else if (status.stopping) checks.jobs = 'stopping';
    else checks.jobs = `${status.mode}${status.scheduling ? ', scheduling' : ''}${status.consuming ? ', consuming' : ''}`;
    if (!status?.started || status.stopping) failures.push(`job runner ${checks.jobs}`);
  }
  return { ready: failures.length === 0, reason: failures[0] ?? null, checks, jobs: status };
}
