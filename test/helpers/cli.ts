// Runs the CLI in-process: main() with captured stdout/stderr, against a real SQLite file; or as the
// installed command, bin/tally.js in a process of its own (the compiled CLI in dist/).
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Database file; passed as `--db` before the command. */
  db?: string;
  /** Environment for the run (e.g. TALLY_NOW); `undefined` removes a variable. Restored afterwards. */
  env?: Record<string, string | undefined>;
}

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

export async function runCli(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  const out = capture();
  const err = capture();
  const io: Io = { stdout: out.stream, stderr: err.stream, interactive: false };
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const argv = opts.db ? ['--db', opts.db, ...args] : args;
    const code = await main(argv, io);
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** The `tally` command as installed: it runs the compiled CLI (dist/, rebuilt by test/setup/build.ts). */
export const BIN = fileURLToPath(new URL('../../bin/tally.js', import.meta.url));

/** Runs bin/tally.js in a process of its own; `env` is added to this process's environment. */
export async function runBin(args: string[], env: Record<string, string> = {}, nodeOptions: string[] = []): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [...nodeOptions, BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A CLI bound to one database and a pinned clock; `at` moves the clock. */
export class TallyCli {
  now: string;
  constructor(
    readonly db: string,
    now = '2026-03-02T14:00:00Z',
  ) {
    this.now = now;
  }

  run(...args: string[]): Promise<CliResult> {
    return runCli(args, { db: this.db, env: { TALLY_NOW: this.now } });
  }

  /** Runs a command that must succeed; returns its stdout. */
  async ok(...args: string[]): Promise<string> {
    const r = await this.run(...args);
    if (r.code !== 0) throw new Error(`tally ${args.join(' ')} exited ${r.code}\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  /** Runs a read command with --json and parses it. */
  async json<T = unknown>(...args: string[]): Promise<T> {
    return JSON.parse(await this.ok('--json', ...args)) as T;
  }

  at(iso: string): this {
    this.now = iso;
    return this;
  }
}

/** No stack-trace lines ("    at fn (file:1:2)") in a message meant for people. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+:\d+:\d+\)?$/m.test(text) || /\.ts:\d+:\d+/.test(text);
}
