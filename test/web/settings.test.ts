// The settings pages in Chromium (issue 18), as a manager and a rep would use them: the profile
// (name, zone from the list, signature), follow-up blocks added, moved and removed and the private
// calendar URL read by ical.js, the workspace settings (guardrails from the registry), the mailbox
// connected to a loopback SMTP server, tested, paused and resumed; then an invitation received by
// mail and accepted through its link, and a forgotten password reset through the mailed link.
// Every tab is photographed at 1366×768 and 1920×1080 for the README.
import ICAL from 'ical.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PASSWORD, type Client } from '../api/harness.ts';
import { openWebSession, type WebSession, docScreenshot } from '../helpers/browser.ts';
import { startSmtp, type SmtpCapture } from '../helpers/smtp.ts';

const WAIT = { timeout: 15_000 };
const SMTP_PASSWORD = 'loopback-smtp-secret';

let s: WebSession;
let page: Page;
let owner: Client;
let smtp: SmtpCapture;

beforeAll(async () => {
  s = await openWebSession({ demoProspects: 40, viewport: { width: 1366, height: 768 } });
  ({ page, owner } = s);
  smtp = await startSmtp({ user: 'you@demo.tally', password: SMTP_PASSWORD });
  await signIn('you@demo.tally', PASSWORD, 'Morgan Manager (manager)');
}, 300_000);
afterAll(async () => smtp?.stop());

async function signIn(email: string, password: string, who: string): Promise<void> {
  await page.goto(`${s.base}/#/settings/profile`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await page.locator('.top').getByText(who).waitFor(WAIT);
}

async function signOut(): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to Tally' }).waitFor(WAIT);
}

