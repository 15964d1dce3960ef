// Block mode in a real browser (issue 17): the rep starts a follow-up block, the timer runs and
// survives a reload, two touches are logged, "End block" shows the summary the server computed
// from those touches. The page's clock follows the tests' clock (test/helpers/browser.ts).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { openWebSession, SCREENSHOTS, signInToQueue } from '../helpers/browser.ts';

let page: Page;
let base: string;

beforeAll(async () => {
  ({ base, page } = await openWebSession({ demoProspects: 40, viewport: { width: 1366, height: 768 }, anyHour: true }));
}, 300_000);

it('starts a block, keeps its timer across a reload, logs two touches and ends with the summary', async () => {
  await signInToQueue(page, base);
  const heading = page.locator('#prospect-name');
  await page.getByLabel('Block length').selectOption('15');
  await page.getByRole('button', { name: 'Start a follow-up block' }).click();
  const timer = page.getByRole('timer');
  await expect.poll(() => timer.textContent()).toMatch(/^1[45]:\d\d left in this block$/);

  await page.reload();
  await heading.waitFor();
  await expect.poll(() => timer.textContent()).toMatch(/^1[45]:\d\d left in this block$/);

  for (let i = 0; i < 2; i++) {
    await page.locator('.card[data-armed="true"]').waitFor();
    const name = (await heading.textContent())!;
    await page.keyboard.press('1');
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain(name);
    await expect.poll(() => heading.textContent()).not.toBe(name);
  }
  // Past the 10 s undo window the touches are final; the summary counts them either way.
  await page.getByRole('button', { name: 'End block' }).click();
  const summary = page.getByRole('region', { name: /^Block done/ });
  await expect.poll(() => summary.locator('h2').textContent()).toMatch(/^Block done: 2 touches in (under a minute|\d+ min)$/);
  const text = (await summary.textContent())!;
  expect(text).toMatch(/By channel: \w+ [12]/);
  expect(text).toContain('Replies: 0 · meetings: 0');
  expect(text).toContain('Prospects moved forward: 2');
  expect(text).toMatch(/Your follow-up rate this week: (\d+%|no prospects to count yet)/);
  expect(text).toContain('against the industry’s 25%');
  expect(await page.getByRole('timer').count()).toBe(0);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'block-summary.png') });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: join(SCREENSHOTS, 'block-summary-1920.png') });
}, 180_000);
