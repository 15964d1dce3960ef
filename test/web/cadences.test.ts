// The playbook and the cadence editor in a real browser: a manager adds an objection, puts it on
// a new first step of a cadence (moved up by keyboard), watches the preview dates change, saves
// version N+1, and finds the objection in the work queue on a prospect enrolled in that version.
import { beforeAll, expect, it } from 'vitest';
import { testNow } from '../helpers/clock.ts';
import type { Page } from 'playwright-core';
import { PASSWORD, type Client, type startServer } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';

const OBJECTION = 'We just signed with a competitor.';

let page: Page;
let base: string;
let owner: Client;
let store: Awaited<ReturnType<typeof startServer>>['store'];

beforeAll(async () => {
  ({ base, store, page, owner } = await openWebSession({ demoProspects: 40, viewport: { width: 1360, height: 1000 }, anyHour: true }));
}, 300_000);

it('adds an objection, puts it on a new step, previews, saves version N+1 and sees it in the queue', async () => {
  await page.goto(base);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.locator('#prospect-name').waitFor();

  // The playbook: add an objection with the keyboard-usable form.
  await page.getByRole('link', { name: 'Playbook' }).click();
  await page.getByRole('heading', { name: 'Objections' }).waitFor();
  await page.getByRole('button', { name: 'Add objection' }).click();
  const form = page.getByRole('form', { name: 'Add an objection' });
  await form.getByLabel('What the prospect says').fill(OBJECTION);
  await form.getByLabel('Answer', { exact: true }).fill('Congratulations. Most teams keep us for follow-up next to it: can I show you how they combine the two?');
  await form.getByLabel('Tags').fill('competition, Timing');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('(we-just-signed-with-a-competitor)');
  await expect.poll(() => page.getByRole('article', { name: OBJECTION }).isVisible()).toBe(true);
  // An empty answer is refused next to its field.
  await page.getByRole('button', { name: 'Add objection' }).click();
  await form.getByLabel('What the prospect says').fill('Another one');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.locator('#objection-new-answer-error').textContent()).toBe('answer must not be empty');
  expect(await form.getByLabel('Answer', { exact: true }).getAttribute('aria-describedby')).toBe('objection-new-answer-error');
  await form.getByLabel('Answer', { exact: true }).press('Escape');
  await expect.poll(() => form.count()).toBe(0);
  await docScreenshot(page, 'playbook.png', { fullPage: true });

  // The cadence editor.
  await page.getByRole('link', { name: 'Cadences' }).click();
  await page.getByRole('link', { name: 'Tally default outbound' }).click();
  await page.getByRole('heading', { name: /Tally default outbound v2/ }).waitFor();
  const rows = page.locator('table[aria-label="Preview dates"] tbody tr');
  await expect.poll(() => rows.count()).toBe(10);
  const before = await page.locator('table[aria-label="Preview dates"]').textContent();
  await expect.poll(() => page.getByText('Saving creates version 3; live enrollments stay on their version.').isVisible()).toBe(true);

  await page.getByRole('button', { name: 'Add a step' }).click();
  const steps = page.locator('#step-list > li');
  await expect.poll(() => steps.count()).toBe(11);
  const added = steps.nth(10);
  await added.getByLabel('Name').fill('Competitor check-in');
  // The step is a call: its message field is the call driver's script, not a subject and body.
  await expect.poll(() => added.getByLabel('Subject').count()).toBe(0);
  await added.getByLabel('Call script').fill('Ask how the switch at {{company}} went, then offer the comparison.');
  await added.getByLabel('Why this touch helps').fill('a one-page comparison they can use with their new vendor');
  await added.getByLabel(/^Delay after/).fill('0');
  await added.getByRole('checkbox', { name: /signed with a competitor/ }).check();
  // Up to the first position by keyboard: the focus follows the moved step.
  await page.getByRole('button', { name: 'Move step 11 up' }).focus();
  for (let n = 11; n > 1; n--) {
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.getAttribute("aria-label")')).toBe(`Move step ${n} up`);
    await page.keyboard.press('Enter');
  }
  await expect.poll(() => steps.first().locator('h3').textContent()).toContain('Competitor check-in');
  await expect.poll(() => rows.count()).toBe(11);
  await expect.poll(() => rows.first().textContent()).toContain('Competitor check-in');
  await expect.poll(() => page.locator('table[aria-label="Preview dates"]').textContent()).not.toBe(before);

  // The preview follows the time zone too.
  const paris = await page.locator('table[aria-label="Preview dates"]').textContent();
  await page.getByLabel('Prospect’s time zone').selectOption('Asia/Tokyo');
  await expect.poll(() => page.locator('table[aria-label="Preview dates"]').textContent()).not.toBe(paris);

  await page.getByRole('button', { name: 'Save as v3' }).click();
  await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Saved version 3.');
  await expect.poll(() => page.getByRole('heading', { name: /Tally default outbound v3/ }).isVisible()).toBe(true);
  const versions = page.locator('section[aria-labelledby="versions-heading"] li');
  await expect.poll(() => versions.count()).toBe(3);
  await expect.poll(() => versions.first().textContent()).toMatch(/v3 \(current\).*by Morgan Manager · 11 steps · 0 live/);
  const saved = (await owner.get(`/api/cadences/${encodeURIComponent('Tally default outbound')}`)).body as { definition: { steps: Record<string, unknown>[] } };
  expect(saved.definition.steps[0]).toMatchObject({ channel: 'call', script: 'Ask how the switch at {{company}} went, then offer the comparison.' });
  expect(saved.definition.steps[0]).not.toHaveProperty('template');
  // The top of the editor: the first steps next to the preview and the versions.
  await page.evaluate('window.scrollTo(0, 0)');
  await docScreenshot(page, 'cadence-editor.png');

  // Old versions open read-only.
  await page.getByRole('button', { name: 'View version 1 read-only' }).click();
  await page.getByRole('heading', { name: /v1 \(read-only; current is v3\)/ }).waitFor();
  await expect.poll(() => page.getByRole('button', { name: /Save as v\d/ }).count()).toBe(0);

  // A prospect enrolled now starts on version 3; an hour later the new first step is due.
  const free = await store.db
    .selectFrom('prospects as p')
    .innerJoin('users as u', 'u.id', 'p.owner_id')
    .select('p.id')
    .where('u.email', '=', 'you@demo.tally')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('enrollments as e').select('e.id').whereRef('e.prospect_id', '=', 'p.id'))))
    .orderBy('p.id')
    .executeTakeFirstOrThrow();
  const enrolled = await owner.post('/api/enrollments', { cadence: 'Tally default outbound', prospectIds: [free.id] });
  expect(enrolled.body).toMatchObject({ version: 3, skipped: [] });
  await store.db.updateTable('enrollments').set({ due_at: testNow() - 3_600_000, priority: 9 }).where('prospect_id', '=', free.id).execute();
  // Held touches are not cards to work (issue 17): every hour is open (openWebSession's anyHour), so
  // this call may happen whatever the day and hour the test runs at.
  await store.db.updateTable('prospects').set({ timezone: null }).where('id', '=', free.id).execute();

  await page.getByRole('link', { name: 'Work the queue' }).click();
  await page.locator('#prospect-name').waitFor();
  await expect.poll(() => page.locator('.card .meta').textContent()).toContain('Competitor check-in');
  await expect.poll(() => page.getByLabel('Call script').textContent()).toMatch(/^Ask how the switch at .+ went, then offer the comparison\.$/);
  await expect.poll(() => page.getByLabel('Call script').textContent()).not.toContain('{{');
  await expect.poll(() => page.getByText(OBJECTION).isVisible()).toBe(false);
  await page.keyboard.press('o');
  await expect.poll(() => page.getByText(`“${OBJECTION}”`).isVisible()).toBe(true);
  await expect.poll(() => page.getByText('Most teams keep us for follow-up next to it', { exact: false }).isVisible()).toBe(true);
  await page.keyboard.press('o');
  await expect.poll(() => page.getByText(`“${OBJECTION}”`).isVisible()).toBe(false);
}, 180_000);
