// Google / Microsoft 365 mailboxes end to end (issue 19), on loopback: a local OAuth2 authorization
// server stands in for the provider, Dovecot checks IMAP logins with its oauth2 passdb (XOAUTH2,
// token introspection against that server), and the SMTP server accepts XOAUTH2 for valid tokens.
// Connect from the CLI (headless: URL out, pasted address in), send, sync a reply, refresh on expiry
// and on a refused login, a revoked grant pauses the mailbox with nothing lost, reconnecting resumes it.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { MAIL_USER, deliverRaw, mailWorld, twoEmailCadence, type MailWorld } from '../helpers/mail-world.ts';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.ts';
import { tempDir } from '../helpers/tmp.ts';

let oauth: OAuthServer;
let w: MailWorld;
let cli: TallyCli;
let id: Record<string, number>;

beforeAll(async () => {
  oauth = await startOAuthServer({ user: MAIL_USER });
  w = await mailWorld(tempDir(), {
    people: 'email,first_name,company\namy@acme.example,Amy,Acme\nben@globex.example,Ben,Globex\n',
    cadence: twoEmailCadence('OAuth test', 2),
    cadenceName: 'OAuth test',
    // Monday 2 March 2026, 14:00 UTC.
    now: '2026-03-02T14:00:00Z',
    smtp: { acceptToken: (user, token) => oauth.userOf(token) === user },
    dovecot: { oauth2IntrospectionUrl: oauth.introspectionUrl },
    addMailbox: false,
  });
  ({ cli, id } = w);
  process.env.TALLY_TEST_OAUTH_SECRET = oauth.clientSecret;
  await cli.ok(
    'mailbox', 'oauth-client', 'google',
    '--client-id', oauth.clientId, '--client-secret-env', 'TALLY_TEST_OAUTH_SECRET',
    '--redirect-uri', 'http://127.0.0.1:3000/api/mailbox/oauth/callback',
    '--issuer', oauth.issuer, '--authorization-url', oauth.authorizationUrl, '--token-url', oauth.tokenUrl,
    '--smtp', `${w.smtp.host}:${w.smtp.port}:none`, '--imap', `${w.imap.host}:${w.imap.port}:none`,
  );
}, 120_000);

afterAll(async () => {
  await w?.stop();
  await oauth?.stop();
});

