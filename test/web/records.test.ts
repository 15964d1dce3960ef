// Prospects in a real browser (issue 18): add one by hand (an error in words first), find her by
// "Zoe Schmidt" and another by "Ñúñez", edit, log a touch, open the company with today's cap, enroll
// a company's people in bulk while the check leaves out who replied or opted out, undo it, export the
// view, and erase a prospect for good. Screenshots of the new panels at 1366×768 and 1920×1080.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, type Client, type startServer } from '../api/harness.ts';
import { focusedName as focusedNameIn, openWebSession, SCREEN_SIZES, screenshotsAt } from '../helpers/browser.ts';

/** The machine may be busy: give the page time to answer. */
const WAIT = { timeout: 15_000 };

let page: Page;
let base: string;
let owner: Client;
let store: Awaited<ReturnType<typeof startServer>>['store'];

beforeAll(async () => {
  ({ base, store, page, owner } = await openWebSession({ demoProspects: 40, viewport: SCREEN_SIZES[0] }));
}, 300_000);

const focusedName = () => focusedNameIn(page);
const status = () => page.getByRole('status').first().textContent();
const pager = () => page.locator('.pager span').textContent();
const rowNames = () => page.locator('table.board-table th[scope="row"] button').allTextContents();

const shots = (name: string) => screenshotsAt(page, name);

/** Types a search and waits for the board's answer to it (the box waits for a pause in typing first). */
async function search(text: string): Promise<void> {
  const answered = page.waitForResponse((r) => r.url().includes('/api/prospects?') && new URL(r.url()).searchParams.get('search') === (text.trim() || null), WAIT);
  await page.getByLabel('Search').fill(text);
  await answered;
  await expect.poll(() => page.locator('table.board-table').getAttribute('aria-busy'), WAIT).toBe('false');
}

