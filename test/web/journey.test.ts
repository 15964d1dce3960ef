// The journey in one real Chromium session, by keyboard wherever the page allows: a fresh
// server with a small demo workspace nobody owns yet; sign up through the form (a refused password
// first), import a CSV from the board, enroll the new prospects, read the dashboard, work the whole
// block with one key per outcome (1–4: an email step's, a note, a snooze), and see the dashboard change. Then the
// settings' team and profile tabs (an invitation link copied and accepted, an API token shown once and revoked, sign-in
// again) and, on a second empty server, a workspace created from scratch with its name and zone.
//
// Time is pinned (server and page) to a Wednesday 10:00 in the demo's zone, so the new prospects'
// first step (an email, delay 0) is due inside the email window whatever the real clock says.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { Client, PASSWORD, startServer } from '../api/harness.ts';
import { buildDemo } from '../../src/app/demo.ts';
import { buildWeb, focusedName as focusedNameIn, openBrowser, tabTo as tabToIn, type Browser, docScreenshot } from '../helpers/browser.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

/** Wednesday 2026-11-18 10:00 America/New_York (the demo workspace's zone). */
const CLOCK0 = Date.UTC(2026, 10, 18, 15, 0);
/** The machine may be busy: give the page time to answer. */
const WAIT = { timeout: 15_000 };

const CSV = [
  'Email,First Name,Last Name,Company,Title',
  'ines.journey@harbor.example,Ines,Journey,Harbor Freight Labs,Head of Sales',
  'omar.journey@quay.example,Omar,Journey,Quay Analytics,VP Revenue',
  'lena.journey@pier.example,Lena,Journey,Pier Logistics,Sales Director',
  'raj.journey@dock.example,Raj,Journey,Dock Systems,CRO',
].join('\n');
const IMPORTED = ['Ines Journey', 'Omar Journey', 'Lena Journey', 'Raj Journey'];

let browser: Browser;
let page: Page;
let base: string;
let webDir: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];
let setupCode = '';
const started = Date.now();
const now = () => CLOCK0 + (Date.now() - started);

