// bin/tally.js and scripts/build.mjs in a copy of the project: a fresh checkout compiles dist/ on its
// first run, an edited source is compiled before it runs (never the old code), an unchanged one is not,
// and several commands started together after an edit build once and all run the new code.
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const copy = tempDir('tally-build-');
const BUILDING = /building it/;

beforeAll(() => {
  for (const path of ['bin', 'scripts', 'src', 'package.json', 'package-lock.json', 'tsconfig.json']) cpSync(join(ROOT, path), join(copy, path), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
});

function tally(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(copy, 'bin', 'tally.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Changes what `tally --help` says about init, as an edit to the sources would. */
function editInitDescription(text: string): void {
  const file = join(copy, 'src', 'cli', 'commands', 'init.ts');
  const source = readFileSync(file, 'utf8').replace(/\.description\('[^']*'\)/, `.description('${text}')`);
  writeFileSync(file, source);
}

it('builds dist/ when missing, again only after an edit, once for commands started together', async () => {
  const first = await tally('--version');
  expect(first.code).toBe(0);
  expect(first.stderr).toMatch(BUILDING);
  expect(readFileSync(join(copy, 'dist', 'cli', 'main.cjs'), 'utf8').length).toBeGreaterThan(0);

  const second = await tally('--help');
  expect(second).toMatchObject({ code: 0, stderr: '' });
  expect(second.stdout).toContain('create the workspace, your user');

  editInitDescription('set up a workspace (edited)');
  const edited = await tally('--help');
  expect(edited.stderr).toMatch(BUILDING);
  expect(edited.stdout).toContain('set up a workspace (edited)');

  editInitDescription('set up a workspace (edited twice)');
  const together = await Promise.all([tally('--help'), tally('--help'), tally('init', '--help')]);
  for (const r of together) {
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('set up a workspace (edited twice)');
  }
  expect(together.filter((r) => BUILDING.test(r.stderr))).toHaveLength(1);

  // A source that does not compile: where, in esbuild's words; no stack trace, and not the old code.
  editInitDescription("oops'");
  const broken = await tally('--help');
  expect(broken.code).toBe(1);
  expect(broken.stderr).toMatch(/tally: cannot build the CLI: [\s\S]*src\/cli\/commands\/init\.ts:\d+:\d+/);
  expect(broken.stderr).not.toMatch(/^\s+at /m);
}, 300_000);
