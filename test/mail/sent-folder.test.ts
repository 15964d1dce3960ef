// The Sent folder is found by its special-use flag (RFC 6154 \Sent) whatever its name: Outlook in
// German calls it "Gesendete Elemente", Gmail "[Gmail]/Gesendet"… (issue 19). On the real Dovecot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SentFolder } from '../../src/mail/imap.ts';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';

let imap: DovecotServer;

/** This process's open connections to the IMAP server (Node's own list of live handles: no public API lists sockets). */
const sessions = () => (process as unknown as { _getActiveHandles(): { remotePort?: number }[] })._getActiveHandles().filter((h) => h.remotePort === imap.port).length;

beforeAll(async () => {
  imap = await startDovecot({ sentFolder: 'Gesendete Elemente' });
}, 60_000);

afterAll(async () => {
  await imap?.stop();
});

describe('the Sent folder in any language', () => {
  it('finds a localized Sent folder by its \\Sent flag, files a copy there and finds it by Message-ID', async () => {
    const sent = new SentFolder({ host: imap.host, port: imap.port, tls: 'none', user: imap.user, password: imap.password });
    try {
      expect(await sent.name()).toBe('Gesendete Elemente');
      const raw = Buffer.from('From: rep@tally.test\r\nTo: amy@acme.example\r\nSubject: Hallo\r\nMessage-ID: <lokal-1@tally.test>\r\n\r\nHallo Amy\r\n');
      await sent.append(raw);
      expect(await sent.contains('<lokal-1@tally.test>')).toBe(true);
      expect(await sent.contains('<other@tally.test>')).toBe(false);
    } finally {
      sent.close();
    }
  });

  it('serves sends in parallel on one session, and logs it out on close', async () => {
    // A sender run sends up to four mails at once: each opening a session of its own left all but one
    // logged in after the run (and `tally serve` waiting on them at exit).
    await expect.poll(sessions).toBe(0); // the first test's logout has gone through
    const sent = new SentFolder({ host: imap.host, port: imap.port, tls: 'none', user: imap.user, password: imap.password });
    const mail = (n: number) => Buffer.from(`From: rep@tally.test\r\nTo: amy@acme.example\r\nSubject: Hallo\r\nMessage-ID: <parallel-${n}@tally.test>\r\n\r\nHallo Amy\r\n`);
    await Promise.all([1, 2, 3, 4].map((n) => sent.append(mail(n))));
    expect(sessions()).toBe(1);
    expect(await Promise.all([1, 4].map((n) => sent.contains(`<parallel-${n}@tally.test>`)))).toEqual([true, true]);
    sent.close();
    await expect.poll(sessions).toBe(0);
  });
});