beforeAll(async () => {
  webDir = await buildWeb();
  ({ base, store, setupCode } = await startServer({ webDir, now }));
  // The demo at the same pinned time, so its history and due dates line up with the server's clock.
  await buildDemo(runtimeFor(store), { prospects: 30, now: CLOCK0 });
  browser = await openBrowser({ width: 1280, height: 900 }, { time: CLOCK0 });
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  page = await browser.context.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

const focusedName = () => focusedNameIn(page);
const focusedId = () => page.evaluate<string>('document.activeElement ? document.activeElement.id : ""');
const tabTo = (name: string, back = false) => tabToIn(page, name, { back });

/** Follows a link of the top navigation by keyboard. */
async function goTo(link: string): Promise<void> {
  await tabTo(link, true);
  await page.keyboard.press('Enter');
}

/** Opens a tab of the settings by keyboard: the top navigation's Settings, then the tab's link. */
async function openSettings(tab: string): Promise<void> {
  await goTo('Settings');
  await tabTo(tab);
  await page.keyboard.press('Enter');
}

/** The dashboard's team figures as the page shows them. */
async function dashboardReading(): Promise<{ rate: string; overdue: number; touches: number }> {
  await page.getByRole('heading', { name: 'Dashboard: the team' }).waitFor(WAIT);
  const gaveUp = page.locator('#gave-up + .meta');
  await expect.poll(() => gaveUp.textContent(), WAIT).toMatch(/\d+ touches to/);
  return {
    rate: (await page.locator('#follow-up-rate').textContent())!,
    overdue: Number(await page.locator('#overdue-count').textContent()),
    touches: Number(/(\d+) touches to/.exec((await gaveUp.textContent())!)![1]),
  };
}

const managerTouches = () =>
  store.db
    .selectFrom('touches as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('prospects as p', 'p.id', 't.prospect_id')
    .select(['t.outcome', 't.note', 'p.first_name', 'p.last_name'])
    .where('u.email', '=', 'you@demo.tally')
    .where('t.occurred_at', '>=', CLOCK0)
    .orderBy('t.id')
    .execute();

it('signs up, imports, enrolls, works a block by keyboard alone and sees the dashboard change', async () => {
  await page.goto(base);

  // Sign-up: the demo's workspace waits for its owner; the name field has the focus.
  await page.getByRole('heading', { name: 'Create your workspace' }).waitFor(WAIT);
  await expect.poll(() => page.locator('#signup-intro').textContent()).toContain('Demo: Acme Sales');
  expect(await focusedId()).toBe('signup-name');
  await page.keyboard.type('Morgan Manager');
  await page.keyboard.press('Tab');
  await page.keyboard.type('you@demo.tally');
  await page.keyboard.press('Tab');
  await page.keyboard.type('too short');
  await page.keyboard.press('Enter');
  // Refused next to the field the API names, which takes the focus.
  const passwordError = page.locator('#signup-password-error');
  await expect.poll(() => passwordError.textContent(), WAIT).toBe('must have at least 10 characters');
  expect(await focusedId()).toBe('signup-password');
  expect(await page.locator('#signup-password').getAttribute('aria-describedby')).toBe('signup-password-rule signup-password-error');
  await expect.poll(() => page.locator('#signup-password-rule').textContent()).toMatch(/^At least 10 characters/);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  // Without the setup code `tally serve` printed, nobody can take the server over.
  const codeError = page.locator('#signup-setupCode-error');
  await expect.poll(() => codeError.textContent(), WAIT).toMatch(/setup code is missing or wrong/);
  expect(await focusedId()).toBe('signup-setup-code');
  await page.keyboard.type(setupCode);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Work the queue' }).waitFor({ state: 'attached', ...WAIT });
  await expect.poll(() => page.locator('.top').textContent()).toContain('Morgan Manager (manager)');
  expect((await new Client(base).get('/api/auth/setup')).body).toEqual({ signupOpen: false, workspaceName: null, setupCodeRequired: true });

  // Import a CSV from the board: the file input is reached and opened with the keyboard.
  await goTo('Tally board');
  const pager = page.locator('.pager span');
  await expect.poll(() => pager.textContent(), WAIT).toMatch(/^1–\d+ of 30$/);
  // Listening for the file chooser before tabbing: Playwright turns the interception on asynchronously,
  // and a Space pressed before it is on opens the native dialog instead (no event).
  const chooserOpened = page.waitForEvent('filechooser', WAIT);
  await tabTo('Import CSV…');
  await page.keyboard.press('Enter');
  await tabTo('CSV file (or drop it here)');
  await page.keyboard.press('Space');
  const chooser = await chooserOpened;
  await chooser.setFiles({ name: 'journey.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await expect.poll(() => page.locator('.counts').textContent(), WAIT).toBe('4 rows: 4 new, 0 updated, 0 duplicates, 0 rejected.');
  await tabTo('Import 4 prospects');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('dialog .summary').textContent(), WAIT).toMatch(/^4 rows: 4 new/);
  await tabTo('Done');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('status').first().textContent(), WAIT).toBe('Imported journey.csv: 4 new, 0 updated, 0 rejected.');
  await expect.poll(() => pager.textContent(), WAIT).toBe('1–34 of 34');

  // Enroll them: search, select the page, choose the cadence by typing, enroll.
  await tabTo('Search');
  // The search waits for a pause in typing; on a busy machine a partial word ("jour") can go out first and
  // match the same four, and the full word's answer would then clear a selection made in between.
  const searched = page.waitForResponse((r) => r.url().includes('/api/prospects?') && r.url().includes('search=journey&'), WAIT);
  await page.keyboard.type('journey');
  await searched;
  await expect.poll(() => pager.textContent(), WAIT).toBe('1–4 of 4');
  await tabTo('Select all on this page');
  await page.keyboard.press('Space');
  await expect.poll(() => page.locator('.picked-count').textContent(), WAIT).toMatch(/^4 selected\./);
  await tabTo('Enroll in', true);
  await page.keyboard.type('Tally');
  await expect.poll(() => page.locator('#bulk-cadence option:checked').textContent()).toBe('Tally default outbound');
  // The button turns focusable once the page has taken the choice (a disabled button is skipped by Tab).
  await expect.poll(() => page.getByRole('button', { name: 'Enroll selected' }).isEnabled(), WAIT).toBe(true);
  await tabTo('Enroll selected');
  await page.keyboard.press('Enter');
  // The check before acting (who answered or opted out is left out): nobody here did, so the 4 go in.
  const confirm = page.getByRole('dialog', { name: 'Enroll in Tally default outbound?' });
  await expect.poll(() => confirm.locator('.check-sentence').textContent(), WAIT).toBe('4 will be enrolled.');
  await expect.poll(() => page.evaluate('document.activeElement?.textContent?.trim()'), WAIT).toBe('Enroll 4 prospects');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByRole('status').first().textContent(), WAIT).toBe('Tally default outbound: 4 enrolled.');
  const enrolled = await store.db
    .selectFrom('enrollments as e')
    .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
    .select(['e.status', 'e.due_at'])
    .where('p.email', 'like', '%.journey@%')
    .execute();
  expect(enrolled).toHaveLength(4);
  // Due now: the first step is an email with no delay, inside Wednesday's email window.
  for (const e of enrolled) expect(Number(e.due_at)).toBeLessThanOrEqual(now());

  // The dashboard before the block.
  await goTo('Dashboard');
  const before = await dashboardReading();
  expect(before.overdue).toBeGreaterThan(0);

  // Work the queue: the whole block, each outcome by its key, a note and a snooze by keyboard too.
  await goTo('Work the queue');
  const heading = page.locator('#prospect-name');
  await heading.waitFor(WAIT);
  const label = page.locator('label[for="block-progress"]');
  await expect.poll(() => label.textContent(), WAIT).toMatch(/^0 of \d+ done/);
  const total = Number(/of (\d+)/.exec((await label.textContent())!)![1]);
  // Five keys at least: the four outcomes of an email step (its channel driver's), plus a snooze.
  expect(total).toBeGreaterThanOrEqual(5);
  await expect.poll(focusedId, WAIT).toBe('prospect-name');
  const keys = ['1', 'note+2', 's', '3', '4'];
  const worked: string[] = [];
  let snoozed = '';
  for (let i = 0; i < total; i++) {
    // A key counts once the card has been on screen long enough to be read (issue 17's guard).
    await page.locator('.card[data-armed="true"]').waitFor(WAIT);
    const name = (await heading.textContent())!;
    worked.push(name);
    const key = keys[i] ?? (i % 2 ? '2' : '1');
    // The page loads the next prospect's timeline from the same effects that re-arm its key handler:
    // once that request is out, the next key is heard (pressing sooner could reach the old handler).
    const nextReady = i + 1 < total
      ? page.waitForRequest((r) => r.method() === 'GET' && /^\/api\/prospects\/\d+$/.test(new URL(r.url()).pathname), WAIT)
      : Promise.resolve(null);
    if (key === 'note+2') {
      // n: the note field; Esc: back to the prospect; then the key logs the touch with the note.
      await page.keyboard.press('n');
      expect(await focusedId()).toBe('note');
      await page.keyboard.type('asked to call back after the board meeting');
      await page.keyboard.press('Escape');
      expect(await focusedId()).toBe('prospect-name');
      await page.keyboard.press('2');
    } else if (key === 's') {
      // s: the snooze date (three business days on) has the focus; Enter snoozes.
      await page.keyboard.press('s');
      await expect.poll(focusedId, WAIT).toBe('snooze-until');
      await page.keyboard.press('Enter');
      snoozed = name;
    } else {
      await page.keyboard.press(key);
    }
    await expect.poll(() => label.textContent(), WAIT).toMatch(new RegExp(`^${i + 1} of ${total} done`));
    await expect.poll(() => page.locator('.queue .status').textContent(), WAIT).toContain(name);
    await nextReady;
  }
  await page.getByRole('heading', { name: 'Queue done' }).waitFor(WAIT);
  for (const n of IMPORTED) expect(worked).toContain(n);

  const touches = await managerTouches();
  expect(touches).toHaveLength(total - 1); // the snooze is not a touch
  expect(new Set(touches.map((t) => t.outcome))).toEqual(new Set(['sent', 'replied', 'meeting_booked', 'not_interested']));
  expect(touches.filter((t) => t.note).map((t) => t.note)).toEqual(['asked to call back after the board meeting']);
  for (const n of IMPORTED.filter((x) => x !== snoozed)) expect(touches.map((t) => `${t.first_name} ${t.last_name}`)).toContain(n);

  // The dashboard after: every touch counted, the overdue work gone, the follow-up rate moved.
  await goTo('Dashboard');
  await expect.poll(async () => (await dashboardReading()).touches, WAIT).toBe(before.touches + total - 1);
  const after = await dashboardReading();
  expect(after.overdue).toBeLessThan(before.overdue);
  expect(after.rate).not.toBe(before.rate);
}, 300_000);

it('invites a rep with a one-time link on the team tab, and makes, copies and revokes an API token on the profile tab', async () => {
  await openSettings('Team');
  await page.getByRole('heading', { name: 'Team: Demo: Acme Sales' }).waitFor(WAIT);
  const members = page.locator('table.team-members tbody tr');
  await expect.poll(() => members.count(), WAIT).toBe(3);
  await expect.poll(() => members.first().textContent()).toBe('Morgan Manager (you)you@demo.tallyManagerAmerica/New_York (the workspace’s)Signed up');
  await expect.poll(() => members.nth(2).textContent()).toContain('No password yet: invite them');

  // The invitation, by keyboard: the link takes the focus, Copy puts it on the clipboard.
  await tabTo('Email');
  await page.keyboard.type('sam@demo.tally');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Sam Rivera');
  await tabTo('Invite');
  await page.keyboard.press('Enter');
  const link = page.locator('#invite-link');
  await expect.poll(focusedId, WAIT).toBe('invite-link');
  const url = await link.inputValue();
  expect(url).toMatch(new RegExp(`^${base}/accept#inv_[\\w-]{20,}$`));
  await tabTo('Copy');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('.copy-field .status').first().textContent(), WAIT).toBe('Copied to the clipboard.');
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(url);
  await expect.poll(() => page.locator('table.team-invites tbody tr').first().textContent(), WAIT).toMatch(/^sam@demo\.tallySam RiveraRepMorgan Manager/);
  await expect.poll(() => page.locator('.secret-once').textContent()).toContain('The workspace has no mailbox to send it from');
  await docScreenshot(page, 'team.png', { fullPage: true });

  // An API token, shown once, works as a Bearer token.
  await openSettings('My profile');
  await tabTo('Token name');
  await page.keyboard.type('CRM sync');
  await page.keyboard.press('Enter');
  await expect.poll(focusedId, WAIT).toBe('token-secret');
  const token = await page.locator('#token-secret').inputValue();
  expect(token).toMatch(/^tly_/);
  const script = new Client(base);
  script.bearer = token;
  expect((await script.get('/api/auth/me')).body.user.email).toBe('you@demo.tally');
  await expect.poll(() => page.locator('table.team-tokens tbody tr').first().textContent(), WAIT).toContain(`${token.slice(0, 10)}…`);

  // Revoked after a confirmation in place; the result takes the focus.
  await tabTo('Revoke CRM sync');
  await page.keyboard.press('Enter');
  expect(await focusedName()).toBe('Yes, revoke CRM sync');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('section[aria-labelledby="tokens-title"] [role="status"][tabindex="-1"]').textContent(), WAIT).toBe('Revoked “CRM sync”: scripts using it are refused from now on.');
  expect((await script.get('/api/auth/me')).status).toBe(401);
  await expect.poll(() => page.getByText('You have no API tokens.').isVisible(), WAIT).toBe(true);

  // The manager signs out; the invited rep opens the copied link in the same browser.
  await tabTo('Sign out', true);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sign in to Tally' }).waitFor(WAIT);
  const rep = page;
  await rep.goto(url);
  await rep.getByRole('heading', { name: 'Choose your password' }).waitFor(WAIT);
  await rep.keyboard.type(PASSWORD);
  await rep.keyboard.press('Enter');
  await rep.locator('.top').getByText('Sam Rivera (rep)').waitFor(WAIT);
  await rep.getByRole('link', { name: 'Settings' }).focus();
  await rep.keyboard.press('Enter');
  await rep.getByRole('link', { name: 'Team' }).focus();
  await rep.keyboard.press('Enter');
  const seen = rep.locator('table.team-members');
  await expect.poll(() => seen.locator('tbody tr').count(), WAIT).toBe(3);
  await expect.poll(() => seen.locator('thead').textContent()).toBe('NameRole');
  await expect.poll(() => seen.textContent()).not.toContain('@');
  await expect.poll(() => rep.getByRole('heading', { name: 'Invite someone' }).count()).toBe(0);
  expect(await rep.getByRole('link', { name: 'Workspace' }).count()).toBe(0); // the workspace settings are the managers'
  await rep.getByRole('link', { name: 'My profile' }).click();
  await rep.getByRole('heading', { name: 'Your API tokens' }).waitFor(WAIT);

  // Back to the manager through the sign-in form: a wrong password is refused in words first.
  await tabTo('Sign out', true);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Sign in to Tally' }).waitFor(WAIT);
  expect(await focusedId()).toBe('email');
  await page.keyboard.type('you@demo.tally');
  await page.keyboard.press('Tab');
  await page.keyboard.type('not the password');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#signin-error').textContent(), WAIT).toBe('wrong email or password');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await page.locator('.top').getByText('Morgan Manager (manager)').waitFor(WAIT);
}, 120_000);

