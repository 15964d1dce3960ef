// The installed command (bin/tally.js, running the compiled dist/cli/main.cjs) against the sources: the
// same help although the compiled CLI lists commands without loading them, the version, and a command
// that loads only the libraries it uses.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { runBin, runCli, TallyCli } from '../helpers/cli.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();

describe('help, errors and version', () => {
  it.each([
    [[]],
    [['--help']],
    [['help']],
    [['today', '--help']],
    [['help', 'log']],
    [['blocks', '--help']],
    [['mailbox', 'add', '--help']],
    [['--json', 'serve', '--help']],
    [['todya']],
    [['--db']],
  ])('tally %j says what the sources say', async (args) => {
    const built = await runBin(args);
    const sources = await runCli(args);
    expect({ code: built.code, stdout: built.stdout, stderr: built.stderr }).toEqual(sources);
  });

  it('tally classify reads the mail corpus (wording in many languages) as the sources do', async () => {
    const corpus = join(import.meta.dirname, '..', 'fixtures', 'mail');
    const files = readdirSync(corpus, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.eml')).map((f) => join(corpus, f));
    expect(files.length).toBeGreaterThan(50);
    const built = await runBin(['--json', 'classify', ...files]);
    expect(built.code).toBe(0);
    expect(built.stdout).toBe((await runCli(['--json', 'classify', ...files])).stdout);
  });

  it('tally --version prints the version in package.json', async () => {
    for (const args of [['--version'], ['-V'], ['--db', join(dir, 'none.db'), '--version']]) {
      expect(await runBin(args)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
      expect(await runCli(args)).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  it('--version after a command is that command\'s option', async () => {
    const r = await runBin(['cadence', 'show', 'x', '--version', 'latest']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/option '--version <n>' argument 'latest' is invalid/);
  });
});

describe('a command loads only what it uses', () => {
  // Preloaded into the process: at exit, lists every CommonJS file it loaded (the external libraries).
  const spy = join(dir, 'spy.cjs');
  const db = join(dir, 'lazy.db');
  const HEAVY = ['fastify', 'pg-boss', 'pg', 'nodemailer', 'imapflow', 'mailparser', 'smtp-server', 'pino', 'prom-client', 'argon2', 'handlebars', 'ical-generator'];

  beforeAll(async () => {
    writeFileSync(spy, "process.on('exit', () => require('node:fs').writeFileSync(process.env.TALLY_TEST_LOADED, Object.keys(require.cache).join('\\n')));\n");
    await new TallyCli(db).ok('init', '--timezone', 'America/New_York');
  });

  let runs = 0;
  async function packagesLoaded(args: string[]): Promise<Set<string>> {
    const list = join(dir, `loaded-${++runs}.txt`);
    const r = await runBin(args, { TALLY_TEST_LOADED: list }, ['--require', spy]);
    expect(r.code, r.stderr).toBe(0);
    return new Set(readFileSync(list, 'utf8').split('\n').flatMap((path) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? []));
  }

  it.each([[['--version']], [['--help']], [['--db', db, 'today']], [['--db', db, 'log', '--help']]])('tally %j loads no server, mail or queue library', async (args) => {
    const loaded = await packagesLoaded(args);
    expect(HEAVY.filter((p) => loaded.has(p))).toEqual([]);
    if (args.includes('today')) expect(loaded.has('better-sqlite3')).toBe(true); // the spy sees what is loaded
  });
});
