// Liveness and readiness, shared by `tally serve` (/healthz, /readyz) and `tally worker --metrics-port`.
// Ready means: the database answers, its schema is migrated to this version, and the job runner
// (when this process runs one) has started and is not shutting down.

/** What readiness asks of the database: a round trip, and whether its schema is this version's. */
export interface DatabaseProbe {
  ping(): Promise<void>;
  pendingMigrations(): Promise<string[]>;
}

/** What readiness asks of the job runner, when this process runs one. */
export interface JobsStatus {
  mode: string;
  started: boolean;
  stopping: boolean;
  /** Enqueues (pg-boss) or triggers (in-process) runs on the intervals. */
  scheduling: boolean;
  /** Runs jobs in this process. */
  consuming: boolean;
  running: number;
}

export interface Readiness {
  ready: boolean;
  /** The first failing check, for people. */
  reason: string | null;
  checks: { database: string; migrations: string; jobs: string };
  jobs: JobsStatus | null;
}

const PING_TIMEOUT_MS = 3_000;

export async function readiness(store: DatabaseProbe, jobs: (() => JobsStatus | null) | null): Promise<Readiness> {
  const checks = { database: 'ok', migrations: 'ok', jobs: 'not run in this process' };
  const failures: string[] = [];
  try {
    // A dead server can leave a query hanging until the TCP timeout: answer within a bound.
    await Promise.race([store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${PING_TIMEOUT_MS} ms`)), PING_TIMEOUT_MS).unref())]);
  } catch (err) {
    checks.database = `unreachable: ${err instanceof Error ? err.message : String(err)}`;
    failures.push(`database ${checks.database}`);
  }
  if (checks.database === 'ok') {
    try {
      const pending = await store.pendingMigrations();
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