it('takes access away on the team tab: an invitation cancelled, a rep deactivated and back; a password changed on the profile tab', async () => {
  await openSettings('Team');
  await page.getByRole('heading', { name: 'Team: Demo: Acme Sales' }).waitFor(WAIT);
  const sam = new Client(base);
  expect((await sam.post('/api/auth/login', { email: 'sam@demo.tally', password: PASSWORD })).status).toBe(200);

  // An invitation made, then cancelled: its link stops working.
  await page.getByLabel('Email', { exact: true }).fill('kim@demo.tally');
  await page.getByLabel('Name', { exact: true }).fill('Kim Park');
  await tabTo('Invite');
  await page.keyboard.press('Enter');
  const url = await page.locator('#invite-link').inputValue();
  await tabTo('Cancel the invitation of kim@demo.tally');
  await page.keyboard.press('Enter');
  const invites = page.locator('section[aria-labelledby="invite-title"] [role="status"][tabindex="-1"]');
  await expect.poll(() => invites.textContent(), WAIT).toBe('The invitation of kim@demo.tally is cancelled: its link no longer works.');
  const accept = await new Client(base).post('/api/auth/accept', { token: url.split('#')[1], password: 'a long enough passphrase' });
  expect(accept.status).toBe(400);
  expect(accept.body.error.message).toMatch(/unknown, used or expired/);

  // Sam deactivated (his prospects to the manager): signed out at once; then let back in.
  await tabTo('Deactivate Sam Rivera');
  await page.keyboard.press('Enter');
  await tabTo('Yes, deactivate Sam Rivera');
  await page.keyboard.press('Enter');
  const members = page.locator('section[aria-labelledby="members-title"] [role="status"][tabindex="-1"]');
  await expect.poll(() => members.textContent(), WAIT).toMatch(/^Sam Rivera is deactivated: their sessions and tokens ended, \d+ prospects went to Morgan Manager\.$/);
  expect((await sam.get('/api/auth/me')).status).toBe(401);
  await expect.poll(() => page.locator('table.team-members').textContent(), WAIT).toContain('Deactivated');
  await docScreenshot(page, 'team-access.png', { fullPage: true });
  await tabTo('Reactivate Sam Rivera');
  await page.keyboard.press('Enter');
  await expect.poll(() => members.textContent(), WAIT).toBe('Sam Rivera can sign in again.');
  expect((await sam.post('/api/auth/login', { email: 'sam@demo.tally', password: PASSWORD })).status).toBe(200);

  // The manager's own password, changed on the account card of the profile tab, where this browser is
  // named as a person knows it (the raw user agent in its tooltip).
  await openSettings('My profile');
  const thisOne = page.locator('table.team-sessions tbody th', { hasText: '(this one)' });
  await expect.poll(() => thisOne.textContent(), WAIT).toMatch(/^Chrome \d+ on Linux \(this one\)$/);
  expect(await thisOne.getAttribute('title')).toContain('HeadlessChrome/');
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password').fill('copper kettle on a windy pier');
  await tabTo('Change password');
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('form[aria-labelledby="password-title"] [role="status"]').textContent(), WAIT).toMatch(/^Password changed; \d+ other sessions? ended\.$/);
  expect((await new Client(base).post('/api/auth/login', { email: 'you@demo.tally', password: 'copper kettle on a windy pier' })).status).toBe(200);
}, 120_000);

