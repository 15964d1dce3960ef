// Issue 13 in a real browser: the queue shows an email step that needs the rep's words with its
// slot marked, keeps Send off until the words are written, and the cadence editor shows each email
// exactly as a sample prospect would receive it, flagging slots and rep notes in prospect-facing fields.
// Issue 17: the rep edits the mail in place for this prospect and Enter sends exactly the edited
// words, which the loopback SMTP server receives once.
import type { Dialog, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { saveCadence } from '../../src/app/cadences.ts';
import { openContext } from '../../src/app/context.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { sendDue } from '../../src/app/mail-send.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { UNDO_WINDOW_MS } from '../../src/app/touches.ts';
import { validateCadence } from '../../src/core/cadence.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { PASSWORD, type startServer } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';
import { testNow } from '../helpers/clock.ts';
import { header, startSmtp, type SmtpCapture } from '../helpers/smtp.ts';

const SLOT = 'one line about their market';
const REASON = 'a number about their market they can reuse internally';
const CADENCE = {
  name: 'Words test',
  steps: [{
    channel: 'email', delay: 0, name: 'Market note', subject: 'A note for {{company}}', sending: 'automatic', reason: REASON,
    template: `Hi {{first_name}},\n\n[[${SLOT}]]\n\nIs that on your list this quarter?\n\n{{sender_name}}`,
    talking_points: ['Keep it to one number'],
  }],
};

let page: Page;
let base: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];
let smtp: SmtpCapture;
const repAt = (now: () => number) => openContext(runtimeFor(store, { now }), { as: 'you@demo.tally', now });

beforeAll(async () => {
  ({ base, store, page } = await openWebSession({ demoProspects: 20, viewport: { width: 1366, height: 768 }, anyHour: true }));
  // A prospect at the head of the manager's queue, on a step with an unfilled slot.
  const ctx = await repAt(testNow);
  smtp = await startSmtp();
  await saveMailbox(ctx, { smtpHost: smtp.host, smtpPort: smtp.port, smtpTls: 'none', password: 'pw', fromAddress: 'you@demo.tally', minSpacingSeconds: 0, warmup: false, appendSent: false });
  const def = validateCadence(CADENCE);
  if (!def.ok) throw new Error(JSON.stringify(def.issues));
  await saveCadence(ctx, def.value);
  const company = await store.companies.insert({ workspace_id: ctx.workspace.id, name: 'Wordsmith Ltd', name_key: 'wordsmith ltd', domain: null, created_at: testNow() });
  const [id] = await store.transaction((tx) => tx.prospects.insertMany([{
    workspace_id: ctx.workspace.id, owner_id: ctx.user.id, email: 'wendy@quill.example', email_key: 'wendy@quill.example', first_name: 'Wendy', last_name: 'Words',
    phone: null, title: 'Head of Sales', company_id: company, timezone: 'America/New_York', priority: 99, created_at: testNow(), updated_at: testNow(),
  }]));
  await enroll(ctx, [id!], 'Words test');
  await store.db.updateTable('enrollments').set({ due_at: testNow() - 3_600_000 }).where('prospect_id', '=', id!).execute();
}, 300_000);
afterAll(async () => smtp?.stop());

it('the queue shows "needs your words" with the slot marked; Send waits until the words are written', async () => {
  await page.goto(base);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  const heading = page.locator('#prospect-name');
  await expect.poll(() => heading.textContent()).toBe('Wendy Words');
  const note = page.getByRole('note').filter({ hasText: 'Needs your words' });
  await expect.poll(() => note.textContent()).toContain(`[[${SLOT}]]`);
  const message = page.getByLabel('The email to Wendy Words');
  await expect.poll(() => message.locator('mark.slot').first().textContent()).toBe(`[[${SLOT}]]`);
  await expect.poll(() => message.textContent()).toContain('Subject: A note for Wordsmith Ltd');
  await expect.poll(() => message.textContent()).not.toContain(REASON);
  const send = page.getByRole('button', { name: 'Send now to wendy@quill.example' });
  await expect.poll(() => send.isDisabled()).toBe(true);
  await docScreenshot(page, 'queue-needs-words.png', { fullPage: true });

  await page.setViewportSize({ width: 1920, height: 1080 });
  const words = 'Teams like yours quoted 30% faster last year after one change.';
  await page.getByLabel(`Your words for [[${SLOT}]]`).fill(words);
  await page.getByRole('button', { name: 'Save words' }).click();
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`Filled [[${SLOT}]] for Wendy Words.`);
  await expect.poll(() => message.textContent()).toContain(words);
  await expect.poll(() => note.count()).toBe(0);
  await expect.poll(() => message.locator('mark.slot').count()).toBe(0);
  await docScreenshot(page, 'queue-words-filled-1920.png', { fullPage: true });
  const fills = await store.db.selectFrom('slot_fills').selectAll().execute();
  expect(fills).toEqual([expect.objectContaining({ slot: SLOT, text: words, prospect_id: expect.any(Number) })]);
}, 120_000);

