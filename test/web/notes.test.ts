// Notes on a prospect's timeline in a real browser (issue 18): from the board's panel, a multi-line
// note saved with Ctrl+Enter shows in the timeline with its author and time, and the tally does not
// move (a note is not a touch); a manager edits a rep's note (the text it had kept) and deletes one
// (the timeline keeps who did). The queue card's history shows notes too. Screenshots at 1366×768
// and 1920×1080.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Client, dueNow, PASSWORD, type startServer } from '../api/harness.ts';
import { openWebSession, SCREEN_SIZES, screenshotsAt } from '../helpers/browser.ts';

const WAIT = { timeout: 15_000 };

let page: Page;
let base: string;
let owner: Client;
let store: Awaited<ReturnType<typeof startServer>>['store'];

beforeAll(async () => {
  ({ base, store, page, owner } = await openWebSession({ demoProspects: 12, viewport: SCREEN_SIZES[0], anyHour: true }));
}, 300_000);

const shots = (name: string) => screenshotsAt(page, name);

it('adds a multi-line note with Ctrl+Enter, shows it with author and time, edits and deletes it; the tally stays', async () => {
  // Sam's prospect, with a note Sam wrote by the API (as a script would).
  const samId = (await store.db.selectFrom('users').select('id').where('email', '=', 'sam@demo.tally').executeTakeFirstOrThrow()).id;
  const made = await owner.post('/api/prospects', { email: 'lena.vogt@hafenkran.example', firstName: 'Lena', lastName: 'Vogt', title: 'COO', company: 'Hafenkran', ownerId: samId });
  expect(made.status, made.text).toBe(201);
  const prospectId = made.body.id as number;
  await store.db.updateTable('users').set({ password_hash: (await store.db.selectFrom('users').select('password_hash').where('email', '=', 'you@demo.tally').executeTakeFirstOrThrow()).password_hash }).where('id', '=', samId).execute();
  const sam = new Client(base);
  expect((await sam.post('/api/auth/login', { email: 'sam@demo.tally', password: PASSWORD })).status).toBe(200);
  expect((await sam.post(`/api/prospects/${prospectId}/notes`, { text: 'Met her at the port logistics fair.' })).status).toBe(201);
  const tally = (await owner.get(`/api/prospects/${prospectId}`)).body.tally.count as number;

  await page.goto(`${base}/#/board`);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  const answered = page.waitForResponse((r) => r.url().includes('/api/prospects?') && new URL(r.url()).searchParams.get('search') === 'Lena Vogt', WAIT);
  await page.getByLabel('Search').fill('Lena Vogt');
  await answered;
  await page.getByRole('button', { name: 'Lena Vogt', exact: true }).click();
  const panel = page.getByRole('complementary');
  await expect.poll(() => panel.locator('#panel-title').textContent(), WAIT).toBe('Lena Vogt');

  // Empty: refused in words, nothing sent.
  const box = panel.getByLabel('New note');
  await box.press('Control+Enter');
  await expect.poll(() => panel.getByRole('form', { name: 'Add a note' }).getByRole('alert').textContent(), WAIT).toBe('Not added: the note is empty.');

  // Multi-line: Enter is a new line, Ctrl+Enter saves.
  await box.fill('Budget frozen until Q2.');
  await box.press('Enter');
  await box.pressSequentially('Ask about the crane retrofit in April.');
  await box.press('Control+Enter');
  await expect.poll(() => panel.getByRole('status').textContent(), WAIT).toBe('Note added to the timeline (not a touch: the tally and the cadence are as they were).');
  await expect.poll(() => box.inputValue()).toBe('');
  const notes = panel.locator('.timeline li.note');
  await expect.poll(() => notes.count(), WAIT).toBe(2);
  // Newest first: the manager's note, its two lines kept.
  const mine = notes.first();
  await expect.poll(() => mine.locator('.note-by').textContent()).toBe('Note by Morgan Manager');
  await expect.poll(() => mine.locator('.note-body').innerText()).toBe('Budget frozen until Q2.\nAsk about the crane retrofit in April.');
  expect(await mine.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
  await expect.poll(() => notes.nth(1).locator('.note-by').textContent()).toBe('Note by Sam Rivera');
  // Not a touch: the tally line is as it was.
  expect(await panel.locator('p.tally').getAttribute('aria-label')).toBe(`tally: ${tally} touches`);
  const row = await store.db.selectFrom('notes').selectAll().where('prospect_id', '=', prospectId).orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(row.body).toBe('Budget frozen until Q2.\nAsk about the crane retrofit in April.');
  await mine.scrollIntoViewIfNeeded();
  await shots('prospect-notes');

  // A manager edits sam's note: saved with Ctrl+Enter, the old text shown as its history.
  const samNote = notes.nth(1);
  await samNote.getByRole('button', { name: /^Edit the note of / }).click();
  const edit = samNote.getByRole('form', { name: 'Edit this note' }).getByLabel('Note');
  await edit.fill('Met her at the port logistics fair in Hamburg.');
  await edit.press('Control+Enter');
  await expect.poll(() => panel.getByRole('status').textContent(), WAIT).toBe('Note edited: the text it had is kept in its history.');
  await expect.poll(() => notes.nth(1).locator('.note-body').textContent(), WAIT).toBe('Met her at the port logistics fair in Hamburg.');
  await expect.poll(() => notes.nth(1).getByRole('list', { name: 'Edits to this note' }).textContent()).toMatch(/^edited by Morgan Manager, .+; it was: Met her at the port logistics fair\.$/);

  // Delete the manager's own note: gone, and the timeline says who deleted it.
  await notes.first().getByRole('button', { name: /^Delete the note of / }).click();
  await notes.first().getByRole('button', { name: 'Delete note' }).click();
  await expect.poll(() => notes.count(), WAIT).toBe(1);
  await expect.poll(() => panel.locator('.timeline').textContent(), WAIT).toContain('Morgan Manager deleted a note: Budget frozen until Q2.');
  expect(await panel.locator('p.tally').getAttribute('aria-label')).toBe(`tally: ${tally} touches`);
}, 180_000);

it('shows a note in the queue card\'s history, with its author', async () => {
  // One call due now makes sure the queue has a card on any day.
  const [ines] = await dueNow(owner, owner, 'call', [{ email: 'ines.moreau@quaiouest.example', firstName: 'Inès', lastName: 'Moreau', company: 'Quai Ouest' }]);
  expect((await owner.post(`/api/prospects/${ines!}/notes`, { text: 'Asked for the pricing sheet first.' })).status).toBe(201);
  // Her card, reached with k (skip) from wherever the queue starts: the page puts the cards skipped
  // earlier in this browser at the back (its saved progress), so its first card need not be the API's.
  await page.goto(`${base}/#/queue`);
  const name = page.locator('#prospect-name');
  await name.waitFor();
  for (let skips = 0; (await name.textContent()) !== 'Inès Moreau'; skips++) {
    expect(skips, 'Inès Moreau\'s card is in the queue').toBeLessThan(30);
    const before = await name.textContent();
    await page.keyboard.press('k');
    await expect.poll(() => name.textContent(), WAIT).not.toBe(before);
  }
  const history = page.getByRole('complementary', { name: 'Timeline' });
  await expect.poll(() => history.locator('li.note .note-body').first().textContent(), WAIT).toBe('Asked for the pricing sheet first.');
  await expect.poll(() => history.locator('li.note .note-by').first().textContent()).toBe('Note by Morgan Manager');
}, 120_000);
