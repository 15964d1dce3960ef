// Replies first in a real browser (issue 17): the Replies section at the top of the queue lists a
// reply and a "needs a look" message with their new text and how Tally read them, the navigation
// shows how many wait, and one key on the focused message confirms the reply or decides the other —
// keys that never reach the card below. Screenshots at 1366×768 and 1920×1080.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, type startServer } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';
import { testNow } from '../helpers/clock.ts';
import { openContext, type Context } from '../../src/app/context.ts';
import type { Mailbox } from '../../src/app/ports/records.ts';
import { applyInbound } from '../../src/app/inbound.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

let page: Page;
let base: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];
const who: { id: number; email: string }[] = [];

const HOUR = 3_600_000;

let ctx: Context;
let mailbox: Mailbox;
let uid = 0;

/** One of the manager's prospects with a cadence running (the first, or the one given) writes in, not threaded (matched by address). */
async function writeIn(subject: string, body: string, prospectId?: number): Promise<{ id: number; email: string; action: string | undefined }> {
  let q = store.db
    .selectFrom('prospects as p')
    .innerJoin('enrollments as e', 'e.prospect_id', 'p.id')
    .select(['p.id', 'p.email'])
    .where('p.owner_id', '=', ctx.user.id)
    .where('e.status', '=', 'active');
  if (prospectId !== undefined) q = q.where('p.id', '=', prospectId);
  const r = await q.orderBy('p.id').executeTakeFirstOrThrow();
  const date = new Date(testNow() - HOUR).toUTCString().replace('GMT', '+0000');
  const raw = Buffer.from(`From: ${r.email}\r\nTo: you@demo.tally\r\nSubject: ${subject}\r\nDate: ${date}\r\nMessage-ID: <web.${++uid}@x.example>\r\n\r\n${body}\r\n`);
  const applied = await applyInbound(ctx, mailbox, 'INBOX', '1', { uid, source: raw, internalDate: testNow() - HOUR });
  return { ...r, action: applied?.action };
}

beforeAll(async () => {
  // Every hour a working one: the last test needs cards to work whenever it runs.
  ({ base, store, page } = await openWebSession({ demoProspects: 60, viewport: { width: 1366, height: 768 }, anyHour: true }));
  process.env.TALLY_SECRET_KEY ??= 'replies browser test key';
  ctx = await openContext(runtimeFor(store, { now: testNow }), { as: 'you@demo.tally' });
  await saveMailbox(ctx, { smtpHost: '127.0.0.1', smtpPort: 2525, smtpTls: 'none', user: '', password: 'pw', fromAddress: 'you@demo.tally', minSpacingSeconds: 0 });
  mailbox = await store.db.selectFrom('mailboxes').selectAll().executeTakeFirstOrThrow();
  const reply = await writeIn('Re: your note on pipeline reviews', 'Thanks, this is timely. Can you send the benchmark before Thursday?');
  expect(reply.action).toBe('replied');
  // Not threaded, and it names a vacation: the classifier is unsure.
  const doubt = await writeIn('Back from vacation', 'Back from vacation: yes, call me Thursday afternoon about the benchmark.');
  expect(doubt.action).toBe('needs_look');
  who.push(reply, doubt);
}, 300_000);

