// The commands, loaded lazily: `tally today` imports the today command's module (and the database code
// it needs) and nothing else — no HTTP server, mail or queue libraries. What `tally --help` lists of
// the others comes from the manifest the build writes next to the compiled CLI (describeCommands, run
// by scripts/build.mjs); from the sources, without a manifest, every module is loaded.
import { Command, type Argument } from 'commander';
import type { Cli } from '../cli.ts';

type Register = (program: Command, cli: Cli) => void;

/** Each module registers one or more top-level commands, in the order `tally --help` lists them. */
const MODULES: (() => Promise<Register>)[] = [
  async () => (await import('./init.ts')).registerInit,
  async () => (await import('./import.ts')).registerImport,
  async () => (await import('./cadence.ts')).registerCadence,
  async () => (await import('./enroll.ts')).registerEnroll,
  async () => (await import('./today.ts')).registerToday,
  async () => (await import('./review.ts')).registerReview,
  async () => (await import('./touch.ts')).registerTouch,
  async () => (await import('./show.ts')).registerShow,
  async () => (await import('./stats.ts')).registerStats,
  async () => (await import('./export.ts')).registerExport,
  async () => (await import('./schedule.ts')).registerSchedule,
  async () => (await import('./settings.ts')).registerSettings,
  async () => (await import('./nurture.ts')).registerNurture,
  async () => (await import('./demo.ts')).registerDemo,
  async () => (await import('./db.ts')).registerDb,
  async () => (await import('./serve.ts')).registerServe,
  async () => (await import('./mail.ts')).registerMail,
  async () => (await import('./worker.ts')).registerWorker,
  async () => (await import('./webhook.ts')).registerWebhook,
  async () => (await import('./users.ts')).registerUsers,
];

/** A top-level command as the program's help shows it: enough to list it without loading it. */
export interface CommandSummary {
  name: string;
  aliases: string[];
  summary: string;
  description: string;
  /** As declared: `<prospect>`, `[prospects...]`. */
  arguments: string[];
  options: { flags: string; description: string }[];
}

/** Per module (in MODULES order), the commands it registers. */
export type CommandManifest = CommandSummary[][];

function declared(arg: Argument): string {
  const name = `${arg.name()}${arg.variadic ? '...' : ''}`;
  return arg.required ? `<${name}>` : `[${name}]`;
}

function summarize(cmd: Command): CommandSummary {
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    summary: cmd.summary() ?? '',
    description: cmd.description(),
    arguments: cmd.registeredArguments.map(declared),
    options: cmd.options.map((o) => ({ flags: o.flags, description: o.description })),
  };
}

/** Loads every module once and describes its commands (the build stores this as the manifest). */
export async function describeCommands(cli: Cli): Promise<CommandManifest> {
  const manifest: CommandManifest = [];
  for (const load of MODULES) {
    const scratch = new Command();
    (await load())(scratch, cli);
    manifest.push(scratch.commands.map(summarize));
  }
  return manifest;
}

/** A stand-in that lists the command in the program's help; the real one is loaded whenever it is named. */
function addListing(program: Command, s: CommandSummary): void {
  const cmd = program.command(s.name).aliases(s.aliases).description(s.description);
  if (s.summary) cmd.summary(s.summary);
  for (const a of s.arguments) cmd.argument(a);
  for (const o of s.options) cmd.option(o.flags, o.description);
  cmd.action(() => {
    throw new Error(`the "${s.name}" command was listed but not loaded`);
  });
}

/**
 * Registers the commands. With a manifest, only the module of the command `named` (the first word
 * after the global options) is loaded and the others are listed from the manifest; `tally --help` and
 * an unknown word (commander suggests the nearest command) load none.
 */
export async function registerCommands(program: Command, cli: Cli, named: string | undefined, manifest: CommandManifest | null): Promise<void> {
  const listed = manifest?.length === MODULES.length ? manifest : null;
  for (const [i, load] of MODULES.entries()) {
    const commands = listed?.[i];
    if (commands && !commands.some((c) => c.name === named || c.aliases.includes(named ?? ''))) commands.forEach((c) => addListing(program, c));
    else (await load())(program, cli);
  }
}
