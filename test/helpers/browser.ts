// Browser tests: Debian's chromium driven by playwright-core, and the web app built into a directory
// of its own (test files run in parallel; a shared web/dist would race) that is kept for the next
// file as long as no source of the bundle changed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, expect } from 'vitest';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { Client, PASSWORD, startServer } from '../api/harness.ts';
import type { Store } from '../../src/store/store.ts';
import { CLOCK_OFFSET_MS, testNow } from './clock.ts';
import { openContext } from '../../src/app/context.ts';
import { setSetting } from '../../src/app/workspace-settings.ts';
import { channelIds } from '../../src/core/channels/index.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

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

const BUNDLE_SOURCES = [WEB, resolve(WEB, '../src'), resolve(WEB, '../package-lock.json')];

/** Path, size and modification time of every file the bundle can be built from. */
function sourcesFingerprint(): string {
  const hash = createHash('sha256');
  const walk = (path: string): void => {
    const st = statSync(path);
    if (!st.isDirectory()) {
      hash.update(`${path}\0${st.size}\0${st.mtimeMs}\n`);
      return;
    }
    for (const name of readdirSync(path).sort()) if (name !== 'node_modules' && name !== 'dist') walk(join(path, name));
  };
  for (const p of BUNDLE_SOURCES) walk(p);
  return hash.digest('hex').slice(0, 16);
}

/**
 * The web app built for these sources (serve it with startServer({ webDir })). A build takes seconds
 * per browser test file, so it is kept under the sources' fingerprint and reused until one changes;
 * two files building at once each build into their own directory and the first rename wins.
 */
export async function buildWeb(): Promise<string> {
  const cached = join(tmpdir(), `tally-web-${sourcesFingerprint()}`);
  if (existsSync(join(cached, 'index.html'))) {
    const now = new Date();
    utimesSync(cached, now, now); // its last use, for the clean-up below
    return cached;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'tally-web-build-'));
  await build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  // Builds not used for an hour go (another test file may be removing the same one at the same time).
  for (const name of readdirSync(tmpdir())) {
    if (!/^tally-web-[0-9a-f]{16}$/.test(name)) continue;
    const old = join(tmpdir(), name);
    const used = statSync(old, { throwIfNoEntry: false })?.mtimeMs;
    if (used !== undefined && Date.now() - used > 3_600_000) rmSync(old, { recursive: true, force: true });
  }
  try {
    renameSync(outDir, cached);
  } catch {
    rmSync(outDir, { recursive: true, force: true }); // another file's build got there first
  }
  return cached;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * A headless chromium with a fresh profile (removed on close). The page's clock starts at `time` when
 * given, else at the tests' clock when TALLY_CLOCK_OFFSET shifts it, and runs on from there.
 */
export async function openBrowser(viewport = { width: 1280, height: 900 }, opts: { time?: number; timezoneId?: string } = {}): Promise<Browser> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'tally-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    viewport,
    ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
  });
  const time = opts.time ?? (CLOCK_OFFSET_MS !== 0 ? testNow() : undefined);
  if (time !== undefined) await context.clock.install({ time });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface WebSession {
  base: string;
  store: Store;
  page: Page;
  /** The workspace's manager (you@demo.tally), signed up through the API. */
  owner: Client;
}

/**
 * Call in beforeAll: the app built, served over a demo workspace its manager has claimed, and a
 * browser page; all of it is stopped and removed after the file's tests.
 */
export async function openWebSession(opts: { demoProspects: number; viewport: { width: number; height: number }; anyHour?: boolean }): Promise<WebSession> {
  const webDir = await buildWeb();
  // Links in mail (invitations, resets) point at this server.
  let origin = '';
  const { base, store, setupCode } = await startServer({ demoProspects: opts.demoProspects, webDir, publicUrl: () => origin });
  origin = base;
  if (opts.anyHour) await openEveryHour(store);
  const owner = new Client(base);
  expect((await owner.post('/api/auth/signup', { email: 'you@demo.tally', name: 'Morgan Manager', password: PASSWORD, setupCode })).status).toBe(201);
  const browser = await openBrowser(opts.viewport);
  afterAll(() => browser.close());
  return { base, store, page: await browser.context.newPage(), owner };
}

/** Signs in on the app's sign-in page and waits for the queue's first card. */
export async function signInToQueue(page: Page, base: string, email = 'you@demo.tally'): Promise<void> {
  await page.goto(base);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.locator('#prospect-name').waitFor();
}

/**
 * Every hour of every day a working hour, for every prospect: no quiet hours, every channel's window
 * 00:00–24:00, seven working days. Tests of the queue's mechanics (keys, undo, skip, sending) need
 * cards to work whenever they run; left as they are, the demo's due touches are rightly held until
 * the prospects' morning when the suite runs in the rep's evening, and that is the rep's tomorrow.
 * (The holds themselves are tested at pinned instants: test/core/guardrails.test.ts.)
 */
export async function openEveryHour(store: Store): Promise<void> {
  const ctx = await openContext(runtimeFor(store, { now: testNow }), { now: testNow });
  const changes: [string, string][] = [['workdays', '1,2,3,4,5,6,7'], ['guardrails.quietHours', 'null'], ...channelIds().map((c): [string, string] => [`windows.${c}`, '00:00-24:00'])];
  for (const [path, value] of changes) await setSetting(ctx, path, value);
}

/** What a screen reader would call the focused element (enough for our controls). */
export function focusedName(page: Page): Promise<string> {
  // A string, evaluated in the page: the test project has no DOM types.
  return page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el) return '';
    return (el.getAttribute('aria-label') ?? el.labels?.[0]?.textContent ?? el.textContent ?? '').trim();
  })()`);
}

/** Presses Tab (or Shift+Tab) until the named control has the focus: the keyboard path to it. */
export async function tabTo(page: Page, name: string, opts: { back?: boolean; maxPresses?: number } = {}): Promise<void> {
  const path: string[] = [];
  for (let i = 0; i < (opts.maxPresses ?? 120); i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    const at = await focusedName(page);
    if (at === name) return;
    path.push(at.slice(0, 40));
  }
  throw new Error(`"${name}" cannot be reached with the keyboard; the focus went through: ${[...new Set(path)].join(' | ')}`);
}

/** Holds a key down for `ms` as a keyboard does: a first press, then repeats (repeat: true) about every 33 ms. */
export async function holdKey(page: Page, key: string, ms: number): Promise<void> {
  await page.keyboard.down(key);
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await page.waitForTimeout(33);
    await page.keyboard.down(key);
  }
  await page.keyboard.up(key);
}

/**
 * docs/screenshots/<file>. Taken only in the pass at the real date: the clock-ahead pass
 * (TALLY_CLOCK_OFFSET) would put dates days ahead into the docs, and a full-page capture costs about
 * a second of the browser's CPU, which the other files running beside it wait for.
 */
export async function docScreenshot(target: Page | Locator, file: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  if (CLOCK_OFFSET_MS !== 0) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await target.screenshot({ path: join(SCREENSHOTS, file), ...opts });
}

/** The two screens the pages are looked at on: a laptop's and a desktop monitor's. */
export const SCREEN_SIZES = [{ width: 1366, height: 768 }, { width: 1920, height: 1080 }] as const;

/** docs/screenshots/<name>-<width>.png at each of SCREEN_SIZES, back to the first size after. */
export async function screenshotsAt(page: Page, name: string): Promise<void> {
  for (const size of SCREEN_SIZES) {
    await page.setViewportSize(size);
    await docScreenshot(page, `${name}-${size.width}.png`);
  }
  await page.setViewportSize(SCREEN_SIZES[0]);
}