it('adds, finds, edits, logs, opens the company, enrolls safely with undo, exports and erases', async () => {
  await page.goto(`${base}/#/board`);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await expect.poll(pager, WAIT).toBe('1–40 of 40');

  // Add one by hand: a mistyped email is refused in words, the field marked and focused.
  await page.getByRole('button', { name: 'Add prospect…' }).click();
  const form = page.getByRole('dialog', { name: 'Add a prospect' });
  await form.getByLabel('Email (required)').fill('zoe.schmidt(at)kranich.example');
  await form.getByLabel('First name').fill('Zoë');
  await form.getByLabel('Last name').fill('Schmidt');
  await form.getByLabel('Title').fill('Head of Fleet');
  await form.getByLabel('Company').fill('Kranich Logistik');
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByLabel('LinkedIn profile').fill('https://www.linkedin.com/in/zoe-schmidt');
  await form.getByRole('button', { name: 'Add a custom field' }).click();
  await form.getByLabel('Custom field 1 name').fill('Lifecycle Stage');
  await form.getByLabel('Lifecycle Stage value').fill('Evangelist');
  await form.getByRole('button', { name: 'Add prospect' }).click();
  await expect.poll(() => form.getByRole('alert').textContent(), WAIT)
    .toBe('Not saved: "zoe.schmidt(at)kranich.example" is not an email address (write it as name@company.com)');
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('pf-email');
  expect(await form.getByLabel('Email (required)').getAttribute('aria-invalid')).toBe('true');
  await shots('prospect-form');
  await form.getByLabel('Email (required)').fill('zoe.schmidt@kranich.example');
  await form.getByRole('button', { name: 'Add prospect' }).click();
  await expect.poll(status, WAIT).toBe('Added Zoë Schmidt.');
  const panel = page.getByRole('complementary');
  await expect.poll(() => panel.locator('#panel-title').textContent(), WAIT).toBe('Zoë Schmidt');
  await expect.poll(() => panel.locator('dl.custom').textContent()).toBe('Lifecycle StageEvangelist');
  expect(await panel.getByRole('link', { name: 'LinkedIn profile' }).getAttribute('href')).toBe('https://www.linkedin.com/in/zoe-schmidt');

  // More people by the API (as a script would), then search several words and accents.
  for (const body of [
    { email: 'zoe.meyer@kranich.example', firstName: 'Zoe', lastName: 'Meyer', company: 'Kranich Logistik' },
    { email: 'ana@cordoba.example', firstName: 'Ana', lastName: 'Ñúñez', company: 'Córdoba Textil' },
  ]) expect((await owner.post('/api/prospects', body)).status).toBe(201);
  await search('Zoe Schmidt');
  await expect.poll(rowNames, WAIT).toEqual(['Zoë Schmidt']);
  await search('Ñúñez');
  await expect.poll(rowNames, WAIT).toEqual(['Ana Ñúñez']);
  await search('nunez');
  await expect.poll(rowNames, WAIT).toEqual(['Ana Ñúñez']);
  await search('zoe kranich');
  await expect.poll(() => rowNames().then((n) => n.sort()), WAIT).toEqual(['Zoe Meyer', 'Zoë Schmidt']);

  // Edit, then log a touch with a note, from the panel.
  await page.getByRole('button', { name: 'Zoë Schmidt', exact: true }).click();
  await panel.getByRole('button', { name: 'Edit', exact: true }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Zoë Schmidt' });
  await edit.getByLabel('Title').fill('COO');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect.poll(status, WAIT).toBe('Saved Zoë Schmidt.');
  await expect.poll(() => panel.locator('.meta').textContent(), WAIT).toMatch(/^COO at Kranich Logistik/);
  await panel.getByLabel('Channel').selectOption('call');
  await panel.getByLabel('Outcome').selectOption('left_voicemail');
  await panel.getByLabel('Note', { exact: true }).fill('asked to call back on Thursday');
  await panel.getByRole('button', { name: 'Log touch' }).click();
  await expect.poll(status, WAIT).toBe('Logged: left voicemail. Tally 1.');
  await expect.poll(() => panel.locator('.timeline').textContent(), WAIT).toContain('call → left voicemail — asked to call back on Thursday');

  // The company: its people and today's cap (one touch of three).
  await panel.getByRole('button', { name: 'Kranich Logistik' }).click();
  const company = page.getByRole('complementary', { name: 'Kranich Logistik' });
  await expect.poll(() => company.locator('.cap strong').textContent(), WAIT).toBe('Today: 1 of 3 touches');
  expect(await company.locator('tbody th button').allTextContents()).toEqual(['Zoe Meyer', 'Zoë Schmidt']);
  await shots('company');
  await company.getByRole('button', { name: 'Close the company panel' }).click();

  // Bulk enroll a company's people: one replied lately, one opted out, one booked a meeting.
  const ids: number[] = [];
  for (const n of ['Ada', 'Bo', 'Cy', 'Di', 'Ed']) {
    const made = await owner.post('/api/prospects', { email: `${n.toLowerCase()}@bulkhaus.example`, firstName: n, lastName: 'Bulkhaus', company: 'Bulkhaus' });
    ids.push(made.body.id);
  }
  expect((await owner.post('/api/enrollments', { cadence: 'Tally default outbound', prospectIds: ids.slice(0, 3) })).body.enrolled).toHaveLength(3);
  for (const [i, outcome] of [[0, 'replied'], [1, 'opted_out'], [2, 'meeting_booked']] as const) {
    expect((await owner.post(`/api/prospects/${ids[i]}/touches`, { channel: 'email', outcome })).status).toBe(201);
  }
  await search('bulkhaus');
  await expect.poll(pager, WAIT).toBe('1–5 of 5');
  await page.getByLabel('Select all on this page').check();
  await page.getByLabel('Enroll in').selectOption({ label: 'Tally default outbound' });
  await page.getByRole('button', { name: 'Enroll selected' }).click();
  const check = page.getByRole('dialog', { name: 'Enroll in Tally default outbound?' });
  const sentence = () => check.locator('.check-sentence').textContent();
  await expect.poll(sentence, WAIT)
    .toBe('2 will be enrolled; 1 opted out or not to be contacted, 1 who booked a meeting in the last 30 days and 1 who replied in the last 30 days are left out.');
  await shots('bulk-check');
  await check.getByLabel('Include the 1 who replied in the last 30 days anyway').check();
  await expect.poll(sentence, WAIT).toBe('3 will be enrolled; 1 opted out or not to be contacted and 1 who booked a meeting in the last 30 days are left out.');
  await check.getByLabel('Include the 1 who replied in the last 30 days anyway').uncheck();
  await expect.poll(sentence, WAIT).toMatch(/^2 will be enrolled;/);
  await check.getByRole('button', { name: 'Enroll 2 prospects' }).click();
  await expect.poll(status, WAIT).toMatch(/^Tally default outbound: 2 enrolled, /);
  const enrolled = () => store.db.selectFrom('enrollments').select('prospect_id').where('prospect_id', 'in', ids.slice(3)).execute().then((r) => r.map((e) => e.prospect_id).sort());
  expect(await enrolled()).toEqual([ids[3], ids[4]].sort());
  // The board shows the booked meeting as its own stage.
  await expect.poll(() => page.locator('table.board-table tbody tr', { hasText: 'Cy Bulkhaus' }).locator('td').nth(3).textContent(), WAIT).toBe('Meeting booked');
  await page.getByRole('button', { name: 'Undo enrolling 2 prospects' }).click();
  await expect.poll(status, WAIT).toBe('Undone: enrolling 2 prospects (2 put back).');
  expect(await enrolled()).toEqual([]);

  // Export the current view: only what the search shows, formulas neutralised.
  await owner.post('/api/prospects', { email: 'formula@bulkhaus.example', firstName: 'Fo', lastName: 'Bulkhaus', title: '=HYPERLINK("http://x.example","click")' });
  // The box already holds "bulkhaus" (typing the same words sends nothing): clear it, then search again.
  await search('');
  await search('bulkhaus');
  const href = await page.getByRole('link', { name: 'Export this view (CSV)' }).getAttribute('href');
  expect(href).toBe('/api/export/prospects.csv?search=bulkhaus');
  const csv = await (await page.request.get(`${base}${href}`)).text();
  const lines = csv.trim().split('\n');
  expect(lines).toHaveLength(7);
  expect(lines.slice(1).every((l) => l.includes('@bulkhaus.example'))).toBe(true);
  expect(csv).toContain(`"'=HYPERLINK(""http://x.example"",""click"")"`);

  // Erase for good: the dialog says what goes and that it cannot be undone.
  await search('Zoe Schmidt');
  await page.getByRole('button', { name: 'Zoë Schmidt', exact: true }).click();
  await panel.getByRole('button', { name: 'Erase…' }).click();
  const erase = page.getByRole('dialog', { name: 'Erase Zoë Schmidt for good?' });
  await expect.poll(() => erase.textContent()).toContain('This cannot be undone.');
  await expect.poll(() => erase.textContent()).toContain('1 touch with their notes');
  expect(await focusedName()).toBe('Cancel');
  await shots('erase');
  await erase.getByRole('button', { name: 'Erase Zoë Schmidt for good' }).click();
  await expect.poll(status, WAIT).toMatch(/^Erased Zoë Schmidt: nothing of them is kept/);
  await expect.poll(rowNames, WAIT).toEqual([]);
  expect(await store.db.selectFrom('prospects').select('id').where('email_key', '=', 'zoe.schmidt@kranich.example').execute()).toEqual([]);
  expect(await store.db.selectFrom('erased_prospects').select('id').execute()).toHaveLength(1);
}, 240_000);
