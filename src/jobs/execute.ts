// One run of one job for one target, the same for every runner: take the key's lock, time it, log
// it, count it. A failure is logged and counted here and reported to the caller as an outcome;
// nothing is thrown, so a bad mailbox never stops the others.
import type { JobEnv, JobKind } from './catalogue.ts';
import type { KeyLocks } from './locks.ts';
import { errorFields } from '../observability/log.ts';

export type RunOutcome =
  | { outcome: 'ok'; summary: Record<string, number | string>; ms: number }
  | { outcome: 'failed'; error: string; ms: number }
  | { outcome: 'skipped'; ms: number };

export async function executeJob(env: JobEnv, locks: KeyLocks, kind: JobKind, id: number, extra: Record<string, unknown> = {}): Promise<RunOutcome> {
  const started = performance.now();
  const log = env.log.child({ job: kind.name, target: id, ...extra });
  const elapsed = () => Math.round(performance.now() - started);
  let result: RunOutcome;
  try {
    const r = await locks.withLock(kind.name, id, async () => {
      log.debug('job started');
      return kind.run({ ...env, log }, id);
    });
    if (!r.acquired) {
      log.debug('job skipped: another run of the same key is in progress');
      result = { outcome: 'skipped', ms: elapsed() };
    } else {
      result = { outcome: 'ok', summary: r.value, ms: elapsed() };
      log.info({ ms: result.ms, ...r.value }, 'job done');
    }
  } catch (err) {
    result = { outcome: 'failed', error: err instanceof Error ? err.message : String(err), ms: elapsed() };
    log.error({ ms: result.ms, ...errorFields(err) }, 'job failed');
  }
  env.metrics?.jobRuns.inc({ kind: kind.name, outcome: result.outcome });
  if (result.outcome !== 'skipped') env.metrics?.jobDuration.observe({ kind: kind.name }, result.ms / 1000);
  return result;
}
