// The board in a real browser: import a CSV (one column mapped by hand, a rejected line in the
// preview, progress, summary), find the new prospects with the search box, enroll them all in a
// cadence with the keyboard alone, pause two, open a timeline; then check the database.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, type startServer } from '../api/harness.ts';
import { focusedName as focusedNameIn, openWebSession, tabTo as tabToIn, docScreenshot } from '../helpers/browser.ts';

/** The machine may be busy: give the page time to answer. */
const WAIT = { timeout: 15_000 };

let page: Page;
let base: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];

const CSV = [
  'E-mail,First Name,Last Name,Employer Org,Job Title',
  'ada.boardtest@lovelace.example,Ada,Boardtest,Analytical Engines,CTO',
  'grace.boardtest@hopper.example,Grace,Boardtest,Compilers Inc,VP Engineering',
  'alan.boardtest@turing.example,Alan,Boardtest,Bletchley Labs,Head of Research',
  'not an email,Broken,Row,Nowhere,Intern',
  'edsger.boardtest@dijkstra.example,Edsger,Boardtest,Shortest Paths,CFO',
  'barbara.boardtest@liskov.example,Barbara,Boardtest,Substitution Co,COO',
].join('\n');
const EMAILS = CSV.split('\n').map((l) => l.split(',')[0]!).filter((e) => e.includes('.boardtest@'));

beforeAll(async () => {
  ({ base, store, page } = await openWebSession({ demoProspects: 40, viewport: { width: 1280, height: 800 } }));
}, 300_000);

const focusedName = () => focusedNameIn(page);
const tabTo = (name: string, back = false) => tabToIn(page, name, { back, maxPresses: 80 });

const prospectsOf = () =>
  store.db
    .selectFrom('prospects as p')
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    .leftJoin('enrollments as e', 'e.prospect_id', 'p.id')
    .leftJoin('cadences as cad', 'cad.id', 'e.cadence_id')
    .select(['p.email', 'p.first_name', 'c.name as company', 'e.status', 'cad.name as cadence'])
    .where('p.email', 'in', EMAILS)
    .orderBy('p.email')
    .execute();

