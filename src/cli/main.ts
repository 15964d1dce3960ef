// The `tally` command line: commander wiring, exit codes and human error messages.
// Exit codes: 0 ok, 1 a failure (bad data, unknown prospect…), 2 a usage error.
import { Command, CommanderError } from 'commander';
import { TallyError, formatWhere } from '../core/errors.ts';
import { openContext } from '../app/context.ts';
import { defaultDbPath, openStore } from '../store/store.ts';
import { runtimeFor } from '../runtime/runtime.ts';
import { processIo, warn, type Io } from './io.ts';
import type { Cli, GlobalOptions } from './cli.ts';
import { registerCommands } from './commands/index.ts';
import { clockFromEnv } from './clock.ts';

function dbLocation(opts: GlobalOptions): string {
  return opts.db ?? process.env.TALLY_DATABASE_URL ?? defaultDbPath();
}

export function buildProgram(io: Io): Command {
  const now = clockFromEnv();
  const program = new Command('tally')
    .description('Tally: the follow-up engine for salespeople. Every prospect in a cadence, every touch in the tally.')
    .option('--db <path|url>', 'SQLite file or postgres:// URL (default: $TALLY_DATABASE_URL, else $TALLY_DB, else ~/.tally/tally.db)')
    .option('--as <email>', 'act as this user of the workspace (default: the first user)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError('(run "tally --help" for the commands)')
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();
  const cli: Cli = {
    io,
    now,
    opts: (cmd) => cmd.optsWithGlobals(),
    location: (cmd) => dbLocation(cmd.optsWithGlobals()),
    async withStore(cmd, fn) {
      const store = await openStore(dbLocation(cmd.optsWithGlobals()));
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
    runtime: (store) => runtimeFor(store, { now }),
    withContext(cmd, fn) {
      return cli.withStore(cmd, async (store) => fn(await openContext(cli.runtime(store), { as: cmd.optsWithGlobals<GlobalOptions>().as })));
    },
  };
  registerCommands(program, cli);
  program.commands.forEach(function override(c: Command) {
    c.exitOverride();
    c.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
    c.commands.forEach(override);
  });
  return program;
}

/** `tally today | head`: a reader that goes away early is not an error (and never a stack trace). */
let pipeGuarded = false;
function quietOnBrokenPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (io.stdout === process.stdout) quietOnBrokenPipe();
  let program: Command;
  try {
    program = buildProgram(io);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: Io): number {
  if (err instanceof CommanderError) {
    // Help and version are not errors; commander already printed its message.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return err.exitCode === 0 ? 0 : 2;
  }
  if (err instanceof TallyError) {
    const where = formatWhere(err.where);
    warn(io, `tally: ${where ? `${where}: ` : ''}${err.message}`);
    return err.code === 'usage' ? 2 : 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  warn(io, `tally: ${message}`);
  if (process.env.TALLY_DEBUG && err instanceof Error) warn(io, err.stack ?? '');
  return 1;
}
