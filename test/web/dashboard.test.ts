// The dashboard in a real browser (Debian's chromium via playwright-core): a manager signs in,
// reads the team's follow-up rate, a touch is logged through the API, the reloaded dashboard
// shows the new rate; then the manager opens one rep's view from the per-rep table.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, type Client, type startServer } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';

let page: Page;
let base: string;
let owner: Client;
let store: Awaited<ReturnType<typeof startServer>>['store'];

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

beforeAll(async () => {
  ({ base, store, page, owner } = await openWebSession({ demoProspects: 60, viewport: { width: 1280, height: 800 } }));
}, 300_000);

it('shows the follow-up rate, changes after a touch, and opens a rep\'s view', async () => {
  await page.goto(`${base}/#/dashboard`);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Dashboard: the team' }).waitFor();
  const rate = page.locator('#follow-up-rate');
  const team = (await owner.get('/api/dashboard?team=true')).body;
  await expect.poll(() => rate.textContent()).toBe(pct(team.stats.followUpRate));
  const before = (await rate.textContent())!;
  // Every chart is drawn, and each says its numbers in words.
  await expect.poll(() => page.locator('.chart canvas').count()).toBe(7);
  await expect.poll(() => page.locator('.chart-summary').first().textContent()).toContain(`${team.stats.followedUp} of ${team.stats.touched} touched prospects`);

  // A prospect with exactly one touch gets a second one: the team's follow-up rate goes up.
  const one = await store.db
    .selectFrom('touches')
    .select(['prospect_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('prospect_id')
    .having((eb) => eb.fn.countAll(), '=', 1)
    .orderBy('prospect_id')
    .executeTakeFirstOrThrow();
  const logged = await owner.post(`/api/prospects/${one.prospect_id}/touches`, { channel: 'call', outcome: 'left_voicemail' });
  expect(logged.status, logged.text).toBe(201);
  const after = (await owner.get('/api/dashboard?team=true')).body;
  expect(after.stats.followedUp).toBe(team.stats.followedUp + 1);
  await page.reload();
  await expect.poll(() => rate.textContent()).toBe(pct(after.stats.followUpRate));
  await expect.poll(() => rate.textContent()).not.toBe(before);

  await page.getByRole('heading', { name: 'Per rep' }).waitFor();
  await docScreenshot(page, 'dashboard-team.png', { fullPage: true });

  // The per-rep table: choose Sam, see Sam's charts.
  const sam = after.reps.find((r: { name: string }) => r.name === 'Sam Rivera');
  await page.getByRole('button', { name: 'Sam Rivera' }).click();
  await page.getByRole('heading', { name: 'Dashboard: Sam Rivera' }).waitFor();
  await expect.poll(() => rate.textContent()).toBe(pct(sam.followUpRate));
  await expect.poll(() => page.locator('#dash-view').inputValue()).toBe(`rep:${sam.userId}`);
  await expect.poll(() => page.locator('#overdue-count').textContent()).toBe(String(sam.overdue));
  // The period selector narrows to prospects first touched in the last 30 days.
  await page.getByLabel('Period').selectOption('30d');
  const recent = (await owner.get(`/api/dashboard?rep=${sam.userId}&period=30d`)).body;
  await expect.poll(() => rate.textContent()).toBe(pct(recent.stats.followUpRate));
  // The rep and the period live in the URL: a reload keeps the drill-down.
  expect(await page.evaluate<string>('location.hash')).toBe(`#/dashboard?rep=${sam.userId}&period=30d`);
  await page.reload();
  await page.getByRole('heading', { name: 'Dashboard: Sam Rivera' }).waitFor();
  await expect.poll(() => rate.textContent()).toBe(pct(recent.stats.followUpRate));
  await expect.poll(() => page.locator('#dash-view').inputValue()).toBe(`rep:${sam.userId}`);
  await expect.poll(() => page.getByLabel('Period').inputValue()).toBe('30d');
  await page.getByLabel('Period').selectOption('all');
  await expect.poll(() => rate.textContent()).toBe(pct(sam.followUpRate));
  await docScreenshot(page, 'dashboard.png', { fullPage: false });
}, 180_000);