/** The page at both sizes the README shows: settings-<name>-1366.png and -1920.png. */
async function shoot(name: string): Promise<void> {
  await docScreenshot(page, `settings-${name}-1366.png`, { fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await docScreenshot(page, `settings-${name}-1920.png`, { fullPage: true });
  await page.setViewportSize({ width: 1366, height: 768 });
}

/** The mail's text with quoted-printable soft breaks joined, and the first link to this server in it. */
function linkIn(raw: string): string {
  const text = raw.replace(/=\r?\n/g, '');
  const link = text.match(new RegExp(`${s.base.replace(/[.:/]/g, '\\$&')}/\\S+`))?.[0];
  if (!link) throw new Error(`no link to ${s.base} in the mail:\n${text}`);
  return link;
}

async function status(section: string): Promise<string> {
  return (await page.locator(`${section} [role="status"]`).first().textContent()) ?? '';
}

it('edits the profile: name, a zone picked from the list, the signature the emails carry', async () => {
  await page.getByRole('heading', { name: 'My profile' }).waitFor(WAIT);
  expect(await page.getByRole('link', { name: 'My profile' }).getAttribute('aria-current')).toBe('page');
  await page.getByLabel('Name', { exact: true }).fill('Morgan Lee');
  const zone = page.getByLabel('Time zone');
  await zone.fill('Mars/Olympus');
  await expect.poll(() => page.locator('#profile-timezone-error').textContent(), WAIT).toContain('is not a time zone of the list');
  await zone.fill('Europe/Lisbon');
  await expect.poll(() => page.locator('#profile-timezone-error').count()).toBe(0);
  await page.getByLabel('Email signature').fill('Morgan Lee\nHead of Sales, Acme\n+1 555 0199');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await expect.poll(() => status('form[aria-labelledby="profile-form-title"]'), WAIT).toBe('Profile saved: new emails carry this signature.');
  expect((await owner.get('/api/settings/profile')).body).toMatchObject({ name: 'Morgan Lee', timezone: 'Europe/Lisbon', signature: 'Morgan Lee\nHead of Sales, Acme\n+1 555 0199' });
  // Every email drafted for this rep now ends with it.
  const messages = await owner.post('/api/cadences/messages', { cadence: 'Tally default outbound' });
  expect(messages.body.steps.find((x: { draft: unknown }) => x.draft).draft.text).toContain('\n\nMorgan Lee\nHead of Sales, Acme\n+1 555 0199\n\n--\n');
  await page.reload();
  await expect.poll(() => page.getByLabel('Time zone').inputValue(), WAIT).toBe('Europe/Lisbon');
  await shoot('profile');
}, 120_000);

it('adds, moves and removes follow-up blocks, and subscribes to them with a private calendar URL', async () => {
  await page.getByRole('link', { name: 'My follow-up blocks' }).click();
  await page.getByRole('heading', { name: 'My follow-up blocks' }).waitFor(WAIT);
  const rows = page.locator('ul.blocks li');
  for (const [day, start] of [['Tuesday', '09:00'], ['Friday', '15:30']] as const) {
    await page.locator('#block-day').selectOption({ label: day });
    await page.locator('#block-start').fill(start);
    await page.getByRole('button', { name: 'Add block' }).click();
    await expect.poll(() => status('section[aria-labelledby="blocks-list-title"]'), WAIT).toBe(`Added: ${day} ${start} for 60 minutes.`);
  }
  await expect.poll(() => rows.count(), WAIT).toBe(2);
  await page.getByRole('button', { name: 'Move the Tuesday 09:00 block', exact: true }).click();
  const move = page.getByRole('form', { name: 'Move the Tuesday 09:00 block' });
  await move.getByLabel('Day', { exact: true }).selectOption({ label: 'Thursday' });
  await move.getByLabel('Starts at').fill('14:00');
  await move.getByLabel('Minutes').fill('45');
  await move.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => status('section[aria-labelledby="blocks-list-title"]'), WAIT).toBe('Moved to Thursday 14:00 for 45 minutes.');
  await page.getByRole('button', { name: 'Remove the Friday 15:30 block', exact: true }).click();
  await expect.poll(() => rows.allTextContents(), WAIT).toEqual([expect.stringMatching(/^Thursday 14:00, 45 minutes/)]);
  expect((await owner.get('/api/settings/blocks')).body.items).toEqual([expect.objectContaining({ weekday: 4, start: '14:00', minutes: 45 })]);

  await page.getByRole('button', { name: 'Make my calendar URL' }).click();
  const url = await page.locator('#feed-url').inputValue();
  expect(url).toMatch(new RegExp(`^webcal://${s.base.replace(/^http:\/\//, '').replace(/[.]/g, '\\.')}/calendar/cal_[\\w-]{40,}\\.ics$`));
  const res = await fetch(url.replace(/^webcal:/, 'http:'));
  expect(res.status).toBe(200);
  const events = new ICAL.Component(ICAL.parse(await res.text())).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  expect(events.length).toBeGreaterThanOrEqual(2);
  for (const e of events) {
    expect([e.startDate.zone.tzid, e.startDate.hour, e.startDate.minute]).toEqual(['Europe/Lisbon', 14, 0]);
    expect(e.endDate.toJSDate().getTime() - e.startDate.toJSDate().getTime()).toBe(45 * 60_000);
  }
  expect(events.map((e) => e.description).join('\n')).toMatch(/ · (call|email|linkedin|sms|task) · /);
  await shoot('blocks');

  await page.getByRole('button', { name: 'Turn my calendar URL off' }).click();
  await expect.poll(() => page.locator('section[aria-labelledby="feed-title"] [role="status"]').textContent(), WAIT).toBe('Your calendar URL is turned off: calendars subscribed to it stop updating.');
  expect((await fetch(url.replace(/^webcal:/, 'http:'))).status).toBe(404);
}, 120_000);

it('changes the workspace settings, with every guardrail explained by its rule', async () => {
  await page.getByRole('link', { name: 'Workspace' }).click();
  await page.getByRole('heading', { name: 'Workspace settings' }).waitFor(WAIT);
  const view = (await owner.get('/api/settings/workspace')).body;
  // One card per rule of the registry, with the rule's own explanation.
  const cards = page.locator('li.guardrail');
  await expect.poll(() => cards.count(), WAIT).toBe(view.guardrails.length);
  for (const g of view.guardrails) expect(await page.getByText(g.explanation, { exact: true }).count()).toBe(1);
  await expect.poll(() => page.locator('#guardrail-minGapBusinessDays-unit').textContent()).toBe('business days0–60; default 2');

  await page.getByLabel('Least time between two touches to one person').fill('3');
  await page.getByLabel('Saturday').check();
  await page.getByLabel('Add a holiday').fill('2026-12-24');
  await page.getByRole('button', { name: 'Add holiday' }).click();
  await page.getByLabel('Call: from').fill('10:00');
  await page.getByLabel('Call: until').fill('16:30');
  await page.getByRole('button', { name: 'Save workspace settings' }).click();
  await expect.poll(() => page.locator('form[aria-labelledby="ws-title"] > [role="status"]').textContent(), WAIT).toBe('Workspace settings saved: the next scheduler tick plans with them.');
  const saved = (await owner.get('/api/settings/workspace')).body;
  expect(saved).toMatchObject({ workdays: [1, 2, 3, 4, 5, 6], holidays: ['2026-12-24'] });
  expect(saved.windows.find((w: { channel: string }) => w.channel === 'call').window).toEqual({ start: '10:00', end: '16:30' });
  expect(saved.guardrails.find((g: { id: string }) => g.id === 'min_gap').summary).toBe('at least 3 business days between touches to one person');
  await expect.poll(() => page.getByText('Now: at least 3 business days between touches to one person.').count(), WAIT).toBe(1);

  // A window that ends before it starts is refused in words, and nothing changes.
  await page.getByLabel('Email: from').fill('19:00');
  await page.getByLabel('Email: until').fill('07:00');
  await page.getByRole('button', { name: 'Save workspace settings' }).click();
  await expect.poll(() => page.locator('#ws-windows\\.email-error').textContent(), WAIT).toBe('Sending window (email end): a sending window must end after it starts');
  expect((await owner.get('/api/settings/workspace')).body.windows.find((w: { channel: string }) => w.channel === 'email').window).toBeNull();
  await page.reload();
  await page.getByRole('heading', { name: 'Workspace settings' }).waitFor(WAIT);
  await shoot('workspace');
}, 120_000);

it('connects the mailbox with a password, tests it, pauses and resumes sending', async () => {
  await page.getByRole('link', { name: 'Mailbox' }).click();
  await page.getByRole('heading', { name: 'Connect with a password (SMTP and IMAP)' }).waitFor(WAIT);
  await page.getByLabel('SMTP host').fill(smtp.host);
  await page.getByLabel('Port').first().fill(String(smtp.port));
  await page.getByLabel('Security').first().selectOption('none');
  await page.locator('#mbx-password').fill('wrong password');
  await page.getByLabel('Seconds between two emails').fill('0');
  await page.getByRole('button', { name: 'Connect mailbox' }).click();
  await page.getByRole('heading', { name: 'Sending', exact: true }).waitFor(WAIT);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => page.locator('.mbx-test').textContent(), WAIT).toMatch(/^SMTP: failed — /);

  // The right password; the other settings are kept as saved.
  await page.locator('#mbx-password').fill(SMTP_PASSWORD);
  await page.getByRole('button', { name: 'Save mailbox' }).click();
  await expect.poll(() => status('form[aria-labelledby="mbx-form-title"]'), WAIT).toBe('Mailbox saved. Test the connection to be sure it works.');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect.poll(() => page.locator('.mbx-test').textContent(), WAIT).toBe(`SMTP: ok — connected to ${smtp.host}:${smtp.port} and logged in as you@demo.tally`);
  await expect.poll(() => page.locator('.mbx-facts').textContent()).toContain('200 a day, 0 s apart');

  await page.getByRole('button', { name: 'Pause sending' }).click();
  await expect.poll(() => page.locator('.mbx-facts').textContent(), WAIT).toContain('Paused: paused by Morgan Lee.');
  expect((await owner.get('/api/mailbox')).body.mailbox.paused).not.toBeNull();
  await page.locator('section[aria-labelledby="mbx-state-title"]').getByRole('button', { name: 'Resume sending' }).click();
  await expect.poll(() => page.locator('.mbx-facts').textContent(), WAIT).toContain('StateSending');
  await shoot('mailbox');
}, 120_000);