it('the rep edits the mail for this prospect and Enter sends exactly the edited words, once', async () => {
  const heading = page.locator('#prospect-name');
  await expect.poll(() => heading.textContent()).toBe('Wendy Words');
  await page.getByRole('button', { name: 'Edit for Wendy Words' }).click();
  const editor = page.getByRole('group', { name: 'Edit the email to Wendy Words' });
  const subject = editor.getByLabel('Subject');
  await expect.poll(() => subject.inputValue()).toBe('A note for Wordsmith Ltd');
  await expect.poll(() => editor.getByLabel(/^Message/).inputValue()).toContain('Teams like yours quoted 30% faster');
  const words = 'Hi Wendy,\n\nShort version: one change, 30% faster quotes. Worth 15 minutes?\n\nYou';
  await subject.fill('One change for Wordsmith');
  await editor.getByLabel(/^Message/).fill(words);
  // Esc leaves the editor; Enter outside a text field sends.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Sent “One change for Wordsmith” to wendy@quill.example');
  const row = await store.db.selectFrom('outbox').select(['subject', 'text_body', 'html_body']).where('to_address', '=', 'wendy@quill.example').execute();
  expect(row).toHaveLength(1);
  expect(row[0]!.subject).toBe('One change for Wordsmith');
  expect(row[0]!.text_body.split('\n\n--\n')[0]).toBe(words);
  expect(row[0]!.html_body).toBe('');
  // Once the undo window has passed, the sender delivers it: one message, the edited subject.
  const after = testNow() + UNDO_WINDOW_MS + 60_000;
  await sendDue(await repAt(() => after));
  await sendDue(await repAt(() => after + 60_000));
  const mails = smtp.mails.filter((m) => m.to.includes('wendy@quill.example'));
  expect(mails).toHaveLength(1);
  expect(header(mails[0]!.raw, 'Subject')).toBe('One change for Wordsmith');
  expect(mails[0]!.raw).toContain('Short version: one change, 30% faster quotes.');
}, 120_000);

it('the cadence editor shows each email as it would go out, and flags slots and rep notes', async () => {
  for (const viewport of [{ width: 1920, height: 1080 }, { width: 1366, height: 768 }]) {
    await page.setViewportSize(viewport);
    // The body edited at the first size is not saved: leaving it asks first, and the test says leave.
    const leave = (d: Dialog) => void d.accept();
    page.on('dialog', leave);
    await page.goto(`${base}/#/cadences`);
    await page.getByRole('link', { name: 'Words test' }).click();
    page.off('dialog', leave);
    const sample = page.getByLabel('Step 1 as Dana Scully at Acme Corp would receive it');
    await expect.poll(() => sample.textContent()).toContain('Subject: A note for Acme Corp');
    await expect.poll(() => sample.locator('mark.slot').first().textContent()).toBe(`[[${SLOT}]]`);
    await expect.poll(() => sample.textContent()).toContain('Plain text only');
    const flags = page.getByLabel('Step 1: check before sending');
    await expect.poll(() => flags.textContent()).toContain(`[[${SLOT}]] must be filled in before this step can be sent`);
    // A rep note pasted into the body is flagged before it could reach a prospect.
    const body = page.getByLabel('Body', { exact: true });
    await body.fill(`Hi {{first_name}},\n\n${REASON}.\n\n{{sender_name}}`);
    await expect.poll(() => flags.textContent()).toContain(`"${REASON}" is a note for you`);
    await expect.poll(() => page.getByLabel('Sending', { exact: true }).inputValue()).toBe('automatic');
    await docScreenshot(page, `cadence-editor-messages-${viewport.width}.png`, { fullPage: true });
  }
}, 120_000);
