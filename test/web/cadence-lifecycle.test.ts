// A cadence's life in a real browser (issue 18): a taken name refused next to the name field, a
// message field for every channel, "Saved v1", the unsaved-changes guard, "Save as v2", restore,
// clone, archive (enrolling refused), delete (refused for a used cadence, with "Archive it
// instead"), and the rates on the cadence page (screenshots at 1366×768 and 1920×1080).
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, type Client } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';

let page: Page;
let base: string;
let owner: Client;
const WAIT = { timeout: 15_000 };

beforeAll(async () => {
  ({ base, page, owner } = await openWebSession({ demoProspects: 40, viewport: { width: 1366, height: 768 } }));
}, 300_000);

const heading = () => page.locator('.cadence-editor h1');
const saved = () => page.getByTestId('saved');

it('refuses a taken name, saves with a message field per channel, guards unsaved edits, versions, restores, clones, archives and deletes', async () => {
  await page.goto(`${base}/#/cadences`);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'New cadence' }).click();

  // A taken name (another case and spacing) is refused next to the name field; nothing is replaced.
  await page.locator('#cadence-name').fill('tally  DEFAULT outbound');
  const step1 = page.locator('#step-list > li').first();
  await step1.getByLabel('Subject').fill('A benchmark for {{company}}');
  await step1.getByLabel('Body').fill('Hi {{first_name}}, the benchmark is attached.');
  await step1.getByLabel(/^Reason/).fill('a benchmark of teams like theirs');
  await page.getByRole('button', { name: 'Save cadence' }).click();
  const nameError = page.locator('.cadence-fields .field-error');
  await expect.poll(() => nameError.textContent(), WAIT).toMatch(/^A cadence named "Tally default outbound" already exists \(v\d+\): pick another name/);
  expect(await page.locator('#cadence-name').getAttribute('aria-invalid')).toBe('true');

  // Every channel has its driver's message field.
  await page.locator('#cadence-name').fill('Webinar follow-up');
  for (const [channel, label] of [['sms', 'Message'], ['linkedin', 'Message'], ['task', 'Instructions'], ['call', 'Call script']] as const) {
    await page.getByRole('button', { name: 'Add a step' }).click();
    const step = page.locator('#step-list > li').last();
    await step.getByLabel('Channel').selectOption(channel);
    await step.getByLabel(label, { exact: true }).fill(`${label} for {{first_name}}`);
    await step.getByLabel(/^Reason/).fill(`why the ${channel} step helps`);
  }
  await page.getByRole('button', { name: 'Save cadence' }).click();
  await expect.poll(() => saved().textContent(), WAIT).toBe('✓ Saved v1');
  await expect.poll(() => heading().textContent(), WAIT).toMatch(/^Webinar follow-up v1/);
  const v1 = (await owner.get('/api/cadences/Webinar%20follow-up')).body as { id: number; definition: { steps: Record<string, unknown>[] } };
  expect(v1.definition.steps.slice(1).map((s) => [s.channel, s.message ?? s.instructions ?? s.script])).toEqual([
    ['sms', 'Message for {{first_name}}'], ['linkedin', 'Message for {{first_name}}'], ['task', 'Instructions for {{first_name}}'], ['call', 'Call script for {{first_name}}'],
  ]);

  // Unsaved edits: leaving by a link asks first (and stays when told to), so does closing the tab.
  await page.locator('#step-list > li').nth(1).getByLabel('Name').fill('Text them');
  await page.getByText('Unsaved changes').waitFor();
  let asked = '';
  page.once('dialog', (d) => {
    asked = d.message();
    void d.dismiss();
  });
  await page.getByRole('link', { name: '← All cadences' }).click();
  await expect.poll(() => asked, WAIT).toBe('You have unsaved changes to this cadence. Leave without saving them?');
  expect(page.url()).toContain(`#/cadences?id=${v1.id}`);
  await expect.poll(() => heading().isVisible()).toBe(true);
  expect(await page.evaluate(`(() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; })()`)).toBe(true);

  // Saving a new version is the explicit "Save as v2".
  await page.getByRole('button', { name: 'Save as v2' }).click();
  await expect.poll(() => saved().textContent(), WAIT).toBe('✓ Saved v2');
  expect(await page.evaluate(`(() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; })()`)).toBe(false);
  await page.getByRole('button', { name: 'Restore version 1 as the current one' }).click();
  await expect.poll(() => saved().textContent(), WAIT).toBe('✓ Restored v1 as v3');
  await expect.poll(() => heading().textContent(), WAIT).toMatch(/v3/);
  await expect.poll(() => page.locator('#step-list > li').nth(1).getByLabel('Name').inputValue()).toBe('Step 2: sms');

  // Clone, then archive the clone: nobody new can be enrolled in it.
  await page.getByLabel('Name of the copy').fill('Webinar follow-up EU');
  await page.getByRole('button', { name: 'Clone' }).click();
  await expect.poll(() => heading().textContent(), WAIT).toMatch(/^Webinar follow-up EU v1/);
  await page.getByRole('button', { name: 'Archive' }).click();
  await expect.poll(() => page.locator('.archived-note').textContent(), WAIT).toBe('Archived: nobody new can be enrolled; prospects already in it finish.');
  const refused = await owner.post('/api/enrollments', { cadence: 'Webinar follow-up EU', filter: { unenrolled: true } });
  expect(refused.status).toBe(409);
  await page.getByRole('link', { name: '← All cadences' }).click();
  await expect.poll(() => page.getByRole('row', { name: /Webinar follow-up EU/ }).textContent(), WAIT).toContain('archived');

  // Delete: a never-used cadence goes; a used one is refused with the offer to archive it.
  await page.getByRole('link', { name: 'Webinar follow-up EU' }).click();
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('heading', { name: 'Cadences' }).waitFor();
  await expect.poll(() => page.getByRole('link', { name: 'Webinar follow-up EU' }).count()).toBe(0);
  await page.getByRole('link', { name: 'Tally default outbound' }).click();
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete' }).click();
  const refusal = page.locator('.lifecycle [role="alert"]');
  await expect.poll(() => refusal.textContent(), WAIT).toMatch(/"Tally default outbound" cannot be deleted: \d+ prospects were enrolled in it/);
  await expect.poll(() => refusal.getByRole('button', { name: 'Archive it instead' }).isVisible()).toBe(true);
}, 240_000);

it('shows the cadence\'s and each step\'s sent, reply, meeting, opt-out and bounce rates', async () => {
  await page.goto(`${base}/#/cadences`);
  await page.getByRole('link', { name: 'Tally default outbound' }).click();
  const table = page.locator('table.rates-table');
  await expect.poll(() => table.locator('tbody tr').count(), WAIT).toBe(11);
  await expect.poll(() => table.locator('thead').textContent()).toBe('StepSentReplyMeetingOpt-outBounce');
  await expect.poll(() => table.locator('tbody tr').first().textContent()).toMatch(/^Whole cadence\d+(\d+%|—){4}$/);
  await page.evaluate('window.scrollTo(0, 0)');
  await docScreenshot(page, 'cadence-rates.png');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await docScreenshot(page, 'cadence-rates-wide.png');
  await page.setViewportSize({ width: 1366, height: 768 });
}, 120_000);
