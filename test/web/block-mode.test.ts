// Block mode in a real browser (issue 17): the rep starts a follow-up block, the timer runs and
// survives a reload, two touches are logged, "End block" shows the summary the server computed
// from those touches. A block the rep reserved in Settings › Blocks starts block mode by itself
// while it is under way, its timer running to the block's end. The page's clock follows the tests'
// clock (test/helpers/browser.ts).
import { DateTime } from 'luxon';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import type { Client } from '../api/harness.ts';
import { openWebSession, signInToQueue, docScreenshot } from '../helpers/browser.ts';
import { testNow } from '../helpers/clock.ts';

let page: Page;
let base: string;
let owner: Client;

beforeAll(async () => {
  ({ base, page, owner } = await openWebSession({ demoProspects: 40, viewport: { width: 1366, height: 768 }, anyHour: true }));
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
  await expect.poll(() => page.getByRole('timer').count()).toBe(0);
  await docScreenshot(page, 'block-summary.png');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await docScreenshot(page, 'block-summary-1920.png');
}, 180_000);

it('starts block mode by itself for the calendar block under way, its timer running to the block\'s end', async () => {
  await page.setViewportSize({ width: 1366, height: 768 });
  // A 30-minute block that began 5 minutes ago in the rep's zone (yesterday's, when that was before midnight).
  const blocks = await owner.get('/api/settings/blocks');
  const zone = (blocks.body as { zone: string }).zone;
  const start = DateTime.fromMillis(testNow(), { zone }).startOf('minute').minus({ minutes: 5 });
  const added = await owner.post('/api/settings/blocks', { weekday: start.weekday, start: start.toFormat('HH:mm'), minutes: 30 });
  expect(added.status, added.text).toBe(201);
  const end = start.toMillis() + 30 * 60_000;

  const opened = Date.now();
  await page.reload();
  const timer = page.getByRole('timer');
  await expect.poll(() => timer.getAttribute('data-end')).toBe(String(end));
  await expect.poll(() => timer.textContent()).toMatch(/^2[1-5]:\d\d left in your .+–.+ follow-up block$/);
  await expect.poll(() => page.getByRole('button', { name: 'Start a follow-up block' }).count()).toBe(0);
  await docScreenshot(page, 'block-calendar.png');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await docScreenshot(page, 'block-calendar-1920.png');
  await page.setViewportSize({ width: 1366, height: 768 });

  // The rep ends it: the summary counts from the block's start, 5 minutes before the page opened
  // (the touches of the test before count), not from the page load.
  await page.getByRole('button', { name: 'End block' }).click();
  const summary = page.getByRole('region', { name: /^Block done/ });
  await summary.waitFor();
  const heading = (await summary.locator('h2').textContent())!;
  const m = /^Block done: (\d+) touch(?:es)? in (\d+) min$/.exec(heading);
  expect(m, heading).not.toBeNull();
  const since = (await owner.get(`/api/queue/block-summary?from=${start.toMillis()}`)).body as { touches: number };
  expect(Number(m![1])).toBe(since.touches);
  const elapsed = Math.ceil((Date.now() - opened) / 60_000);
  expect(Number(m![2])).toBeGreaterThanOrEqual(5);
  expect(Number(m![2])).toBeLessThanOrEqual(6 + elapsed);

  // Ended is ended: a reload does not start the same block again; a block by hand is still offered.
  await page.getByRole('button', { name: 'Close the summary' }).click();
  await page.reload();
  await page.getByRole('button', { name: 'Start a follow-up block' }).waitFor();
  await expect.poll(() => page.getByRole('timer').count()).toBe(0);
}, 180_000);
