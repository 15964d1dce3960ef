// `tally mailbox check` (issue 19) against real parts on loopback: the From domain's SPF, DKIM and
// DMARC records served by the DNS stub (TALLY_DNS_SERVERS), SMTP servers with and without STARTTLS
// and with implicit TLS, an unsubscribe URL held to the outbound (SSRF) rules, and complaints read
// from a real feedback report.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxCheckReport } from '../../src/core/mailbox-check.ts';
import { hasStackTrace } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { startDnsStub, type DnsStub } from '../helpers/dns-stub.ts';
import { startHttps } from '../helpers/https-server.ts';
import { MAIL_USER, deliverFixture, mailWorld, twoEmailCadence, type MailWorld } from '../helpers/mail-world.ts';
import { tempDir, writeFile as writeFileIn } from '../helpers/tmp.ts';

let w: MailWorld;
let stub: DnsStub;
const servers: SMTPServer[] = [];
const savedDns = process.env.TALLY_DNS_SERVERS;

const GOOD_DNS = {
  'tally.test': ['some-verification=1', 'v=spf1 ip4:127.0.0.1 -all'],
  '_dmarc.tally.test': ['v=DMARC1; p=quarantine; rua=mailto:dmarc@tally.test'],
};

/** An SMTP server on loopback: with STARTTLS offered, without it, or TLS from the first byte (smtp-server's own self-signed certificate). */
async function smtpOn(kind: 'starttls' | 'plain' | 'tls'): Promise<number> {
  const server = new SMTPServer({ closeTimeout: 100, secure: kind === 'tls', disabledCommands: kind === 'plain' ? ['STARTTLS', 'AUTH'] : ['AUTH'], logger: false });
  // The check hangs up mid-handshake on a certificate it does not trust: the server reports that as an error.
  server.on('error', () => undefined);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.server.address() as AddressInfo).port;
}

async function check(): Promise<{ code: number; report: MailboxCheckReport; text: string; stderr: string }> {
  const json = await w.cli.run('--json', 'mailbox', 'check');
  const text = await w.cli.run('mailbox', 'check');
  return { code: json.code, report: JSON.parse(json.stdout) as MailboxCheckReport, text: text.stdout, stderr: text.stderr };
}

const lineOf = (r: MailboxCheckReport, id: string) => r.lines.find((l) => l.id === id)!;

async function addMailbox(port: number, tls: string, unsubscribeUrl?: string): Promise<void> {
  await w.cli.ok(
    'mailbox', 'add', '--smtp-host', '127.0.0.1', '--smtp-port', String(port), '--smtp-tls', tls,
    '--imap-host', w.imap.host, '--imap-port', String(w.imap.port), '--imap-tls', 'none',
    '--user', MAIL_USER, '--from', MAIL_USER, '--min-spacing', '0', '--password-env', 'TALLY_TEST_MAIL_PW',
    ...(unsubscribeUrl ? ['--unsubscribe-url', unsubscribeUrl] : []),
  );
}

beforeAll(async () => {
  w = await mailWorld(tempDir(), {
    people: 'email,first_name,company\namy@acme.example,Amy,Acme\nben@globex.example,Ben,Globex\n',
    cadence: twoEmailCadence('Check test', 2),
    cadenceName: 'Check test',
    now: '2026-03-02T14:00:00Z',
  });
  stub = await startDnsStub(GOOD_DNS);
  process.env.TALLY_DNS_SERVERS = stub.server;
  await w.cli.ok('send');
}, 120_000);

afterAll(async () => {
  if (savedDns === undefined) delete process.env.TALLY_DNS_SERVERS;
  else process.env.TALLY_DNS_SERVERS = savedDns;
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  await w?.stop();
  await stub?.stop();
});