it('invites by email: the mail arrives on the SMTP server, its link signs the new rep in', async () => {
  await page.getByRole('link', { name: 'Team' }).click();
  await page.getByRole('heading', { name: /^Team: / }).waitFor(WAIT);
  const before = smtp.mails.length;
  await page.getByLabel('Email', { exact: true }).fill('kim@example.com');
  await page.getByLabel('Name', { exact: true }).fill('Kim Park');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect.poll(() => page.locator('.secret-once').textContent(), WAIT).toContain('Mailed to kim@example.com.');
  await expect.poll(() => smtp.mails.length, WAIT).toBe(before + 1);
  // Inviting the same address again renews the invitation: one row, a new link, the old one dead.
  await page.getByLabel('Email', { exact: true }).fill('kim@example.com');
  await page.getByLabel('Name', { exact: true }).fill('Kim Park');
  await page.getByRole('button', { name: 'Invite', exact: true }).click();
  await expect.poll(() => page.locator('.secret-once h3').textContent(), WAIT).toBe('Invitation renewed for Kim Park (rep)');
  await expect.poll(() => smtp.mails.length, WAIT).toBe(before + 2);
  await expect.poll(() => page.locator('table.team-invites tbody tr').count(), WAIT).toBe(1);
  const mail = smtp.mails.at(-1)!;
  expect(mail.to).toEqual(['kim@example.com']);
  expect(mail.raw).toMatch(/^Subject: Morgan Lee invites you to Demo: Acme Sales on Tally/m);
  const link = linkIn(mail.raw);
  expect(link).toMatch(/\/accept#inv_/);
  expect(linkIn(smtp.mails.at(-2)!.raw)).not.toBe(link);
  await shoot('team');

  await signOut();
  await page.goto(link);
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor(WAIT);
  await page.getByLabel('Password').fill('lantern orchard quietly rowing');
  await page.keyboard.press('Enter');
  await page.locator('.top').getByText('Kim Park (rep)').waitFor(WAIT);
  // A rep's settings have no workspace tab.
  await page.goto(`${s.base}/#/settings/workspace`);
  await page.getByRole('heading', { name: 'My profile' }).waitFor(WAIT);
  await expect.poll(() => page.getByRole('link', { name: 'Workspace' }).count()).toBe(0);
  await signOut();
}, 120_000);

it('resets a forgotten password through the mailed link', async () => {
  await page.goto(s.base);
  await page.getByRole('button', { name: 'Forgot your password?' }).click();
  await page.getByLabel('Your email').fill('kim@example.com');
  const before = smtp.mails.length;
  await page.getByRole('button', { name: 'Mail me a reset link' }).click();
  await expect.poll(() => page.locator('form.forgot [role="status"]').textContent(), WAIT).toMatch(/^If this address has an account, a reset link is on its way\./);
  await expect.poll(() => smtp.mails.length, WAIT).toBe(before + 1);
  const link = linkIn(smtp.mails.at(-1)!.raw);
  expect(link).toMatch(/\/reset#rst_/);

  await page.goto(link);
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor(WAIT);
  await page.getByLabel('New password').fill('kim');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect.poll(() => page.locator('#reset-password-error').textContent(), WAIT).toMatch(/at least/);
  await page.getByLabel('New password').fill('copper lantern over the harbour');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.locator('.top').getByText('Kim Park (rep)').waitFor(WAIT);
  expect(await page.evaluate<string>('location.pathname')).toBe('/');
  await signOut();
  // The link worked once; the new password signs in.
  await page.goto(link);
  await page.getByLabel('New password').fill('another long passphrase here');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await expect.poll(() => page.locator('main.signin [role="alert"]').textContent(), WAIT).toMatch(/unknown, used or expired/);
  await page.goto(s.base);
  await page.getByLabel('Email').fill('kim@example.com');
  await page.getByLabel('Password').fill('copper lantern over the harbour');
  await page.keyboard.press('Enter');
  await page.locator('.top').getByText('Kim Park (rep)').waitFor(WAIT);
}, 120_000);
