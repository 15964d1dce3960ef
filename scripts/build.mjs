// Compiles the CLI (src/) into dist/ with esbuild: `npm run build`, and `prepare` on npm install / npm ci.
// bin/tally.js calls ensureBuilt() first, so in a checkout an edited source is rebuilt before it runs:
// dist/ never silently runs old code. Why esbuild, one CommonJS file and what is bundled: docs/decisions.md.
//
// dist/cli/main.cjs holds the whole CLI. Each command's module still runs only when the command does
// (esbuild keeps a dynamically imported module behind an init function), and one file is what lets
// bin/tally.js keep V8's compiled code between runs (Node 20 has no compile cache for ES modules).
// It sits two levels below the package root like every module in src/<folder>/, so a path resolved
// from import.meta.url (the web app's web/dist) is the same from the build and from the sources.
// dist/cli/commands.json lists the commands for `tally --help` without loading them.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
/** Written last by a build, with the build's start time: sources modified after it are newer than dist/. */
const STAMP = join('cli', 'built');
/** What a build reads: a change to any of these (a file edited, added or removed) makes dist/ stale. */
const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.mjs'];

/**
 * Bundled into the chunks rather than imported from node_modules: the pure-JS libraries nearly every
 * command loads, because Node reads an ESM package file by file (kysely is ~280 modules, zod ~100) and
 * that dominated start-up. fastify-type-provider-zod is bundled with zod so that one zod serves the
 * routes and the provider. Everything else — native addons (better-sqlite3, argon2), packages that read
 * their own files (swagger-ui, pino's transports), and what only the server loads — stays external.
 */
const BUNDLED = new Set(['cli-progress', 'commander', 'handlebars', 'kysely', 'luxon', 'yaml', 'zod', 'fastify-type-provider-zod']);

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const externalUnlessBundled = {
  name: 'external-unless-bundled',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      // Inside a bundled package: its own dependencies come along (never resolved from elsewhere).
      if (args.importer.includes(`${sep}node_modules${sep}`)) return undefined;
      return BUNDLED.has(packageName(args.path)) ? undefined : { path: args.path, external: true };
    });
  },
};

/** The newest modification time of a file or folder tree (a folder's changes when an entry is added or removed). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Whether dist/ is missing or older than a source. False for an install without the sources (dist/ is all there is). */
export function distIsStale() {
  if (!existsSync(join(ROOT, 'src'))) return false;
  let built;
  try {
    built = statSync(join(DIST, STAMP)).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((input) => existsSync(join(ROOT, input)) && newest(join(ROOT, input)) > built);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One build at a time across processes (two `tally` runs after an edit, parallel test files). */
async function withBuildLock(fn) {
  const lock = `${DIST}.lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A build killed half-way leaves its lock behind: take it over when it is clearly abandoned.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // gone meanwhile: try again
      }
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds into a folder aside, then moves it into place: a starting `tally` never reads half a build. */
async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch {
    return null;
  }
}

const NO_ESBUILD = 'esbuild is not installed, so the CLI cannot be built: run "npm install" (with development dependencies)';

async function build(esbuild) {
  const started = Date.now();
  const out = `${DIST}.build-${process.pid}`;
  rmSync(out, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ['src/cli/main.ts'],
    outfile: join(out, 'cli', 'main.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // import() of an external package becomes require() (Node ≥ 20.19 requires ES modules too): a
    // script compiled through vm.Script can only import() under an experimental flag.
    supported: { 'dynamic-import': false },
    // The one module URL of the bundle stands for each source module's import.meta.url.
    define: { 'import.meta.url': '__tallyModuleUrl' },
    banner: { js: 'const __tallyModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    // For debuggers and TALLY_DEBUG stack traces (bin/tally.js turns them on only then).
    sourcemap: 'linked',
    plugins: [externalUnlessBundled],
    logLevel: 'silent',
  });
  // A warning here (import.meta.dirname, a top-level await…) would be a CLI that misbehaves: fail instead.
  if (result.warnings.length) {
    const text = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
    throw new Error(`the build has warnings:\n${text.join('\n')}`);
  }
  // esbuild escapes non-ASCII text in strings but not in regular expressions (the inbound classifier's
  // wording in many languages) or comments, and one such character makes V8 hold the whole 2.6 MB
  // bundle as a two-byte string: escape them, same meaning (source-map columns shift on those lines).
  const bundle = join(out, 'cli', 'main.cjs');
  writeFileSync(bundle, readFileSync(bundle, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
  // Describing the commands loads every module (and every library they import at their top: a package
  // that cannot be required fails the build here). Done in a child process, never in a running CLI.
  const manifest = join(out, 'cli', 'commands.json');
  const describe = `require('node:fs').writeFileSync(${JSON.stringify(manifest)}, JSON.stringify(await require(${JSON.stringify(bundle)}).describeAllCommands()));
    process.exit(0);`;
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['--input-type=module', '-e', `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(bundle)}); ${describe}`], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TALLY_LOG_LEVEL: 'silent' },
  });
  const stamp = join(out, STAMP);
  writeFileSync(stamp, `built from the sources as they were at ${new Date(started).toISOString()}\n`);
  utimesSync(stamp, started / 1000, started / 1000);
  const old = `${DIST}.old-${process.pid}`;
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(out, DIST);
  rmSync(old, { recursive: true, force: true });
  return Date.now() - started;
}

/** Builds dist/ when it is stale; returns whether it did. `say` hears why, before the build starts. */
export async function ensureBuilt(say = () => {}) {
  if (!distIsStale()) return false;
  const esbuild = await loadEsbuild();
  if (!esbuild) {
    // An install without development dependencies: say so, and run the build there is, if any.
    if (!existsSync(join(DIST, 'cli', 'main.cjs'))) throw new Error(NO_ESBUILD);
    say('tally: note: the sources are newer than dist/, and esbuild is not installed to rebuild it: running the old build');
    return false;
  }
  return withBuildLock(async () => {
    if (!distIsStale()) return false; // another process built it while we waited
    say('tally: the sources changed since dist/ was built; building it (npm run build)…');
    await build(esbuild);
    return true;
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const esbuild = await loadEsbuild();
  if (!esbuild) throw new Error(NO_ESBUILD);
  const ms = await withBuildLock(() => build(esbuild));
  process.stdout.write(`built dist/ in ${(ms / 1000).toFixed(1)} s\n`);
}
