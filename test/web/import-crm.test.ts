// Importing the CRMs' own exports in a real browser (issue 18): HubSpot, Salesforce, Pipedrive and
// Apollo files map with no manual step, owners by name (one not on the team becomes the importer's,
// said in the report), zones inferred and shown as "inferred"; the dialog ends with "Enroll these N
// in …"; the board's "Last import" chip; the inferred zone edited on the prospect's panel.
import { beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { PASSWORD, type startServer } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/crm');
const WAIT = { timeout: 20_000 };
let page: Page;
let base: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];

beforeAll(async () => {
  ({ base, store, page } = await openWebSession({ demoProspects: 40, viewport: { width: 1366, height: 768 } }));
}, 300_000);

const dialog = () => page.locator('dialog.import');

async function importFixture(file: string): Promise<void> {
  await page.getByRole('button', { name: 'Import CSV…' }).click();
  await dialog().getByLabel('CSV file (or drop it here)').setInputFiles(join(FIXTURES, file));
  await expect.poll(() => dialog().locator('.counts').textContent(), WAIT).toBe('12 rows: 12 new, 0 updated, 0 duplicates, 0 rejected.');
  // No manual step: the owner, country and state columns are recognised, and the zones show as inferred.
  await expect.poll(() => dialog().locator('table.preview tbody tr').first().textContent()).toContain('inferred');
  await dialog().getByRole('button', { name: 'Import 12 prospects' }).click();
  await expect.poll(() => dialog().locator('.summary').textContent(), WAIT).toMatch(/^12 rows: 12 new, 0 updated, 0 duplicates, 0 rejected/);
  await expect.poll(() => dialog().getByRole('note').textContent()).toBe('Owners not on the team, imported as yours: Alex Kim (2 rows).');
  await expect.poll(() => dialog().getByText('12 time zones inferred from country, state or phone number').isVisible()).toBe(true);
}

it('imports each CRM export with owners by name and inferred zones, then enrolls the rows just imported', async () => {
  await page.goto(`${base}/#/board`);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Import CSV…' }).waitFor();

  for (const file of ['salesforce-contacts.csv', 'pipedrive-persons.csv', 'apollo-contacts.csv']) {
    await importFixture(file);
    await dialog().getByRole('button', { name: 'Done' }).click();
    await dialog().waitFor({ state: 'detached' });
  }
  await importFixture('hubspot-contacts.csv');

  // The end step: enroll exactly these 12, leaving out who cannot be.
  const lena = await store.db.selectFrom('prospects').select('id').where('email', '=', 'lena.fischer@hubspot.example').executeTakeFirstOrThrow();
  await store.db.updateTable('prospects').set({ opted_out_at: 1 }).where('id', '=', lena.id).execute();
  await dialog().getByLabel('Enroll these 12 in', { exact: true }).selectOption({ label: 'Tally nurture' });
  await dialog().getByRole('heading', { name: 'Enroll these 12 in a cadence' }).scrollIntoViewIfNeeded();
  await docScreenshot(page, 'import-enroll.png');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await docScreenshot(page, 'import-enroll-wide.png');
  await page.setViewportSize({ width: 1366, height: 768 });
  await dialog().getByRole('button', { name: 'Enroll', exact: true }).click();
  await expect.poll(() => dialog().locator('.enroll-result').textContent(), WAIT).toBe('Enrolled 11 in “Tally nurture”. Left out 1: 1 opted out.');
  const enrolled = await store.db.selectFrom('enrollments as e').innerJoin('prospects as p', 'p.id', 'e.prospect_id').innerJoin('cadences as c', 'c.id', 'e.cadence_id')
    .select(['p.email', 'c.name']).where('p.email', 'like', '%@hubspot.example').execute();
  expect(enrolled).toHaveLength(11);
  expect(new Set(enrolled.map((e) => e.name))).toEqual(new Set(['Tally nurture']));
  await dialog().getByRole('button', { name: 'Done' }).click();

  // "Last import" narrows the board to those 12.
  const pager = page.locator('.pager span');
  await page.getByRole('button', { name: /Last import/ }).click();
  await expect.poll(() => pager.textContent(), WAIT).toBe('1–12 of 12');
  expect(await page.getByRole('button', { name: /Last import/ }).getAttribute('aria-pressed')).toBe('true');

  // On a prospect: the zone is "inferred" and can be set by hand, after which it is theirs.
  await page.getByRole('button', { name: /Aiko Tanaka/ }).first().click();
  const panel = page.locator('aside.panel');
  await expect.poll(() => panel.locator('.zone').textContent(), WAIT).toMatch(/their time: Asia\/Tokyo inferred/);
  await panel.getByRole('button', { name: 'Edit their time zone' }).click();
  await panel.getByLabel('Time zone').fill('Asia/Osaka');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => panel.getByRole('alert').textContent(), WAIT).toMatch(/unknown time zone "Asia\/Osaka"/);
  await panel.getByLabel('Time zone').fill('Asia/Tokyo');
  await panel.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => panel.locator('.zone').textContent(), WAIT).toMatch(/^their time: Asia\/Tokyo Edit$/);
  const aiko = await store.db.selectFrom('prospects').select(['timezone', 'timezone_inferred']).where('email', '=', 'aiko.tanaka@hubspot.example').executeTakeFirstOrThrow();
  expect(aiko).toEqual({ timezone: 'Asia/Tokyo', timezone_inferred: 0 });
}, 300_000);
