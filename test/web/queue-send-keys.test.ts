// Enter on an email card in a real browser (issue 17): the same guard as the outcome keys. Enter
// pressed before the card has been on screen for the guard time sends nothing, a held Enter sends
// the card it was first pressed on and never the next one (key auto-repeat), and a double tap sends
// one mail. The outbox is what counts: each send is one row there, held for its undo window.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { saveCadence } from '../../src/app/cadences.ts';
import { openContext } from '../../src/app/context.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { validateCadence } from '../../src/core/cadence.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import type { startServer } from '../api/harness.ts';
import { holdKey, openWebSession, signInToQueue } from '../helpers/browser.ts';
import { testNow } from '../helpers/clock.ts';

const CADENCE = {
  name: 'Enter guard',
  steps: [{ channel: 'email', delay: 0, name: 'Short note', subject: 'A note for {{company}}', sending: 'manual', reason: 'one useful number', template: 'Hi {{first_name}},\n\nOne number for {{company}}: 30% faster quotes.\n\n{{sender_name}}' }],
};
/** At the head of the queue, in this order (priority, then due time). */
const PROSPECTS = [
  { first: 'Avery', email: 'avery@guard.example', priority: 99 },
  { first: 'Blake', email: 'blake@guard.example', priority: 98 },
  { first: 'Casey', email: 'casey@guard.example', priority: 97 },
];

let page: Page;
let base: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];

beforeAll(async () => {
  ({ base, store, page } = await openWebSession({ demoProspects: 20, viewport: { width: 1366, height: 768 }, anyHour: true }));
  const ctx = await openContext(runtimeFor(store, { now: testNow }), { as: 'you@demo.tally', now: testNow });
  // Nothing leaves during the test: each send waits out its undo window in the outbox.
  await saveMailbox(ctx, { smtpHost: '127.0.0.1', smtpPort: 9, smtpTls: 'none', password: 'pw', fromAddress: 'you@demo.tally', minSpacingSeconds: 0, warmup: false, appendSent: false });
  const def = validateCadence(CADENCE);
  if (!def.ok) throw new Error(JSON.stringify(def.issues));
  await saveCadence(ctx, def.value);
  const company = await store.companies.insert({ workspace_id: ctx.workspace.id, name: 'Guard Co', name_key: 'guard co', domain: null, created_at: testNow() });
  const ids = await store.transaction((tx) => tx.prospects.insertMany(PROSPECTS.map((p) => ({
    workspace_id: ctx.workspace.id, owner_id: ctx.user.id, email: p.email, email_key: p.email, first_name: p.first, last_name: 'Guard',
    phone: null, title: 'Head of Sales', company_id: company, timezone: 'America/New_York', priority: p.priority, created_at: testNow(), updated_at: testNow(),
  }))));
  await enroll(ctx, ids, 'Enter guard');
  await store.db.updateTable('enrollments').set({ due_at: testNow() - 3_600_000 }).where('prospect_id', 'in', ids).execute();
}, 300_000);

const sentTo = async (email: string) => (await store.db.selectFrom('outbox').select('id').where('to_address', '=', email).execute()).length;
const heading = () => page.locator('#prospect-name');
const armedCard = async () => {
  await page.locator('.card[data-armed="true"]').waitFor();
  return (await heading().textContent())!;
};

it('Enter pressed before the card has been on screen for the guard time sends nothing', async () => {
  // An Enter 100 ms after the first card is painted: its timer is set before the card's 400 ms
  // guard timer (which starts once the card is on screen), so it always lands before the guard.
  await page.addInitScript(`(() => {
    window.__early = null;
    const seen = new MutationObserver(() => {
      const card = document.querySelector('.card');
      if (!card) return;
      seen.disconnect();
      setTimeout(() => {
        window.__early = { armed: card.getAttribute('data-armed'), name: document.getElementById('prospect-name').textContent };
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      }, 100);
    });
    seen.observe(document, { childList: true, subtree: true });
  })()`);
  await signInToQueue(page, base);
  await expect.poll(() => page.evaluate('window.__early')).toEqual({ armed: 'false', name: 'Avery Guard' });
  expect(await armedCard()).toBe('Avery Guard');
  // Well past the guard: still Avery's card, and nothing in the outbox.
  await page.waitForTimeout(500);
  await expect.poll(() => heading().textContent()).toBe('Avery Guard');
  expect(await sentTo('avery@guard.example')).toBe(0);
}, 120_000);

it('a held Enter sends the card it was pressed on, once, and never the next card', async () => {
  expect(await armedCard()).toBe('Avery Guard');
  // Held down for longer than the next card's guard time: the browser repeats the key (repeat: true).
  await holdKey(page, 'Enter', 1200);
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Sent “A note for Guard Co” to avery@guard.example');
  expect(await armedCard()).toBe('Blake Guard');
  await page.waitForTimeout(500);
  expect(await sentTo('avery@guard.example')).toBe(1);
  expect(await sentTo('blake@guard.example')).toBe(0);
  await expect.poll(() => heading().textContent()).toBe('Blake Guard');
}, 120_000);

it('a double tap of Enter sends one mail: the second tap lands on a card not yet read', async () => {
  expect(await armedCard()).toBe('Blake Guard');
  // Both taps 150 ms apart by the page's own clock: sent from the test, the second could reach a
  // loaded machine's browser later than the next card's guard time, which is no double tap.
  await page.evaluate(`(() => {
    const tap = () => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    tap();
    setTimeout(tap, 150);
  })()`);
  await expect.poll(() => page.getByRole('status').first().textContent()).toContain('to blake@guard.example');
  expect(await armedCard()).toBe('Casey Guard');
  await page.waitForTimeout(500);
  expect(await sentTo('blake@guard.example')).toBe(1);
  expect(await sentTo('casey@guard.example')).toBe(0);
}, 120_000);