describe('tally mailbox check', () => {
  it('passes good SPF and DMARC records, says the provider must sign DKIM, and fails plain SMTP, a mailto-only link and a complaint over 0.3%', async () => {
    const sentTo = query<{ message_id: string }>(w.cli.db, "select o.message_id from outbox o join prospects p on p.id = o.prospect_id where p.email = 'amy@acme.example'")[0]!.message_id;
    await deliverFixture(w, 'feedback/yahoo-arf-abuse.eml', { '<tally.arf00001@mail.tally-demo.example>': sentTo, 'annoyed.prospect@yahoo.example': 'amy@acme.example' }, '2026-03-02T15:00:00Z');
    w.cli.at('2026-03-02T16:00:00Z');
    await w.cli.ok('sync');

    const { code, report, text, stderr } = await check();
    expect(code).toBe(1);
    expect(report.domain).toBe('tally.test');
    expect(report.lines.map((l) => [l.id, l.verdict])).toEqual([['spf', 'pass'], ['dkim', 'warn'], ['dmarc', 'pass'], ['tls', 'fail'], ['unsubscribe', 'fail'], ['complaints', 'fail']]);
    expect(lineOf(report, 'dmarc').detail).toContain('policy quarantine');
    expect(lineOf(report, 'dkim').fix).toContain('dkim=pass');
    expect(lineOf(report, 'tls').detail).toContain('offers no TLS');
    expect(lineOf(report, 'complaints').detail).toBe('1 complaint about 2 mails in 30 days: 50.00% (the line is 0.30%)');
    expect(text).toContain('FAIL TLS on SMTP:');
    expect(text).toContain('      fix: ');
    expect(stderr).toContain('fix the lines marked FAIL');
    expect(hasStackTrace(stderr)).toBe(false);
  });

  it('names what is missing or wrong in DNS: no SPF-worthy record, no DMARC, a missing DKIM key at the selector', async () => {
    stub.txt.set('tally.test', ['v=spf1 +all']);
    stub.txt.delete('_dmarc.tally.test');
    await w.cli.ok('mailbox', 'dkim', '--domain', 'tally.test', '--selector', 's2026', '--key-file', writeKey());
    const { report } = await check();
    expect(lineOf(report, 'spf')).toMatchObject({ verdict: 'fail', fix: 'end the record with "~all" (or "-all") instead of "+all"' });
    expect(lineOf(report, 'dmarc').fix).toContain('publish a TXT record at _dmarc.tally.test');
    expect(lineOf(report, 'dkim')).toMatchObject({ verdict: 'fail', detail: expect.stringContaining('no DKIM key is published at s2026._domainkey.tally.test') as string });
    stub.txt.set('s2026._domainkey.tally.test', ['v=DKIM1; k=rsa; p=MIIBIjANBgkq']);
    expect(lineOf((await check()).report, 'dkim').verdict).toBe('pass');
    for (const [k, v] of Object.entries(GOOD_DNS)) stub.txt.set(k, v);
  });

  it('passes an SMTP server offering STARTTLS, and reports a TLS port whose certificate does not verify', async () => {
    await addMailbox(await smtpOn('starttls'), 'starttls');
    expect(lineOf((await check()).report, 'tls')).toMatchObject({ verdict: 'pass', detail: expect.stringContaining('offers STARTTLS') as string });
    await addMailbox(await smtpOn('plain'), 'starttls');
    expect(lineOf((await check()).report, 'tls').verdict).toBe('fail');
    await addMailbox(await smtpOn('tls'), 'tls');
    const tls = lineOf((await check()).report, 'tls');
    expect(tls.verdict).toBe('fail');
    expect(tls.detail).toMatch(/could not open a TLS connection to 127\.0\.0\.1:\d+: .*certificate/);
  });

  it('passes an unsubscribe URL that answers over https, once its certificate is trusted and its internal host allow-listed', async () => {
    const https = await startHttps((req, res) => res.writeHead(req.url?.startsWith('/broken') ? 503 : 200, { 'content-type': 'text/html' }).end('<p>Unsubscribe</p>'));
    try {
      await addMailbox(await smtpOn('starttls'), 'starttls', `${https.origin}/unsubscribe`);
      // The address rule holds whatever is trusted: loopback is refused until a manager allow-lists it.
      process.env.TALLY_CHECK_CA_FILE = https.caFile;
      expect(lineOf((await check()).report, 'unsubscribe').detail).toContain('refused: the host is not a public address');
      await w.cli.ok('settings', 'set', 'webhooks.allowHosts', `127.0.0.1:${https.port}`);
      // Trusted by the check alone (the probe's injected authority), the way the DNS stub is injected.
      const { code, report } = await check();
      expect(lineOf(report, 'unsubscribe')).toMatchObject({ verdict: 'pass', detail: `${https.origin}/unsubscribe answers over https (HTTP 200)`, fix: null });
      expect(code).toBe(1); // other lines still fail (complaints)
      expect(https.paths[0]).toBe('/unsubscribe');
      // Without the authority, the self-signed certificate does not verify: the check says so.
      delete process.env.TALLY_CHECK_CA_FILE;
      const untrusted = lineOf((await check()).report, 'unsubscribe');
      expect(untrusted.verdict).toBe('fail');
      expect(untrusted.detail).toMatch(/does not answer: unreachable \(.*certificate/);
      process.env.TALLY_CHECK_CA_FILE = https.caFile;
      await addMailbox(await smtpOn('starttls'), 'starttls', `${https.origin}/broken`);
      expect(lineOf((await check()).report, 'unsubscribe')).toMatchObject({ verdict: 'fail', detail: `${https.origin}/broken answers with an error (HTTP 503)` });
      expect(https.paths).toEqual(['/unsubscribe', '/unsubscribe', '/broken', '/broken']); // two calls per check (--json, then text); none without trust
    } finally {
      delete process.env.TALLY_CHECK_CA_FILE;
      await w.cli.ok('settings', 'set', 'webhooks.allowHosts', '[]');
      await https.stop();
    }
  });

  it('calls the unsubscribe URL only under the outbound rules: a loopback address is refused', async () => {
    await addMailbox(await smtpOn('starttls'), 'starttls', 'https://127.0.0.1:9/unsubscribe');
    const unsub = lineOf((await check()).report, 'unsubscribe');
    expect(unsub.verdict).toBe('fail');
    expect(unsub.detail).toContain('refused: the host is not a public address');
  });
});

function writeKey(): string {
  return writeFileIn(tempDir(), 'dkim.pem', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
}