it('imports a CSV with a column mapped by hand, then finds, enrolls and pauses the new prospects', async () => {
  await page.goto(`${base}/#/board`);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  const pager = page.locator('.pager span');
  await expect.poll(() => pager.textContent(), WAIT).toMatch(/^1–40 of 40$/);

  // Import: the file, the mapping (one column by hand), the preview with its rejected line.
  await page.getByRole('button', { name: 'Import CSV…' }).click();
  await page.getByLabel('CSV file (or drop it here)').setInputFiles({ name: 'conference-leads.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  const org = page.getByLabel('Employer Org');
  await org.waitFor();
  await expect.poll(() => org.inputValue()).toBe('custom.Employer Org');
  await expect.poll(() => page.getByLabel('E-mail').inputValue()).toBe('email');
  await org.selectOption('company');
  const previewRows = page.locator('table.preview tbody tr');
  await expect.poll(() => previewRows.first().textContent(), WAIT).toContain('Analytical Engines');
  await expect.poll(() => previewRows.count()).toBe(5);
  const rejected = page.locator('table.rejected tbody tr');
  await expect.poll(() => rejected.count()).toBe(1);
  await expect.poll(() => rejected.first().textContent()).toMatch(/^5emailinvalid email "not an email"$/);
  await expect.poll(() => page.locator('.counts').textContent(), WAIT).toBe('6 rows: 5 new, 0 updated, 0 duplicates, 1 rejected.');
  await docScreenshot(page, 'import.png');

  await page.getByRole('button', { name: 'Import 5 prospects' }).click();
  const summary = page.locator('dialog .summary');
  await summary.waitFor();
  await expect.poll(() => summary.textContent()).toMatch(/^6 rows: 5 new, 0 updated, 0 duplicates, 1 rejected · 5 companies created\.$/);
  expect(await page.locator('#import-progress').getAttribute('value')).toBe('100');
  const download = page.getByRole('link', { name: 'Download the error report (CSV)' });
  expect(await download.getAttribute('download')).toBe('conference-leads-errors.csv');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect.poll(() => page.getByRole('status').first().textContent(), WAIT).toBe('Imported conference-leads.csv: 5 new, 0 updated, 1 rejected.');
  await expect.poll(() => pager.textContent(), WAIT).toBe('1–45 of 45');
  const imported = await prospectsOf();
  expect(imported.map((p) => p.company)).toEqual(['Analytical Engines', 'Bletchley Labs', 'Substitution Co', 'Shortest Paths', 'Compilers Inc']);

  // Search, then the keyboard alone: select the page, choose the cadence, enroll.
  await page.getByLabel('Search').focus();
  await page.keyboard.type('boardtest');
  await expect.poll(() => pager.textContent(), WAIT).toBe('1–5 of 5');
  await tabTo('Select all on this page');
  await page.keyboard.press('Space');
  await expect.poll(() => page.locator('.picked-count').textContent(), WAIT).toMatch(/^5 selected\./);
  await tabTo('Enroll in', true);
  await page.keyboard.type('Tally');
  await expect.poll(() => page.locator('#bulk-cadence option:checked').textContent()).toBe('Tally default outbound');
  await tabTo('Enroll selected');
  await page.keyboard.press('Enter');
  // The check before acting: nobody here answered, so all 5 go in.
  const confirm = page.getByRole('dialog', { name: 'Enroll in Tally default outbound?' });
  await expect.poll(() => confirm.locator('.check-sentence').textContent(), WAIT).toBe('5 will be enrolled.');
  await expect.poll(() => focusedName(), WAIT).toBe('Enroll 5 prospects');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('status').first().textContent(), WAIT).toBe('Tally default outbound: 5 enrolled.');
  expect((await prospectsOf()).map((p) => [p.status, p.cadence])).toEqual(EMAILS.map(() => ['active', 'Tally default outbound']));

  // Pause two, by keyboard again.
  const rows = page.locator('table.board-table tbody tr');
  await expect.poll(() => rows.first().locator('td').nth(3).textContent(), WAIT).toBe('Active');
  const names = await rows.locator('th[scope="row"] button').allTextContents();
  await tabTo(`Select ${names[0]}`);
  await page.keyboard.press('Space');
  await tabTo(`Select ${names[1]}`);
  await page.keyboard.press('Space');
  await tabTo('Pause selected', true);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('status').first().textContent(), WAIT).toBe('2 paused.');
  const after = await prospectsOf();
  const paused = after.filter((p) => p.status === 'paused').map((p) => `${p.first_name} Boardtest`).sort();
  expect(paused).toEqual([names[0], names[1]].sort());
  expect(after.filter((p) => p.status === 'active')).toHaveLength(3);

  // A prospect's timeline in the side panel; Escape gives the focus back to the row it was opened from.
  // The board sorts by next due time and pausing moves a due time to "now" at the earliest, so which
  // prospect is first after the pause depends on the time of day, and the board reloads after the
  // pause: wait for the reload, then open one prospect by name (a locator is resolved anew at each
  // use, so "the first row" could be another prospect by the time it is focused).
  await expect.poll(() => page.locator('table.board-table').getAttribute('aria-busy'), WAIT).toBe('false');
  await expect.poll(async () => (await rows.locator('td:nth-child(5)').allTextContents()).filter((s) => s === 'Paused').length, WAIT).toBe(2);
  const opened = (await rows.first().locator('th[scope="row"] button').textContent())!;
  const first = page.locator('table.board-table th[scope="row"] button', { hasText: opened });
  await first.focus();
  await page.keyboard.press('Enter');
  const panel = page.getByRole('complementary');
  await expect.poll(() => panel.locator('.timeline').textContent(), WAIT).toContain('enrolled in Tally default outbound');
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('panel-title');
  await page.keyboard.press('Escape');
  await expect.poll(() => panel.count(), WAIT).toBe(0);
  expect(await focusedName()).toBe(opened);

  // The whole team, most touched first, for the screenshot: tally marks, overdue touches, a timeline.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect.poll(() => pager.textContent(), WAIT).toBe('1–45 of 45');
  await page.getByRole('button', { name: /^Tally/ }).click();
  await expect.poll(() => page.locator('th[aria-sort="descending"]').textContent(), WAIT).toMatch(/^Tally/);
  const marks = await rows.locator('td.tally').allTextContents();
  expect(marks[0]).toMatch(/^\|/);
  await rows.first().locator('th[scope="row"] button').click();
  await expect.poll(() => panel.locator('.timeline li').count(), WAIT).toBeGreaterThan(2);
  await docScreenshot(page, 'board.png');
}, 180_000);