const touches = async () => Number((await store.db.selectFrom('touches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

it('lists the reply and the doubtful message first, with their text and reading, and a count in the navigation', async () => {
  await page.goto(base);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  const section = page.getByRole('region', { name: /Replies/ });
  await section.waitFor();
  await expect.poll(() => page.locator('nav .badge').textContent()).toBe('2');
  const items = section.locator('li.reply');
  await expect.poll(() => items.count()).toBe(2);
  const doubt = section.locator('li.reply-needs_look');
  await expect.poll(() => doubt.textContent()).toContain('Back from vacation: yes, call me Thursday afternoon');
  await expect.poll(() => doubt.locator('.reading summary').textContent()).toContain('Tally read it as a reply from a person (unsure) and did nothing: you decide.');
  expect(await doubt.getByRole('button').allTextContents()).toEqual(['r Reply', 'm Meeting booked', 'o Out of office', 'a Automatic reply', 'b Bounce: address bad', 'x Unsubscribe', 'n Not related']);
  const reply = section.locator('li.reply-reply');
  await expect.poll(() => reply.textContent()).toContain('Can you send the benchmark before Thursday?');
  // The section sits above the card (or "Queue done" when nothing is workable at this hour).
  const card = page.locator('.card, .queue .empty').first();
  await card.waitFor();
  expect((await section.boundingBox())!.y).toBeLessThan((await card.boundingBox())!.y);
  await docScreenshot(page, 'replies.png');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await docScreenshot(page, 'replies-wide.png');
  await page.setViewportSize({ width: 1366, height: 768 });
});

it('confirms the reply with one key on it; queue keys pressed there never log a touch on the card', async () => {
  const before = await touches();
  const reply = page.locator('li.reply-reply');
  await reply.focus();
  await page.keyboard.press('1'); // an outcome key of the card below: swallowed here
  await page.keyboard.press('c');
  await expect.poll(() => page.locator('li.reply-reply').count()).toBe(0);
  await expect.poll(() => page.locator('nav .badge').textContent()).toBe('1');
  expect(await touches()).toBe(before);
  const row = await store.db.selectFrom('inbound_messages').select(['decision', 'decided_at']).where('prospect_id', '=', who[0]!.id).executeTakeFirstOrThrow();
  expect(row.decision).toBe('confirmed');
  expect(row.decided_at).not.toBeNull();
});

it('decides the doubtful message: the choice is applied and stored with it', async () => {
  const doubt = page.locator('li.reply-needs_look');
  await doubt.focus();
  await page.keyboard.press('r');
  await expect.poll(() => page.locator('li.reply').count()).toBe(0);
  await expect.poll(() => page.locator('nav .badge').count()).toBe(0);
  await expect.poll(() => page.getByRole('region', { name: /Replies/ }).getByRole('status').textContent()).toContain("replied by email (the rep's decision)");
  const e = await store.db.selectFrom('enrollments').select('status').where('prospect_id', '=', who[1]!.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(e.status).toBe('replied');
  const row = await store.db.selectFrom('inbound_messages').select(['decision', 'action']).where('prospect_id', '=', who[1]!.id).executeTakeFirstOrThrow();
  expect(row).toEqual({ decision: 'reply', action: 'replied' });
});

it('asks for notifications from a click, then tells the rep when a new reply arrives while the app is open', async () => {
  // Headless Chromium shows no notifications: a stand-in records what the app asks of the browser.
  await page.addInitScript(`(() => {
    window.__notes = [];
    class Recorded {
      static permission = 'default';
      static async requestPermission() { Recorded.permission = 'granted'; return 'granted'; }
      constructor(title, options) { window.__notes.push({ title, body: (options && options.body) || '' }); }
    }
    window.Notification = Recorded;
  })()`);
  await page.reload();
  await page.locator('.progress').waitFor();
  const first = await writeIn('Re: quick question', 'Happy to talk, how about Monday?');
  await page.evaluate('window.dispatchEvent(new Event("focus"))');
  const notify = page.getByRole('button', { name: 'Notify me when one arrives' });
  await notify.waitFor();
  // Not allowed yet: nothing is shown, and nothing was asked without a click.
  expect(await page.evaluate('window.__notes.length')).toBe(0);
  await expect.poll(() => page.locator('li.reply-reply').textContent()).toContain('Happy to talk, how about Monday?');
  await notify.click();
  await notify.waitFor({ state: 'detached' });

  const second = await writeIn('Re: the benchmark', 'Yes please, send it to my colleague as well.');
  expect([first.action, second.action]).toEqual(['replied', 'replied']);
  await page.evaluate('window.dispatchEvent(new Event("focus"))');
  await expect.poll(() => page.evaluate('window.__notes')).toEqual([{ title: expect.stringMatching(/^Tally: .+ replied$/), body: 'Yes please, send it to my colleague as well.' }]);
  await expect.poll(() => page.locator('nav .badge').textContent()).toBe('2');
});

it('a reply, or a decision in the Replies section, takes that prospect\'s card off the work list at once', async () => {
  const label = page.locator('label[for="block-progress"]');
  const card = page.locator('.card[data-armed="true"]');
  const total = async () => Number(/ of (\d+) done/.exec((await label.textContent())!)![1]);
  /** The prospect of the card on screen, and how many cards the list counts. */
  const shown = async () => {
    await card.waitFor();
    const enrollment = Number(await card.getAttribute('data-enrollment'));
    const e = await store.db.selectFrom('enrollments').select('prospect_id').where('id', '=', enrollment).executeTakeFirstOrThrow();
    return { enrollment, prospectId: e.prospect_id, total: await total() };
  };
  const first = await shown();

  // The rep is on Dana's card when a doubtful message from Dana arrives: Tally did nothing, the card stays.
  const doubt = await writeIn('Back from vacation', 'Back from vacation: yes, call me Thursday afternoon about the benchmark.', first.prospectId);
  expect(doubt.action).toBe('needs_look');
  await page.evaluate('window.dispatchEvent(new Event("focus"))');
  const message = page.locator('li.reply-needs_look');
  await message.waitFor();
  expect(Number(await card.getAttribute('data-enrollment'))).toBe(first.enrollment);
  // The rep reads it as a reply: the cadence stops, and the card leaves the list at once.
  await message.focus();
  await page.keyboard.press('r');
  await expect.poll(async () => Number(await page.locator('.card').getAttribute('data-enrollment'))).not.toBe(first.enrollment);
  await expect.poll(total).toBe(first.total - 1);
  const e = await store.db.selectFrom('enrollments').select('status').where('id', '=', first.enrollment).executeTakeFirstOrThrow();
  expect(e.status).toBe('replied');

  // A plain reply to the next card's prospect: Tally stops the cadence as it reads it, and the card goes.
  const second = await shown();
  const reply = await writeIn('Re: the benchmark', 'Thanks, this is timely. Can you send the benchmark before Thursday?', second.prospectId);
  expect(reply.action).toBe('replied');
  await page.evaluate('window.dispatchEvent(new Event("focus"))');
  await expect.poll(async () => Number(await page.locator('.card').getAttribute('data-enrollment'))).not.toBe(second.enrollment);
  await expect.poll(total).toBe(second.total - 1);
}, 120_000);
