// The heart of the web app in a real browser: sign in, then work three queue items by keyboard
// alone. Drives Debian's chromium through playwright-core (installed with apt-get when missing
// and root; otherwise the test fails naming the package).
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, type Client, type startServer } from '../api/harness.ts';
import { holdKey, openBrowser, openWebSession, docScreenshot } from '../helpers/browser.ts';
import { isChannel, outcomesFor } from '../../src/core/channels/index.ts';

const SCREENSHOT = 'queue.png';

let page: Page;
let base: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];
let owner: Client;

beforeAll(async () => {
  ({ base, store, page, owner } = await openWebSession({ demoProspects: 120, viewport: { width: 1366, height: 768 }, anyHour: true }));
}, 300_000);

/** The card on screen once it has been there long enough for an outcome key to count. */
async function armedCard(): Promise<string> {
  await page.locator('.card[data-armed="true"]').waitFor();
  return (await page.locator('#prospect-name').textContent())!;
}

async function touchCount(): Promise<number> {
  const row = await store.db.selectFrom('touches').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

it('signs in and logs three touches with one keystroke each', async () => {
  await page.goto(base);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  const heading = page.locator('#prospect-name');
  await heading.waitFor();
  const label = page.locator('label[for="block-progress"]');
  await expect.poll(() => label.textContent()).toMatch(/^0 of \d+ done, \d+ min left/);
  const total = Number(/of (\d+)/.exec((await label.textContent())!)![1]);
  expect(total).toBeGreaterThanOrEqual(4);
  // Focus is on the prospect, not in a field: keys are commands.
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('prospect-name');

  const worked: string[] = [];
  const expected: string[] = [];
  for (const key of ['1', '2', '1']) {
    const name = await armedCard();
    worked.push(name);
    // The keys are the outcomes the step's channel driver offers, in its order.
    const channel = /\[(\w+)\]/.exec((await page.locator('.card .meta').textContent())!)![1]!;
    if (!isChannel(channel)) throw new Error(`the queue shows an unknown channel ${channel}`);
    const offered = outcomesFor(channel);
    const buttons = await page.getByRole('group', { name: 'Log the outcome' }).getByRole('button').allTextContents();
    // On an email the card sends, "sent" records a mail sent from the rep's own mail app, and says so.
    const sendsHere = (await page.locator('.card .email-step').count()) > 0;
    const label = (o: (typeof offered)[number]) => (sendsHere && o.code === 'sent' ? 'sent from my mail app' : o.label);
    expect(buttons.slice(0, offered.length).map((b) => b.toLowerCase())).toEqual(offered.map((o, i) => `${i + 1} ${label(o)}`));
    expected.push(offered[Number(key) - 1]!.code);
    await page.keyboard.press(key);
    await expect.poll(() => heading.textContent()).not.toBe(name);
    await expect.poll(() => page.getByRole('status').textContent()).toContain(name);
  }
  await expect.poll(() => label.textContent()).toMatch(new RegExp(`^3 of ${total} done`));
  // The next prospect has the focus again, ready for the next key.
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('prospect-name');

  const touches = await store.db
    .selectFrom('touches as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.outcome'])
    .where('u.email', '=', 'you@demo.tally')
    .where('t.note', 'is', null)
    .orderBy('t.id', 'desc')
    .limit(3)
    .execute();
  expect(touches.map((t) => t.outcome).reverse()).toEqual(expected);

  await docScreenshot(page, SCREENSHOT, { fullPage: true });
}, 120_000);

it('logs one touch per card seen: a key held for a second, a double tap, a stale card', async () => {
  const heading = page.locator('#prospect-name');
  const before = await touchCount();
  const held = await armedCard();
  // Held down for a second: the browser sends repeats (repeat: true) after the first press.
  await holdKey(page, '1', 1000);
  await expect.poll(() => heading.textContent()).not.toBe(held);
  await page.waitForTimeout(500);
  expect(await touchCount()).toBe(before + 1);
  const afterHold = (await heading.textContent())!;

  // Two taps 150 ms apart: the second lands while the first is saved or on a card not yet read.
  // Dispatched by the page's own timers: sent from a loaded test process, the second tap could
  // reach the browser after the next card's guard time, which is no double tap.
  await armedCard();
  await page.evaluate(`(() => {
    const tap = () => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '1', bubbles: true }));
    tap();
    setTimeout(tap, 150);
  })()`);
  await expect.poll(() => heading.textContent()).not.toBe(afterHold);
  await page.waitForTimeout(900);
  expect(await touchCount()).toBe(before + 2);

  // The buttons say whose card they act on.
  const shown = await armedCard();
  await expect.poll(() => page.getByRole('group', { name: `Log the outcome for ${shown}` }).count()).toBe(1);

  // A request for a card that has moved on (another tab, a late retry) is refused in plain words.
  const last = await store.db.selectFrom('touches').select(['prospect_id', 'enrollment_id', 'step_index', 'channel']).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const stale = await owner.post(`/api/prospects/${last.prospect_id}/touches`, {
    channel: last.channel, outcome: 'no_answer', card: { enrollmentId: last.enrollment_id, step: last.step_index! + 1 },
  });
  expect(stale.status, stale.text).toBe(409);
  expect(stale.body.error.message).toMatch(/^Not logged: the card you acted on is out of date\./);
  expect(await touchCount()).toBe(before + 2);
}, 120_000);

