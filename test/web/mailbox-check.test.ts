// The deliverability check panel in a real browser (issue 19): the mailbox settings tab runs
// GET /api/mailbox/check against the DNS stub and a loopback SMTP server offering STARTTLS, and
// shows each line's verdict with its fix. Screenshot at 1366×768.
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { PASSWORD } from '../api/harness.ts';
import { openWebSession, docScreenshot } from '../helpers/browser.ts';
import { testNow } from '../helpers/clock.ts';
import { startDnsStub, type DnsStub } from '../helpers/dns-stub.ts';

let page: Page;
let base: string;
let stub: DnsStub;
const smtp = new SMTPServer({ closeTimeout: 100, disabledCommands: ['AUTH'], logger: false });
const savedDns = process.env.TALLY_DNS_SERVERS;

beforeAll(async () => {
  // SPF in place, DMARC missing: one line to fix.
  stub = await startDnsStub({ 'demo.tally': ['v=spf1 ip4:127.0.0.1 -all'] });
  process.env.TALLY_DNS_SERVERS = stub.server; // read when the server's runtime is made
  const session = await openWebSession({ demoProspects: 5, viewport: { width: 1366, height: 768 } });
  ({ base, page } = session);
  const store = session.store;
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const ctx = await openContext(runtimeFor(store, { now: testNow }), { as: 'you@demo.tally' });
  await saveMailbox(ctx, { smtpHost: '127.0.0.1', smtpPort: (smtp.server.address() as AddressInfo).port, smtpTls: 'starttls', user: 'you', password: 'pw', fromAddress: 'you@demo.tally', minSpacingSeconds: 0 });
}, 300_000);

afterAll(async () => {
  if (savedDns === undefined) delete process.env.TALLY_DNS_SERVERS;
  else process.env.TALLY_DNS_SERVERS = savedDns;
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await stub?.stop();
});

it('checks the mailbox on demand and shows each verdict with its fix', async () => {
  await page.goto(`${base}/#/settings/mailbox`);
  await page.getByLabel('Email').fill('you@demo.tally');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  const panel = page.locator('section[aria-labelledby="mailbox-check-title"]');
  await panel.getByRole('heading', { name: 'Will your mail land?' }).waitFor();
  await panel.getByRole('button', { name: 'Check now' }).click();
  await panel.getByRole('status').filter({ hasText: 'Mail from demo.tally is missing something' }).waitFor();
  const lines = panel.locator('.check-lines li');
  await expect.poll(() => lines.count()).toBe(6);
  await expect.poll(() => panel.locator('.check-pass').first().textContent()).toContain('SPF');
  await expect.poll(() => panel.locator('.check-fail', { hasText: 'DMARC' }).textContent()).toContain('Fix: publish a TXT record at _dmarc.demo.tally');
  await expect.poll(() => panel.locator('.check-pass', { hasText: 'TLS on SMTP' }).textContent()).toContain('offers STARTTLS');
  await panel.getByRole('button', { name: 'Check again' }).waitFor();
  await panel.scrollIntoViewIfNeeded();
  await docScreenshot(page, 'mailbox-check-1366.png', { fullPage: true });
});
