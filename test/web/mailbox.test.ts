// Connecting a Google mailbox in a real browser (issue 19): the Connect button, the provider's
// sign-in (a local OAuth2 server standing in for Google), the callback route, the page saying it is
// connected; a refused grant shown as "needs reconnecting" with no Resume button, and Reconnect
// lifting it. Screenshots at 1366×768 and 1920×1080.
import { beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { contextForUser } from '../../src/app/context.ts';
import { accessTokens, setOAuthClient } from '../../src/app/mailbox-signin.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { PASSWORD, type startServer } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.ts';
import { afterAll } from 'vitest';

let page: Page;
let base: string;
let store: Awaited<ReturnType<typeof startServer>>['store'];
let oauth: OAuthServer;

const manager = async () => {
  const rt = runtimeFor(store);
  const user = (await store.users.byLogin('you@demo.tally'))!;
  return { rt, user, ctx: await contextForUser(rt, user) };
};

beforeAll(async () => {
  ({ base, store, page } = await openWebSession({ demoProspects: 10, viewport: { width: 1366, height: 768 } }));
  oauth = await startOAuthServer({ user: 'you@demo.tally' });
  const { ctx } = await manager();
  await setOAuthClient(ctx, 'google', {
    clientId: oauth.clientId, clientSecret: oauth.clientSecret, redirectUri: `${base}/api/mailbox/oauth/callback`,
    issuer: oauth.issuer, authorizationUrl: oauth.authorizationUrl, tokenUrl: oauth.tokenUrl, smtp: '127.0.0.1:2525:none', imap: '127.0.0.1:1143:none',
  });
}, 300_000);

afterAll(async () => {
  await oauth?.stop();
});

const shot = async (name: string) => {
  for (const [w, h] of [[1366, 768], [1920, 1080]] as const) {
    await page.setViewportSize({ width: w, height: h });
    await docScreenshot(page, `${name}-${w}.png`, { fullPage: true });
  }
  await page.setViewportSize({ width: 1366, height: 768 });
};

it('connects a Google mailbox: button, provider sign-in, callback, connected', async () => {
  await page.goto(`${base}/#/settings/mailbox`);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Mailbox', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Connect Google' }).click();
  await page.getByRole('status').filter({ hasText: 'Connected with Google' }).waitFor();
  expect(page.url()).toBe(`${base}/#/settings/mailbox`);
  await expect.poll(() => page.locator('.mailbox-connect').textContent()).toContain('you@demo.tally> signs in with Google sign-in');
  expect(oauth.counts.code).toBe(1);
  await page.getByRole('button', { name: 'Reconnect Google' }).waitFor();
  await shot('mailbox-connected');
});

it('a refused grant shows "needs reconnecting" without a Resume button; Reconnect lifts it', async () => {
  oauth.revokeAll();
  const { rt, user } = await manager();
  const m = (await store.mailboxes.ofUser(user.id))!;
  await expect(accessTokens(rt, m).renew()).rejects.toThrow('needs reconnecting');
  await page.reload();
  const alert = page.getByRole('alert').filter({ hasText: 'Sending is paused' });
  await alert.waitFor();
  await expect.poll(() => alert.textContent()).toContain('needs reconnecting: Google no longer accepts');
  await expect.poll(() => alert.getByRole('button', { name: 'Resume sending' }).count()).toBe(0);
  await shot('mailbox-needs-reconnecting');
  await page.getByRole('button', { name: 'Reconnect Google' }).click();
  await page.getByRole('status').filter({ hasText: 'Connected with Google' }).waitFor();
  await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Sending is paused' }).count()).toBe(0);
  expect((await store.mailboxes.ofUser(user.id))!.paused_at).toBeNull();
});
