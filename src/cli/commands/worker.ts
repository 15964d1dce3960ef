// `tally worker`: consumes the scheduler ticks, sends and mailbox syncs from pg-boss (PostgreSQL).
// Run as many as needed, on as many machines; each also offers the jobs on its intervals (the
// throttle keys drop duplicates), so workers alone keep the team's mail moving. Prints a pino line
// "worker ready" once it is consuming. SIGTERM/SIGINT: stop fetching, let runs in flight finish
// (up to --stop-timeout), stop pg-boss, close the store, exit 0. Losing the database: exit 1, so
// the supervisor restarts it. On SQLite the jobs run inside `tally serve` instead (docs/decisions.md).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { TallyError } from '../../core/errors.ts';
import { PgBossRunner } from '../../jobs/pg-boss.ts';
import { watchDatabase } from '../../jobs/runtime.ts';
import { createLogger, errorFields, type Logger } from '../../observability/log.ts';
import { Metrics } from '../../observability/metrics.ts';
import { startOpsServer, type OpsServer } from '../../observability/ops-server.ts';
import { isPostgresUrl, openStore } from '../../store/store.ts';
import { UsageError, type Cli } from '../cli.ts';
import { processIo } from '../io.ts';
import { wholeNumber } from '../options.ts';

/** A positive number of seconds (fractions allowed: tests use short intervals). */
export function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds > 0.');
  return n;
}

export interface JobFlags {
  tickEvery?: number;
  sendEvery?: number;
  syncEvery?: number;
  webhooksEvery?: number;
  concurrency: number;
  stopTimeout: number;
}

/** The job options `tally worker` and `tally serve` share. */
export function jobOptions(cmd: Command): Command {
  return cmd
    .option('--tick-every <seconds>', 'seconds between scheduler ticks per workspace (default 60)', seconds)
    .option('--send-every <seconds>', 'seconds between send runs per mailbox (default 30)', seconds)
    .option('--sync-every <seconds>', 'seconds between IMAP syncs per mailbox (default 120)', seconds)
    .option('--webhooks-every <seconds>', 'seconds between webhook delivery runs (default 15)', seconds)
    .option('--concurrency <n>', 'job runs at once (worker: per job kind)', wholeNumber(1), 2)
    .option('--stop-timeout <seconds>', 'on SIGTERM, how long runs in flight may take to finish', seconds, 30);
}

export function intervalsOf(o: JobFlags): Record<string, number> {
  const out: Record<string, number> = {};
  if (o.tickEvery !== undefined) out.tick = o.tickEvery;
  if (o.sendEvery !== undefined) out.send = o.sendEvery;
  if (o.syncEvery !== undefined) out.sync = o.syncEvery;
  if (o.webhooksEvery !== undefined) out.webhooks = o.webhooksEvery;
  return out;
}

/** The logger of a long-running command: JSON lines on the command's stdout. */
export function processLogger(cli: Cli, name: string): Logger {
  return createLogger({ name, destination: cli.io.stdout === process.stdout ? undefined : cli.io.stdout });
}