it('undoes the last touch with u: the tally, the enrollment and its held webhooks go back', async () => {
  // An internal receiver on loopback (never answering): on the allow-list.
  expect((await owner.req('PUT', '/api/webhooks/allow-list', { body: { hosts: ['127.0.0.1:9'] } })).status).toBe(200);
  const hook = await owner.post('/api/webhooks', { url: 'http://127.0.0.1:9/tally-hook', events: ['touch.logged'] });
  expect(hook.status, hook.text).toBe(201);
  const heading = page.locator('#prospect-name');
  const before = await touchCount();
  const name = await armedCard();
  const enrollmentId = Number(await page.locator('.card').getAttribute('data-enrollment'));
  const enrollment = () => store.db.selectFrom('enrollments').select(['step_index', 'due_at', 'touches', 'status', 'last_touch_at']).where('id', '=', enrollmentId).executeTakeFirstOrThrow();
  const was = await enrollment();
  await page.keyboard.press('1');
  await expect.poll(() => heading.textContent()).not.toBe(name);
  expect(await touchCount()).toBe(before + 1);
  const logged = await store.db.selectFrom('touches').select(['id', 'enrollment_id', 'step_index', 'created_at', 'undo']).orderBy('id', 'desc').executeTakeFirstOrThrow();
  expect(logged.enrollment_id).toBe(enrollmentId);
  expect((await enrollment()).step_index).toBe(was.step_index + 1);
  // Its webhook waits out the undo window.
  const held = await store.db.selectFrom('webhook_deliveries').select(['hold_key', 'next_attempt_at', 'status']).where('hold_key', 'is not', null).execute();
  expect(held).toHaveLength(1);
  const window = JSON.parse(logged.undo!) as { until: number };
  expect(window.until).toBeGreaterThanOrEqual(Number(logged.created_at) + 9_000);
  expect(Number(held[0]!.next_attempt_at)).toBe(window.until);

  await page.getByRole('button', { name: 'u Undo' }).waitFor();
  await page.keyboard.press('u');
  await expect.poll(() => heading.textContent()).toBe(name);
  await expect.poll(() => page.getByRole('status').textContent()).toContain(`Undone: nothing is logged for ${name}`);
  expect(await touchCount()).toBe(before);
  expect(await enrollment()).toEqual(was);
  expect(await store.db.selectFrom('webhook_deliveries').select('id').where('hold_key', 'is not', null).execute()).toHaveLength(0);
  const change = await store.db.selectFrom('touch_changes').selectAll().where('touch_id', '=', logged.id).executeTakeFirstOrThrow();
  expect(change.action).toBe('undone');
  expect(JSON.parse(change.before)).toMatchObject({ step: logged.step_index! + 1 });

  // Undone is gone: a second undo finds nothing.
  const again = await owner.post(`/api/touches/${logged.id}/undo`, {});
  expect(again.status).toBe(404);
}, 120_000);

it('keeps held touches out of the work list, skips a card with k, and keeps progress across a reload', async () => {
  const label = page.locator('label[for="block-progress"]');
  const heading = page.locator('#prospect-name');
  await armedCard();
  const doneBefore = (await label.textContent())!.split(' of ')[0];
  await page.reload();
  await armedCard();
  expect((await label.textContent())!.split(' of ')[0]).toBe(doneBefore);

  // Held touches: one reason each (the rule that lifts last); those lifting today sit in "Held (N)",
  // those held past today are not shown; no held card is ever the card to work.
  const q = (await owner.get('/api/queue?limit=200')).body as { until: number; items: { enrollmentId: number; held: { until: number | null } | null; heldReason: string | null }[] };
  const held = q.items.filter((i) => i.held);
  for (const i of held) expect(i.heldReason).toMatch(/^held: /);
  const heldToday = held.filter((i) => i.held!.until !== null && i.held!.until <= q.until);
  await expect.poll(() => page.locator('.held-list li').count()).toBe(heldToday.length);
  if (heldToday.length) {
    await expect.poll(() => page.locator('.held-list summary').textContent()).toBe(`Held (${heldToday.length})`);
    await expect.poll(() => page.locator('.held-list li').first().textContent()).toContain(heldToday[0]!.heldReason!);
  }
  const heldIds = new Set(held.map((i) => i.enrollmentId));
  expect(heldIds.has(Number(await page.locator('.card').getAttribute('data-enrollment')))).toBe(false);

  // k: not now. Nothing is logged; the next card comes up.
  const before = await touchCount();
  const name = await armedCard();
  await page.keyboard.press('k');
  await expect.poll(() => heading.textContent()).not.toBe(name);
  await expect.poll(() => page.getByRole('status').textContent()).toContain(`Skipped ${name} for now`);
  expect(await touchCount()).toBe(before);
}, 120_000);

