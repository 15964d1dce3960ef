// Browser tests: Debian's chromium driven by playwright-core, and the web app built once per
// test file into its own directory (test files run in parallel; a shared web/dist would race).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const WEB = resolve(import.meta.dirname, '../../web');
export const SCREENSHOTS = resolve(import.meta.dirname, '../../docs/screenshots');

/** Installs chromium with apt-get when missing and root; otherwise fails naming the package. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM} is missing: install the Debian package "chromium" (apt-get install -y chromium)`);
  execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!existsSync(CHROMIUM)) throw new Error('apt-get install chromium did not provide /usr/bin/chromium: install the Debian package "chromium"');
}

/** Builds the web app into a fresh directory and returns it (serve it with startServer({ webDir })). */
export async function buildWeb(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'tally-web-'));
  await build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A headless chromium with a fresh profile (removed on close). */
export async function openBrowser(viewport = { width: 1280, height: 900 }): Promise<Browser> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'tally-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
