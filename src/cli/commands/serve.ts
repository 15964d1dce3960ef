// `tally serve`: the HTTP API and the web app on one port, plus the scheduled jobs, until Ctrl-C.
// SQLite: ticks, sends and syncs run in this process. PostgreSQL: this process enqueues them on
// pg-boss and, unless --no-jobs, works them too (enough for a small team); bigger teams add
// `tally worker`s. Shutdown (SIGTERM/SIGINT): HTTP first (requests in flight finish), then the jobs
// (runs in flight get --stop-timeout), then the store.
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { buildServer } from '../../api/server.ts';
import { createRunner } from '../../jobs/runtime.ts';
import { Metrics } from '../../observability/metrics.ts';
import { openStore, type Store } from '../../store/store.ts';
import { acquireJobsLock, type JobsLock } from '../../store/sqlite/jobs-lock.ts';
import { issueSetupCode } from '../../app/setup-code.ts';
import { UsageError, type Cli } from '../cli.ts';
import { wholeNumber } from '../options.ts';
import { print } from '../io.ts';
import { ensureWebBuilt } from '../web-build.ts';
import { exitAfter, intervalsOf, jobOptions, nextSignal, processLogger, type JobFlags } from './worker.ts';

export type ServeOptions = JobFlags & { port: number; host: string; trustProxy?: boolean; jobs: boolean; publicUrl?: string; readers?: number };

/**
 * SQLite: reader threads when there are cores to spare beyond the main thread and one more (up to 4), so reps'
 * screens read side by side while writes take turns; none on 2 cores, where they measured no steady gain
 * (docs/benchmarks.md, api).
 */
export const DEFAULT_READERS = Math.max(0, Math.min(4, availableParallelism() - 2));

export function registerServe(program: Command, cli: Cli): void {
  jobOptions(
    program
      .command('serve')
      .description('serve the HTTP API (docs at /api/docs) and the web app, and run the scheduled jobs')
      .option('--port <n>', 'port to listen on', wholeNumber(0), 3000)
      .option('--host <address>', 'address to listen on (0.0.0.0 for every interface)', '127.0.0.1')
      .option('--trust-proxy', 'behind a TLS proxy: trust X-Forwarded-* (cookies become Secure on https)')
      .option('--no-jobs', 'run no jobs here (PostgreSQL: only enqueue them, for `tally worker`s to run)')
      .option('--public-url <url>', 'where people reach this server (links in mail, e.g. password resets); default: the address it listens on')
      .option('--readers <n>', 'SQLite: threads that serve reads, each with its own connection (0: reads on the one connection; default: cores - 2, at most 4)', wholeNumber(0), DEFAULT_READERS),
  ).action(async (o: ServeOptions, cmd: Command) => {
    if (o.port > 65535) throw new UsageError(`--port ${o.port} is not a port (0–65535)`);
    if (o.publicUrl !== undefined && !/^https?:\/\/[^\s/]+/i.test(o.publicUrl)) throw new UsageError(`--public-url ${o.publicUrl} is not an http(s) URL`);
    await serve(cli, cli.location(cmd), o);
  });
}

interface JobsClaim {
  run: boolean;
  /** Why no jobs run here (printed); '--no-jobs' when asked for. */
  why: string;
  lock?: JobsLock;
}

/** On SQLite, the jobs run in the one process that holds the file's jobs lock; a second server serves without them. */
function claimJobs(store: Store, wanted: boolean): JobsClaim {
  if (!wanted) return { run: false, why: '--no-jobs' };
  if (store.dialect !== 'sqlite') return { run: true, why: '' };
  const claim = acquireJobsLock(store.location);
  if (claim.acquired) return { run: true, why: '', lock: claim.lock };
  return { run: false, why: `${claim.holder} already runs the jobs for ${store.location} (another tally serve?): this one serves the API and the web app only` };
}

/** Serves until SIGTERM/SIGINT; `announce` prints extra lines once listening (the demo's sign-in). */
export async function serve(cli: Cli, location: string, o: ServeOptions, announce?: (address: string) => void): Promise<void> {
  await ensureWebBuilt((line) => print(cli.io, line));
  const log = processLogger(cli, 'tally');
  const store = await openStore(location, { readers: o.readers ?? DEFAULT_READERS });
  const metrics = new Metrics(store, cli.now);
  const runtime = cli.runtime(store);
  const jobs = claimJobs(store, o.jobs);
  const runner = await createRunner({ location, dialect: store.dialect, runtime, log, metrics, intervals: intervalsOf(o), concurrency: o.concurrency, consume: jobs.run });
  metrics.attach(runner);
  // Per-request lines only at debug: a busy queue screen would drown the job logs at info.
  const httpLog = log.child({ component: 'http' }, { level: ['debug', 'trace'].includes(log.level) ? log.level : 'warn' });
  let listening = '';
  const app = await buildServer({
    runtime,
    database: store,
    publicUrl: () => o.publicUrl ?? listening,
    trustProxy: o.trustProxy === true,
    logger: httpLog,
    health: { metrics, jobs: runner ? () => runner.status() : null },
    importStore: store.dialect === 'sqlite' ? () => openStore(location, { migrate: false, bulk: true }) : undefined,
  });
  const signal = nextSignal();
  try {
    await runner?.start();
    const address = await app.listen({ port: o.port, host: o.host });
    listening = address;
    print(cli.io, `Tally is serving ${store.location} on ${address}  (API docs: ${address}/api/docs)`);
    print(cli.io, runner ? `Jobs: ${runner.mode}${runner.status().consuming ? '' : ' (enqueue only: run `tally worker`s)'}; health at ${address}/readyz, metrics at ${address}/metrics` : `Jobs: off (${jobs.why})`);
    if (!jobs.run && jobs.why !== '--no-jobs') log.warn({ reason: jobs.why }, 'this server runs no jobs');
    announce?.(address);
    const setupCode = await issueSetupCode(runtime);
    if (setupCode) print(cli.io, `No account yet: the first sign-up owns the workspace, with the setup code ${setupCode} (open the web app, or POST /api/auth/signup).`);
    print(cli.io, 'Press Ctrl-C to stop.');
    const why = await signal.promise;
    log.info({ signal: why }, 'server stopping');
    exitAfter(cli, o.stopTimeout * 1000 + 15_000, 0);
  } finally {
    signal.cancel();
    await app.close();
    await runner?.stop({ timeoutMs: o.stopTimeout * 1000 });
    jobs.lock?.release();
    await store.close();
  }
  log.info('server stopped');
}