it('creates a workspace from scratch on an empty server, with its name and time zone', async () => {
  const empty = await startServer({ webDir, now });
  await page.goto(empty.base);
  await page.getByRole('heading', { name: 'Create your workspace' }).waitFor(WAIT);
  await expect.poll(() => page.locator('#signup-intro').textContent()).toMatch(/^Nobody has signed up/);
  const browserZone = await page.evaluate<string>('Intl.DateTimeFormat().resolvedOptions().timeZone');
  await expect.poll(() => page.locator('#signup-timezone').inputValue()).toBe(browserZone);
  await page.keyboard.type('Alex Owner');
  await page.keyboard.press('Tab');
  await page.keyboard.type('alex@owner.example');
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab'); // past the password rule, which is text, to the workspace name
  if ((await focusedId()) !== 'signup-workspace') await tabTo('Workspace name', true);
  await page.keyboard.type('Owner Outbound');
  await tabTo('Time zone');
  await page.keyboard.type('Europe/Paris');
  await expect.poll(() => page.locator('#signup-timezone').inputValue()).toBe('Europe/Paris');
  await docScreenshot(page, 'signup.png');
  await tabTo('Setup code');
  await page.keyboard.type(empty.setupCode);
  await tabTo('Create workspace');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Queue done' }).waitFor(WAIT);
  await expect.poll(() => page.locator('.top').textContent()).toContain('Owner Outbound');
  const ws = await empty.store.db.selectFrom('workspaces').select(['name', 'timezone']).execute();
  expect(ws).toEqual([{ name: 'Owner Outbound', timezone: 'Europe/Paris' }]);
  const owner = await empty.store.db.selectFrom('users').select(['email', 'role']).execute();
  expect(owner).toEqual([{ email: 'alex@owner.example', role: 'manager' }]);
}, 120_000);
