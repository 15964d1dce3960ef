// The heart of the web app in a real browser: sign in, then work three queue items by keyboard
// alone. Drives Debian's chromium through playwright-core (installed with apt-get when missing
// and root; otherwise the test fails naming the package).
import { beforeAll, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PASSWORD, type startServer } from '../api/harness.ts';
import { openWebSession, SCREENSHOTS, } from '../helpers/browser.ts';
import { isChannel, outcomesFor } from '../../src/core/channels/index.ts';

const SCREENSHOT = join(SCREENSHOTS, 'queue.png');

let page: Page;
let base: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];

beforeAll(async () => {
  ({ base, store, page } = await openWebSession({ demoProspects: 40, viewport: { width: 1100, height: 900 } }));
}, 300_000);

it('signs in and logs three touches with one keystroke each', async () => {
  await page.goto(base);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  const heading = page.locator('#prospect-name');
  await heading.waitFor();
  const label = page.locator('label[for="block-progress"]');
  await expect.poll(() => label.textContent()).toMatch(/^0 of \d+ done, \d+ min left/);
  const total = Number(/of (\d+)/.exec((await label.textContent())!)![1]);
  expect(total).toBeGreaterThanOrEqual(4);
  // Focus is on the prospect, not in a field: keys are commands.
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('prospect-name');

  const worked: string[] = [];
  const expected: string[] = [];
  for (const key of ['1', '2', '1']) {
    const name = (await heading.textContent())!;
    worked.push(name);
    // The keys are the outcomes the step's channel driver offers, in its order.
    const channel = /\[(\w+)\]/.exec((await page.locator('.card .meta').textContent())!)![1]!;
    if (!isChannel(channel)) throw new Error(`the queue shows an unknown channel ${channel}`);
    const offered = outcomesFor(channel);
    const buttons = await page.getByRole('group', { name: 'Log the outcome' }).getByRole('button').allTextContents();
    expect(buttons.slice(0, offered.length).map((b) => b.toLowerCase())).toEqual(offered.map((o, i) => `${i + 1} ${o.label}`));
    expected.push(offered[Number(key) - 1]!.code);
    await page.keyboard.press(key);
    await expect.poll(() => heading.textContent()).not.toBe(name);
    await expect.poll(() => page.getByRole('status').textContent()).toContain(name);
  }
  await expect.poll(() => label.textContent()).toMatch(new RegExp(`^3 of ${total} done`));
  // The next prospect has the focus again, ready for the next key.
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('prospect-name');

  const touches = await store.db
    .selectFrom('touches as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.outcome'])
    .where('u.email', '=', 'you@demo.tally')
    .where('t.note', 'is', null)
    .orderBy('t.id', 'desc')
    .limit(3)
    .execute();
  expect(touches.map((t) => t.outcome).reverse()).toEqual(expected);

  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
}, 120_000);
