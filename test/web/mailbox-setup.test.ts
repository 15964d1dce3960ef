// The workspace's mailbox setup in a real browser (issue 19): a manager enters the Google and
// Microsoft sign-in clients on the mailbox tab, with the exact redirect URI and scopes to register
// beside each form, the secret write-only ("set" / "not set", never in the page), field errors next
// to their field; the one-click unsubscribe link, validated; a rep sees none of it. Before a provider
// is set up, its connect button is disabled with the reason. Screenshots at 1366×768 and 1920×1080.
import type { Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { Client, PASSWORD, type startServer } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';

let page: Page;
let base: string;
let owner: Client;
let store: Awaited<ReturnType<typeof startServer>>['store'];

const SECRET = 'GOCSPX-web-form-secret-1234';

beforeAll(async () => {
  ({ base, page, owner, store } = await openWebSession({ demoProspects: 5, viewport: { width: 1366, height: 768 } }));
}, 300_000);

async function signIn(email: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${base}/#/settings/mailbox`);
  await page.reload(); // the same address again loads nothing: the app must see it is signed out
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Mailbox', exact: true }).waitFor();
}

const section = () => page.locator('section[aria-labelledby="mailbox-setup-title"]');
const form = (name: string) => section().getByRole('form', { name });

/** The whole page, or only `part` of it, at both screen sizes. */
async function shot(name: string, part?: Locator): Promise<void> {
  for (const [w, h] of [[1366, 768], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    const file = `${name}-${w}.png`;
    if (part) {
      await docScreenshot(part, file);
      continue;
    }
    await section().scrollIntoViewIfNeeded();
    await docScreenshot(page, file, { fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

const connectSection = () => page.locator('section[aria-labelledby="connect-title"]');

it('offers no sign-in that is not set up: the connect buttons disabled with the reason, the way to the setup for a manager', async () => {
  await signIn('you@demo.tally');
  for (const [name, label] of [['Connect Google', 'Google'], ['Connect Microsoft 365', 'Microsoft 365']] as const) {
    const button = connectSection().getByRole('button', { name });
    await expect.poll(() => button.getAttribute('aria-describedby')).not.toBeNull();
    await expect.poll(() => button.isDisabled()).toBe(true);
    const why = page.locator(`#${(await button.getAttribute('aria-describedby'))!}`);
    await expect.poll(() => why.textContent()).toBe(`${label} sign-in is not set up for this workspace yet: set it up in Workspace setup.`);
  }
  await shot('mailbox-connect-not-set-up', connectSection());
  // The link takes the manager to the provider's form in the workspace setup, its first field focused.
  await connectSection().locator('#connect-google-why').getByRole('button', { name: 'Workspace setup' }).click();
  await expect.poll(() => page.evaluate<string>('document.activeElement?.id ?? ""')).toBe('oauth-google-clientId');
});

it('a manager sets up Google sign-in: what to register beside the form, the secret needed once and never shown again', async () => {
  const google = form('Google');
  await google.getByText('Not set up: reps cannot connect with Google yet.').waitFor();
  const register = google.getByRole('complementary', { name: 'Register with Google' });
  await expect.poll(() => register.locator('dd').first().textContent()).toBe(`${base}/api/mailbox/oauth/callback`);
  await expect.poll(() => register.locator('dd').nth(1).textContent()).toBe('https://mail.google.com/');
  expect(await form('Microsoft 365').getByRole('complementary').locator('dd').nth(1).textContent())
    .toBe('https://outlook.office.com/IMAP.AccessAsUser.Allhttps://outlook.office.com/SMTP.Sendoffline_access');

  await google.getByLabel('Client ID').fill('tally-123.apps.googleusercontent.com');
  await google.getByRole('button', { name: 'Save Google sign-in' }).click();
  const missing = google.locator('#oauth-google-clientSecret-error');
  await missing.waitFor();
  await expect.poll(() => missing.textContent()).toContain('a client secret is needed');
  expect(await google.getByLabel('Client secret').getAttribute('aria-invalid')).toBe('true');

  await google.getByLabel('Client secret').fill(SECRET);
  await google.getByRole('button', { name: 'Save Google sign-in' }).click();
  await google.getByRole('status').filter({ hasText: 'Google sign-in saved' }).waitFor();
  await google.getByText('Set up: reps can connect with Google.').waitFor();
  // Above, Google can now be connected; Microsoft 365 still cannot.
  await expect.poll(() => connectSection().getByRole('button', { name: 'Connect Google' }).isEnabled()).toBe(true);
  await expect.poll(() => connectSection().locator('#connect-google-why').count()).toBe(0);
  await expect.poll(() => connectSection().getByRole('button', { name: 'Connect Microsoft 365' }).isDisabled()).toBe(true);
  await expect.poll(() => google.getByLabel('Client secret').inputValue()).toBe('');
  expect(await google.getByLabel('Client secret').getAttribute('placeholder')).toBe('set (leave empty to keep it)');

  // After a reload the set-up client is folded away; opened, the form shows it, the secret only as "set".
  await page.reload();
  await form('Google').getByText('Set up: reps can connect with Google.').waitFor();
  await expect.poll(() => form('Google').getByLabel('Client ID').isVisible()).toBe(false);
  await form('Google').locator('summary').click();
  await expect.poll(() => form('Google').getByLabel('Client ID').inputValue()).toBe('tally-123.apps.googleusercontent.com');
  await expect.poll(() => form('Google').getByText('Secret: set.').count()).toBe(1);
  expect(await page.content()).not.toContain(SECRET);
  // Changing the client id alone keeps the stored secret.
  await form('Google').getByLabel('Client ID').fill('tally-456.apps.googleusercontent.com');
  await form('Google').getByRole('button', { name: 'Save Google sign-in' }).click();
  await form('Google').getByRole('status').filter({ hasText: 'Google sign-in saved' }).waitFor();
  const connect = await owner.post('/api/mailbox/connect', { provider: 'google' });
  expect(new URL(connect.body.url).searchParams.get('client_id')).toBe('tally-456.apps.googleusercontent.com');
  const sealed = (await store.workspaces.first())!.oauth_clients!;
  expect(sealed).not.toContain(SECRET); // sealed at rest
});

it('says next to the field what is wrong with a Microsoft tenant, and saves a good one', async () => {
  const ms = form('Microsoft 365');
  await ms.getByLabel('Client ID').fill('11111111-2222-3333-4444-555555555555');
  await ms.getByLabel('Client secret').fill('entra-secret');
  await ms.getByLabel('Tenant').fill('acme/../other');
  await ms.getByRole('button', { name: 'Save Microsoft 365 sign-in' }).click();
  await ms.locator('#oauth-microsoft-tenant-error').filter({ hasText: 'is not a tenant' }).waitFor();
  await ms.getByLabel('Tenant').fill('acme.onmicrosoft.com');
  await ms.getByRole('button', { name: 'Save Microsoft 365 sign-in' }).click();
  await ms.getByRole('status').filter({ hasText: 'Microsoft 365 sign-in saved' }).waitFor();
  await expect.poll(() => ms.locator('#oauth-microsoft-tenant-error').count()).toBe(0);
});

it('sets the one-click unsubscribe link: https only; a local address accepted because this server runs on this machine', async () => {
  const unsub = form('One-click unsubscribe link');
  expect(await unsub.getByLabel('Unsubscribe link').getAttribute('placeholder')).toBe(`${base}/unsubscribe`);
  await unsub.getByText('Tally runs on this machine: a local address is accepted').waitFor();
  await unsub.getByLabel('Unsubscribe link').fill('http://tally.acme.example/unsubscribe');
  await unsub.getByRole('button', { name: 'Save unsubscribe link' }).click();
  await unsub.locator('#unsubscribe-unsubscribeUrl-error').filter({ hasText: 'must start with https://' }).waitFor();
  await unsub.getByLabel('Unsubscribe link').fill('https://127.0.0.1:8443/unsubscribe');
  await unsub.getByRole('button', { name: 'Save unsubscribe link' }).click();
  await unsub.getByRole('status').filter({ hasText: 'Saved: mail carries the one-click link https://127.0.0.1:8443/unsubscribe?token=' }).waitFor();
  await unsub.getByLabel('Unsubscribe link').fill('https://tally.acme.example/unsubscribe');
  await unsub.getByRole('button', { name: 'Save unsubscribe link' }).click();
  await unsub.getByRole('status').filter({ hasText: 'https://tally.acme.example/unsubscribe?token=' }).waitFor();
  await expect.poll(() => unsub.locator('.field-error').count()).toBe(0);
  await shot('mailbox-setup');
});

it('is not shown to a rep', async () => {
  const inv = await owner.post('/api/auth/invites', { email: 'sam@demo.tally', name: 'Sam', role: 'rep' });
  expect(inv.status, inv.text).toBe(201);
  expect((await new Client(base).post('/api/auth/accept', { token: inv.body.token, password: PASSWORD })).status).toBe(200);
  await signIn('sam@demo.tally');
  await page.locator('section[aria-labelledby="mailbox-check-title"]').waitFor();
  await expect.poll(() => section().count()).toBe(0);
  // Both sign-ins are set up by now: the rep can connect with either, and no reason is shown.
  await expect.poll(() => connectSection().getByRole('button', { name: 'Connect Microsoft 365' }).isEnabled()).toBe(true);
  await expect.poll(() => connectSection().getByRole('button', { name: 'Connect Google' }).isEnabled()).toBe(true);
  await expect.poll(() => connectSection().locator('.meta').filter({ hasText: 'not set up' }).count()).toBe(0);
});
