// The web app is built by Vite into web/dist. `npm start` must work right after `npm install`,
// so the server builds it when it is missing or older than its sources (a few seconds, once).
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_WEB_DIR } from '../api/server.ts';
import { TallyError } from '../core/errors.ts';

const WEB_ROOT = join(DEFAULT_WEB_DIR, '..');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function webBuildIsStale(): boolean {
  const index = join(DEFAULT_WEB_DIR, 'index.html');
  if (!existsSync(index)) return true;
  const sources = Math.max(newestSource(join(WEB_ROOT, 'src')), ...['index.html', 'vite.config.ts'].map((f) => statSync(join(WEB_ROOT, f)).mtimeMs));
  return sources > statSync(index).mtimeMs;
}

/** Builds web/dist when stale; returns whether it built. Vite is a development dependency. */
export async function ensureWebBuilt(say: (line: string) => void): Promise<boolean> {
  if (!existsSync(join(WEB_ROOT, 'src'))) return false; // an install without the web sources
  if (!webBuildIsStale()) return false;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    if (existsSync(join(DEFAULT_WEB_DIR, 'index.html'))) {
      say('note: the web app in web/dist is older than its sources, and Vite is not installed to rebuild it');
      return false;
    }
    throw new TallyError('the web app is not built and Vite is not installed: run "npm install" (with development dependencies), or "npm run build:web" where it is');
  }
  say('Building the web app (once; web/dist)…');
  // Built aside and moved into place, so two servers starting at once never serve half a build.
  const aside = `${DEFAULT_WEB_DIR}.build-${process.pid}`;
  await vite.build({ root: WEB_ROOT, configFile: join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir: aside, emptyOutDir: true } });
  rmSync(DEFAULT_WEB_DIR, { recursive: true, force: true });
  try {
    renameSync(aside, DEFAULT_WEB_DIR);
  } catch (err) {
    // Another process moved its build in first: theirs is as good as ours.
    rmSync(aside, { recursive: true, force: true });
    if (!existsSync(join(DEFAULT_WEB_DIR, 'index.html'))) throw err;
  }
  return true;
}