/** The first SIGTERM or SIGINT from now on; `cancel` removes the listeners (start-up failed). */
export function nextSignal(): { promise: Promise<NodeJS.Signals>; cancel(): void } {
  let on: (s: NodeJS.Signals) => void = () => undefined;
  const cancel = () => {
    process.off('SIGTERM', on);
    process.off('SIGINT', on);
  };
  const promise = new Promise<NodeJS.Signals>((resolve) => {
    on = (s) => {
      cancel();
      resolve(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
  return { promise, cancel };
}

/** In the real process only: if shutting down hangs (a dead socket), exit anyway after `ms`. */
export function exitAfter(cli: Cli, ms: number, code: number): void {
  if (cli.io.stdout !== process.stdout) return;
  setTimeout(() => process.exit(code), ms).unref();
}

type WorkerOptions = JobFlags & { metricsPort?: number; metricsHost: string; schedule: boolean; poll?: number };

export function registerWorker(program: Command, cli: Cli): void {
  jobOptions(
    program
      .command('worker')
      .description('work the scheduled jobs (ticks, sends, syncs) from the PostgreSQL queue; run one or many'),
  )
    .option('--metrics-port <n>', 'serve /metrics, /healthz and /readyz on this port', wholeNumber(0))
    .option('--metrics-host <address>', 'address for --metrics-port', '127.0.0.1')
    .option('--no-schedule', 'only consume jobs; leave enqueueing to `tally serve` or other workers')
    .option('--poll <seconds>', 'how often an idle worker asks the queue for a job (default 2, at least 0.5)', seconds)
    .action(async (o: WorkerOptions, cmd: Command) => {
      const location = cli.location(cmd);
      if (!isPostgresUrl(location)) {
        throw new UsageError('tally worker needs PostgreSQL (--db postgres://… or TALLY_DATABASE_URL): on a SQLite file the jobs run inside "tally serve"');
      }
      if (o.metricsPort !== undefined && o.metricsPort > 65535) throw new UsageError(`--metrics-port ${o.metricsPort} is not a port (0–65535)`);
      const log = processLogger(cli, 'tally-worker');
      // A connection the server kills while a driver holds it checked out can surface as an
      // unhandled 'error' event (inside pg-boss); the database is gone either way: say so, exit 1.
      const onCrash = (err: unknown) => {
        const code = String((err as { code?: unknown }).code ?? '');
        const dbLost = /^(57P0\d|3D000|08\d{3}|ECONNRESET|ECONNREFUSED|EPIPE)$/.test(code);
        log.fatal({ ...errorFields(err) }, dbLost ? 'lost the database: exiting so the supervisor restarts this worker' : 'unexpected error: exiting so the supervisor restarts this worker');
        process.exit(1);
      };
      if (cli.io === processIo) process.on('uncaughtException', onCrash); // in-process CLI tests keep their runner's handler
      const store = await openStore(location);
      const metrics = new Metrics(store, cli.now);
      const runner = new PgBossRunner({
        url: location,
        runtime: cli.runtime(store),
        log,
        metrics,
        intervals: intervalsOf(o),
        concurrency: o.concurrency,
        schedule: o.schedule,
        consume: true,
        pollSeconds: o.poll ?? Math.min(2, ...Object.values(intervalsOf(o))),
      });
      metrics.attach(runner);
      let ops: OpsServer | null = null;
      let lost: Error | null = null;
      const signal = nextSignal();
      let onLost: (err: Error) => void = () => undefined;
      const dbLost = new Promise<'lost'>((resolve) => (onLost = (err) => ((lost = err), resolve('lost'))));
      try {
        await runner.start();
        if (o.metricsPort !== undefined) ops = await startOpsServer({ port: o.metricsPort, host: o.metricsHost, store, metrics, jobs: () => runner.status() });
        const watchdog = watchDatabase(store, { onLost });
        log.info({ pid: process.pid, database: store.location, concurrency: o.concurrency, schedule: o.schedule, metricsPort: ops?.port ?? null }, 'worker ready');
        const why = await Promise.race([signal.promise, dbLost]);
        watchdog.stop();
        if (why === 'lost') {
          log.fatal({ ...errorFields(lost) }, 'lost the database: exiting so the supervisor restarts this worker');
          exitAfter(cli, 10_000, 1);
          throw new TallyError(`lost the database ${store.location}: ${lost!.message}`, 'unavailable');
        }
        log.info({ signal: why, timeoutMs: o.stopTimeout * 1000 }, 'worker stopping');
        exitAfter(cli, o.stopTimeout * 1000 + 15_000, 0);
        await ops?.close();
        ops = null;
        await runner.stop({ timeoutMs: o.stopTimeout * 1000 });
        await store.close();
        log.info('worker stopped');
      } catch (err) {
        signal.cancel();
        // Start-up failed (or the database went away): return pg-boss's and the store's connections.
        if (runner.status().started) await runner.stop({ timeoutMs: 1_000 }).catch(() => undefined);
        await ops?.close();
        await store.close().catch(() => undefined);
        throw err;
      }
    });
}