it('keeps the outcome buttons in view at 1366×768, uses two columns at 1920×1080, and lists every key on ?', async () => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await armedCard();
  const first = page.getByRole('group', { name: /^Log the outcome for / }).getByRole('button').first();
  const box = (await first.boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(768);
  await docScreenshot(page, 'queue-1366.png');

  await page.setViewportSize({ width: 1920, height: 1080 });
  const main = (await page.locator('.card-main').boundingBox())!;
  const side = (await page.locator('.card-side').boundingBox())!;
  expect(side.x).toBeGreaterThanOrEqual(main.x + main.width);
  expect(main.width).toBeGreaterThan(900);
  await docScreenshot(page, 'queue-1920.png');
  await page.setViewportSize({ width: 1366, height: 768 });

  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  await expect.poll(() => dialog.textContent()).toContain('undo the last touch');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
}, 120_000);

it('shows the same time for the same touch in the queue and on the board, in the profile zone, whatever the browser zone', async () => {
  // The manager's profile zone is the workspace's (America/New_York); this browser runs in Tokyo.
  const browser = await openBrowser({ width: 1366, height: 768 }, { timezoneId: 'Asia/Tokyo' });
  try {
    const tokyo = await browser.context.newPage();
    await tokyo.goto(base);
    await tokyo.getByLabel('Email').fill('you@demo.tally');
    await tokyo.getByLabel('Password').fill(PASSWORD);
    await tokyo.keyboard.press('Enter');
    await tokyo.locator('.card[data-armed="true"]').waitFor();
    expect(await tokyo.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone')).toBe('Asia/Tokyo');
    const enrollmentId = Number(await tokyo.locator('.card').getAttribute('data-enrollment'));
    const e = await store.db.selectFrom('enrollments as e').innerJoin('prospects as p', 'p.id', 'e.prospect_id').select(['e.due_at', 'p.email']).where('e.id', '=', enrollmentId).executeTakeFirstOrThrow();
    const meta = (await tokyo.locator('.card .meta').textContent())!;
    const inQueue = /(?:overdue since|due) (.+?)(?: · |$)/.exec(meta)![1]!;
    const format = (zone: string) => tokyo.evaluate<string>(`new Intl.DateTimeFormat(undefined, { timeZone: ${JSON.stringify(zone)}, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(${Number(e.due_at)})`);
    expect(inQueue).toBe(await format('America/New_York'));
    expect(inQueue).not.toBe(await format('Asia/Tokyo'));

    await tokyo.getByRole('link', { name: 'Tally board' }).click();
    await tokyo.getByLabel('Search').fill(e.email);
    const row = tokyo.locator('table.board-table tbody tr').filter({ hasText: e.email });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => row.locator('time').first().textContent()).toBe(inQueue);
  } finally {
    await browser.close();
  }
}, 120_000);

it('corrects and deletes a touch from the prospect\'s timeline, with each change kept under it', async () => {
  await page.setViewportSize({ width: 1366, height: 768 });
  // A touch the manager logged on a card (the first test's), whose prospect is open on the board.
  const last = await store.db.selectFrom('touches as t').innerJoin('prospects as p', 'p.id', 't.prospect_id').innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.channel', 'p.email', 'p.first_name', 'p.last_name']).where('u.email', '=', 'you@demo.tally').orderBy('t.id', 'desc').executeTakeFirstOrThrow();
  await page.getByRole('link', { name: 'Tally board' }).click();
  await page.getByLabel('Search').fill(last.email);
  await page.getByRole('button', { name: `${last.first_name} ${last.last_name}` }).click();
  const panel = page.locator('aside.panel');
  const entry = panel.locator('.timeline li').filter({ has: page.getByRole('button', { name: /^Correct the touch/ }) }).first();
  await entry.getByRole('button', { name: /^Correct the touch/ }).click();
  const form = panel.getByRole('form', { name: 'Correct this touch' });
  const note = 'corrected from the timeline';
  await form.getByLabel('Note').fill(note);
  await form.getByRole('button', { name: 'Save correction' }).click();
  await expect.poll(() => panel.getByRole('status').textContent()).toBe('Touch corrected: the change is kept in its history.');
  const corrected = panel.locator('.timeline li').filter({ hasText: note });
  await expect.poll(() => corrected.locator('.changes').textContent()).toMatch(/^corrected by Morgan Manager, .+; it was: /);
  await corrected.scrollIntoViewIfNeeded();
  await docScreenshot(page, 'timeline-correct.png');

  await corrected.getByRole('button', { name: /^Delete the touch/ }).click();
  await panel.getByRole('button', { name: 'Delete touch' }).click();
  await expect.poll(() => panel.getByRole('status').textContent()).toBe('Touch deleted: the deletion is kept in the timeline.');
  await expect.poll(() => panel.locator('.timeline').textContent()).toContain(`Morgan Manager deleted a touch: ${last.channel} → `);
  const changes = await store.db.selectFrom('touch_changes').select('action').where('touch_id', '=', last.id).orderBy('id').execute();
  expect(changes.map((c) => c.action)).toEqual(['corrected', 'deleted']);
}, 120_000);
