// DKIM (issue 19): a mailbox with its own key signs what it sends, List-Unsubscribe and
// List-Unsubscribe-Post included, and the signature of a real sent mail — with a long one-click
// unsubscribe URL that nodemailer folds over several lines — verifies with mailauth, the public key
// served by a DNS stub on loopback.
import { generateKeyPairSync } from 'node:crypto';
import { promises as dns } from 'node:dns';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsStub, type DnsStub } from '../helpers/dns-stub.ts';
import { MAIL_USER, mailWorld, twoEmailCadence, type MailWorld } from '../helpers/mail-world.ts';
import { header } from '../helpers/smtp.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const LONG_UNSUBSCRIBE = 'https://tally-server.sales-operations.example.com/a/rather/long/path/for/one-click/unsubscribe';

let w: MailWorld;
let stub: DnsStub;
let resolver: dns.Resolver;

beforeAll(async () => {
  const dir = tempDir();
  w = await mailWorld(dir, {
    people: 'email,first_name,company\namy@acme.example,Amy,Acme\n',
    cadence: twoEmailCadence('DKIM test', 2),
    cadenceName: 'DKIM test',
    now: '2026-03-02T14:00:00Z',
  });
  await w.cli.ok('mailbox', 'add', '--smtp-host', w.smtp.host, '--smtp-port', String(w.smtp.port), '--smtp-tls', 'none', '--user', MAIL_USER, '--from', MAIL_USER, '--min-spacing', '0', '--unsubscribe-url', LONG_UNSUBSCRIBE, '--password-env', 'TALLY_TEST_MAIL_PW');
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const p = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  stub = await startDnsStub({ 's2026._domainkey.tally.test': [`v=DKIM1; k=rsa; p=${p}`] });
  resolver = new dns.Resolver();
  resolver.setServers([stub.server]);
  expect(await w.cli.ok('mailbox', 'dkim', '--domain', 'tally.test', '--selector', 's2026', '--key-file', writeFile(dir, 'dkim.pem', pem))).toContain('s2026._domainkey.tally.test');
}, 120_000);

afterAll(async () => {
  await w?.stop();
  await stub?.stop();
});

const verify = async (raw: string) => (await dkimVerify(Buffer.from(raw), { resolver: (name: string, type: string) => resolver.resolve(name, type as 'TXT') })).results;

describe('DKIM signing of what a mailbox sends', () => {
  it('signs List-Unsubscribe (folded, long URL) and List-Unsubscribe-Post, and the signature verifies', async () => {
    await w.cli.ok('send');
    const raw = w.smtp.mails[0]!.raw;
    // The long one-click URL is folded over lines by nodemailer.
    expect(raw).toMatch(/^List-Unsubscribe:[^\r\n]*\r?\n[ \t]+/m);
    expect(header(raw, 'List-Unsubscribe')).toContain(LONG_UNSUBSCRIBE);
    expect(header(raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const signedHeaders = /\bh=([^;]+)/.exec(header(raw, 'DKIM-Signature')!)![1]!.replace(/\s+/g, '').toLowerCase().split(':');
    expect(signedHeaders).toEqual(expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'from', 'subject']));
    const [result] = await verify(raw);
    expect(result).toMatchObject({ signingDomain: 'tally.test', selector: 's2026', status: { result: 'pass' } });
  });

  it('a changed unsubscribe header no longer verifies (it is covered by the signature)', async () => {
    const raw = w.smtp.mails[0]!.raw.replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=Two-Clicks');
    const [result] = await verify(raw);
    expect(result!.status.result).toBe('fail');
  });

  it('refuses a key whose domain does not align with the From address', async () => {
    const r = await w.cli.run('mailbox', 'dkim', '--domain', 'other.example', '--selector', 's1', '--key-file', writeFile(tempDir(), 'k.pem', '-----BEGIN PRIVATE KEY-----\nx\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not match the From address');
  });
});
