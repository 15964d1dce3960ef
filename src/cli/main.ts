// The `tally` command line: commander wiring, exit codes and human error messages.
// Exit codes: 0 ok, 1 a failure (bad data, unknown prospect…), 2 a usage error.
// Start-up is kept small: a command's module (and the database, mail or HTTP code it needs) is loaded
// only when that command runs (commands/index.ts), and the store only when a command opens it.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Help, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { TallyError, formatWhere } from '../core/errors.ts';
import { defaultDbPath } from '../store/location.ts';
import { runtimeFor } from '../runtime/runtime.ts';
import { processIo, warn, type Io } from './io.ts';
import type { Cli, GlobalOptions } from './cli.ts';
import { describeCommands, registerCommands, type CommandManifest } from './commands/index.ts';
import { clockFromEnv } from './clock.ts';
import { terminalSafe } from './terminal-text.ts';

function dbLocation(opts: GlobalOptions): string {
  return opts.db ?? process.env.TALLY_DATABASE_URL ?? defaultDbPath();
}

/** commander's help and errors echo what was typed (an unknown option, a bad value): terminal-safe too. */
function terminalOutput(io: Io) {
  return { writeOut: (s: string) => io.stdout.write(terminalSafe(s)), writeErr: (s: string) => io.stderr.write(terminalSafe(s)) };
}

/** The list of commands the build wrote next to the compiled CLI (scripts/build.mjs); none when running the sources. */
function builtManifest(): CommandManifest | null {
  try {
    return JSON.parse(readFileSync(new URL('commands.json', import.meta.url), 'utf8')) as CommandManifest;
  } catch {
    return null;
  }
}

const VERSION_FLAGS = ['-V', '--version'];

function rootProgram(io: Io): Command {
  const program = new Command('tally')
    .description('Tally: the follow-up engine for salespeople. Every prospect in a cadence, every touch in the tally.')
    .option('--db <path|url>', 'SQLite file or postgres:// URL (default: $TALLY_DATABASE_URL, else $TALLY_DB, else ~/.tally/tally.db)')
    .option('--as <email>', 'act as this user of the workspace (default: the first user)')
    .option('--json', 'machine-readable output')
    .showHelpAfterError('(run "tally --help" for the commands)')
    .configureOutput(terminalOutput(io))
    .exitOverride();
  // --version is answered before parsing (see main) rather than registered: commander would otherwise
  // take it from any position, and `tally cadence show X --version 2` means the cadence's version.
  const version = new Option(VERSION_FLAGS.join(', '), 'print the version of Tally');
  program.configureHelp({
    visibleOptions(cmd) {
      const shown = Help.prototype.visibleOptions.call(this, cmd);
      return cmd === program ? [version, ...shown] : shown;
    },
  });
  return program;
}

function shell(io: Io): Cli {
  const now = clockFromEnv();
  const cli: Cli = {
    io,
    now,
    opts: (cmd) => cmd.optsWithGlobals(),
    location: (cmd) => dbLocation(cmd.optsWithGlobals()),
    async withStore(cmd, fn) {
      const { openStore } = await import('../store/store.ts');
      const store = await openStore(dbLocation(cmd.optsWithGlobals()));
      try {
        return await fn(store);
      } finally {
        await store.close();
      }
    },
    runtime: (store) => runtimeFor(store, { now }),
    async withContext(cmd, fn) {
      const { openContext } = await import('../app/context.ts');
      return cli.withStore(cmd, async (store) => fn(await openContext(cli.runtime(store), { as: cmd.optsWithGlobals<GlobalOptions>().as })));
    },
  };
  return cli;
}

/**
 * What `argv` asks for before any command: the command it names (`tally [global options] <command> …`,
 * or `tally help <command>`), or the version.
 */
function request(program: Command, argv: string[]): { version: boolean; command?: string } {
  const taking = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (VERSION_FLAGS.includes(arg)) return { version: true };
    if (taking.has(arg)) i++;
    else if (arg === '--') return { version: false, command: argv[i + 1] };
    else if (!arg.startsWith('-')) return { version: false, command: arg === 'help' ? argv[i + 1] : arg };
  }
  return { version: false };
}

/** Adds every command; only the one named is loaded when the build described the others. */
async function addCommands(program: Command, io: Io, named: string | undefined): Promise<void> {
  await registerCommands(program, shell(io), named, builtManifest());
  program.commands.forEach(function override(c: Command) {
    c.exitOverride();
    c.configureOutput(terminalOutput(io));
    c.commands.forEach(override);
  });
}

/** Every command as `tally --help` lists it, for the build to write next to the compiled CLI. */
export function describeAllCommands(): Promise<CommandManifest> {
  return describeCommands(shell(processIo));
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
  try {
    const program = rootProgram(io);
    const asked = request(program, argv);
    if (asked.version) {
      io.stdout.write(`${pkg.version}\n`);
      return 0;
    }
    await addCommands(program, io, asked.command);
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
