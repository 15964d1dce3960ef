#!/usr/bin/env node
// The `tally` command: runs the compiled CLI, dist/cli/main.cjs (npm install builds it: scripts/build.mjs).
// In a checkout, sources edited since the build are compiled first (a few seconds, once), so the command
// always runs the code as it is.
//
// The bundle is compiled through vm.Script with V8's code cache, one cache per command (dist/cli/v8-cache/),
// written after the command's first successful run: parsing and compiling ~2.6 MB of JavaScript is most of
// a command's start-up, and Node 20 keeps no compile cache of its own. TALLY_DEBUG=1 loads it plainly,
// with stack traces mapped back to the sources.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { ensureBuilt } from '../scripts/build.mjs';

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli');
const BUNDLE = join(DIST, 'main.cjs');

/** The cache a run uses: its command's (the first word that names one), else the program's. */
function cacheFile(argv) {
  let names = [];
  try {
    names = JSON.parse(readFileSync(join(DIST, 'commands.json'), 'utf8')).flat().map((c) => c.name);
  } catch {
    // no manifest: one cache for every run
  }
  return join(DIST, 'v8-cache', `${argv.find((a) => names.includes(a)) ?? 'tally'}.bin`);
}

/** Loads the bundle as Node would load a CommonJS file, with the code V8 compiled on an earlier run. */
function loadCompiled(argv) {
  const file = cacheFile(argv);
  let cachedData;
  try {
    cachedData = readFileSync(file);
  } catch {
    // first run of this command since the build
  }
  // The function Node wraps around a CommonJS file.
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(BUNDLE, 'utf8')}\n})`;
  const script = new Script(source, { filename: BUNDLE, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, DIST);
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written at exit, when the run has compiled what the command uses; only after a run that worked.
    process.on('exit', (code) => {
      if (code !== 0) return;
      try {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(`${file}.${process.pid}`, script.createCachedData());
        renameSync(`${file}.${process.pid}`, file);
      } catch {
        // a read-only install: no cache, just a slower start
      }
    });
  }
  return module.exports;
}

try {
  await ensureBuilt((line) => process.stderr.write(`${line}\n`));
} catch (err) {
  // A source that does not compile, or no esbuild: esbuild's message names the file and line.
  process.stderr.write(`tally: cannot build the CLI: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
const argv = process.argv.slice(2);
let cli;
if (process.env.TALLY_DEBUG) {
  process.setSourceMapsEnabled(true);
  cli = createRequire(import.meta.url)(BUNDLE);
} else {
  cli = loadCompiled(argv);
}
process.exitCode = await cli.main(argv);