/** The headless flow: the URL Tally prints, "opened" (the stand-in consents at once), the address it sends back to pasted in. */
async function connect(): Promise<string> {
  const start = await cli.json<{ url: string }>('mailbox', 'connect', 'google', '--email', MAIL_USER, '--no-wait');
  const consent = await fetch(start.url, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  return cli.ok('mailbox', 'connect', 'google', '--email', MAIL_USER, '--min-spacing', '0', '--callback', consent.headers.get('location')!);
}

const outbox = () => query<{ status: string; prospect_id: number }>(cli.db, 'select status, prospect_id from outbox order by id');
const enrollment = (who: string) => query<{ status: string; step_index: number }>(cli.db, 'select status, step_index from enrollments where prospect_id = ?', id[who])[0]!;

describe('a mailbox that signs in with the provider (OAuth2, XOAUTH2)', () => {
  it('connects headless: prints the sign-in URL, takes the address the provider sent back to; tokens are sealed', async () => {
    const start = await cli.json<{ url: string; redirectUri: string }>('mailbox', 'connect', 'google', '--no-wait');
    const url = new URL(start.url);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('scope')).toBe('https://mail.google.com/');
    expect(url.searchParams.get('redirect_uri')).toBe('http://127.0.0.1:3000/api/mailbox/oauth/callback');
    expect(await connect()).toContain(`Connected ${MAIL_USER} with google`);
    const [m] = await cli.json<{ auth: string; password: string; paused: unknown }[]>('mailbox', 'list');
    expect(m).toMatchObject({ auth: 'google', paused: null });
    expect(oauth.counts.code).toBe(1);
    // Neither the access nor the refresh token is in the database file in the clear.
    const [row] = query<{ secret: string }>(cli.db, 'select secret from mailboxes');
    expect(row!.secret).toMatch(/^v1:/);
    expect(readFileSync(cli.db).includes('access_token')).toBe(false);
  });

  it('a pasted address from another flow, or a forged state, is refused in plain words', async () => {
    const r = await cli.run('mailbox', 'connect', 'google', '--callback', 'http://127.0.0.1:3000/api/mailbox/oauth/callback?code=x&state=forged');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('this sign-in was not started here');
  });

  it('sends over SMTP with XOAUTH2, and reads the reply over IMAP with XOAUTH2 (Dovecot introspects the token)', async () => {
    expect(await cli.ok('send')).toContain('Sent 2');
    expect(w.smtp.mails).toHaveLength(2);
    expect(w.smtp.logins.every((l) => l.method === 'XOAUTH2')).toBe(true);
    const sent = query<{ message_id: string }>(cli.db, 'select message_id from outbox where prospect_id = ?', id.amy)[0]!.message_id;
    const reply = `From: Amy <amy@acme.example>\r\nTo: ${MAIL_USER}\r\nSubject: Re: Hello Amy\r\nDate: Mon, 02 Mar 2026 15:00:00 +0000\r\nMessage-ID: <reply-1@acme.example>\r\nIn-Reply-To: ${sent}\r\nReferences: ${sent}\r\n\r\nSounds good, call me Thursday.\r\n`;
    await deliverRaw(w, Buffer.from(reply), new Date('2026-03-02T15:00:00Z'));
    const introspected = oauth.counts.introspect;
    cli.at('2026-03-02T15:30:00Z');
    await cli.ok('sync');
    expect(oauth.counts.introspect).toBeGreaterThan(introspected);
    expect(enrollment('amy').status).toBe('replied');
  });

  it('refreshes the token before it expires, and once when a server refuses it', async () => {
    // The sync at 15:30 came after the first token's hour: it was refreshed before use (nothing refused).
    expect(oauth.counts.refresh).toBe(1);
    // 4½ minutes before the second one ends: refreshed ahead.
    cli.at('2026-03-02T16:25:30Z');
    expect(await cli.ok('mailbox', 'test')).toContain('IMAP: ok');
    const afterExpiry = oauth.counts.refresh;
    expect(afterExpiry).toBe(2);
    // The provider ends the token early (our copy still looks valid): the refused login is retried once with a new one.
    oauth.expireAccessTokens();
    expect(await cli.ok('mailbox', 'test')).toContain('SMTP: ok');
    expect(oauth.counts.refresh).toBe(afterExpiry + 1);
  });

  it('a revoked grant pauses the mailbox as "needs reconnecting"; queued mail waits, told in the queue and the digest', async () => {
    oauth.revokeAll();
    oauth.expireAccessTokens();
    // Ben's follow-up is due two business days later.
    cli.at('2026-03-04T14:00:00Z');
    const before = w.smtp.mails.length;
    const out = await cli.ok('send');
    expect(out).toMatch(/still queued \(sending is paused/);
    expect(w.smtp.mails.length).toBe(before);
    expect(outbox().filter((r) => r.status === 'queued')).toHaveLength(1);
    const list = await cli.ok('mailbox', 'list');
    expect(list).toContain('SENDING PAUSED');
    expect(list).toContain('needs reconnecting: Google no longer accepts');
    const [m] = await cli.json<{ paused: { kind: string; fix: string } }[]>('mailbox', 'list');
    expect(m!.paused).toMatchObject({ kind: 'grant', fix: expect.stringContaining('tally mailbox connect google') });
    expect(await cli.ok('today')).toContain('Your mailbox is paused: needs reconnecting');
    expect(await cli.ok('digest')).toContain('Sending is paused: needs reconnecting');
    const resume = await cli.run('mailbox', 'resume');
    expect(resume.stderr).toContain('Connect it again');
  });

  it('connecting again resumes it, and the mail that waited goes out', async () => {
    expect(await connect()).toContain('Sending resumed');
    const before = w.smtp.mails.length;
    await cli.ok('send');
    expect(w.smtp.mails.length).toBe(before + 1);
    expect(outbox().every((r) => r.status === 'sent')).toBe(true);
    expect(enrollment('ben').step_index).toBe(2);
  });
});
