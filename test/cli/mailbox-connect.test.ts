// `tally mailbox connect microsoft` on a headless server, as the installed command (issue 19): it
// prints the sign-in URL with Microsoft's scopes, the rep opens it anywhere and pastes back the
// address the provider sent them to; the mailbox is connected. A local OAuth2 server stands in.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessTokens } from '../../src/app/mailbox-signin.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore } from '../../src/store/store.ts';
import { BIN, runBin } from '../helpers/cli.ts';
import { startOAuthServer, type OAuthServer } from '../helpers/oauth-server.ts';
import { tempDir } from '../helpers/tmp.ts';

let oauth: OAuthServer;
let db: string;
const env = () => ({ TALLY_TEST_OAUTH_SECRET: oauth.clientSecret, TALLY_NOW: '2026-03-02T14:00:00Z' });

beforeAll(async () => {
  oauth = await startOAuthServer({ user: 'sam@tally.test' });
  db = join(tempDir(), 'connect.db');
  expect((await runBin(['--db', db, 'init', '--timezone', 'UTC', '--email', 'sam@tally.test', '--user-name', 'Sam'], env())).code).toBe(0);
  const set = await runBin([
    '--db', db, 'mailbox', 'oauth-client', 'microsoft', '--client-id', oauth.clientId, '--client-secret-env', 'TALLY_TEST_OAUTH_SECRET',
    '--redirect-uri', 'http://127.0.0.1:9/api/mailbox/oauth/callback', '--issuer', oauth.issuer, '--authorization-url', oauth.authorizationUrl,
    '--token-url', oauth.tokenUrl, '--smtp', '127.0.0.1:2525:none', '--imap', '127.0.0.1:1143:none',
  ], env());
  expect(set.stdout).toContain('microsoft sign-in set up');
}, 120_000);

afterAll(async () => {
  await oauth?.stop();
});

it('prints the URL, takes the pasted address, connects', async () => {
  const child = spawn(process.execPath, [BIN, '--db', db, 'mailbox', 'connect', 'microsoft'], { env: { ...process.env, ...env() }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let pasted = false;
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const url = /(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)/.exec(out)?.[1];
    if (!url || pasted || !out.includes('paste that whole address')) return;
    pasted = true;
    const scope = new URL(url).searchParams.get('scope');
    expect(scope).toBe('https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access');
    void fetch(url, { redirect: 'manual' }).then((r) => child.stdin.write(`${r.headers.get('location')}\n`));
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(out).toContain('Connected sam@tally.test with microsoft');
  expect(code).toBe(0);
  expect(oauth.counts.code).toBe(1);
}, 60_000);

it('--device: prints a code to type on any device, waits for the sign-in, connects; the grant refreshes without the secret', async () => {
  // The stand-in's device endpoint, set as a Microsoft client's would be.
  const set = await runBin([
    '--db', db, 'mailbox', 'oauth-client', 'microsoft', '--client-id', oauth.clientId, '--client-secret-env', 'TALLY_TEST_OAUTH_SECRET',
    '--redirect-uri', 'http://127.0.0.1:9/api/mailbox/oauth/callback', '--issuer', oauth.issuer, '--authorization-url', oauth.authorizationUrl,
    '--token-url', oauth.tokenUrl, '--device-url', oauth.deviceUrl, '--smtp', '127.0.0.1:2525:none', '--imap', '127.0.0.1:1143:none',
  ], env());
  expect(set.code, set.stderr).toBe(0);
  const child = spawn(process.execPath, [BIN, '--db', db, 'mailbox', 'connect', 'microsoft', '--device'], { env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let approved = false;
  const onOutput = (d: Buffer) => {
    out += d.toString();
    const code = /enter the code (\S+),/.exec(out)?.[1];
    if (!code || approved) return;
    approved = true;
    expect(out).toContain(`open ${oauth.url}/device and enter the code`);
    // The rep signs in elsewhere a little later: Tally has polled and been told to wait. Its first
    // poll comes one interval (1 s, the stand-in's) after the code: waiting only Vitest's default
    // second for it raced that interval on a loaded machine.
    void expect.poll(() => oauth.counts.devicePolls, { timeout: 15_000 }).toBeGreaterThan(0).then(() => oauth.approveDevice(code));
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const exit = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(out).toContain('Connected sam@tally.test with microsoft');
  expect(exit).toBe(0);

  const store = await openStore(db);
  try {
    const rt = runtimeFor(store, { env: { ...process.env, ...env() } });
    const m = (await store.mailboxes.ofUser((await store.users.byLogin('sam@tally.test'))?.id ?? 1))!;
    expect(m.auth).toBe('microsoft');
    const before = oauth.counts.refresh;
    const token = await accessTokens(rt, m).renew();
    expect(oauth.userOf(token)).toBe('sam@tally.test');
    expect(oauth.counts.refresh).toBe(before + 1);
  } finally {
    await store.close();
  }
}, 60_000);

it('--device is refused for Google, whose device sign-in does not allow mail access', async () => {
  const set = await runBin([
    '--db', db, 'mailbox', 'oauth-client', 'google', '--client-id', oauth.clientId, '--client-secret-env', 'TALLY_TEST_OAUTH_SECRET',
    '--redirect-uri', 'http://127.0.0.1:9/api/mailbox/oauth/callback', '--issuer', oauth.issuer, '--authorization-url', oauth.authorizationUrl, '--token-url', oauth.tokenUrl,
  ], env());
  expect(set.code, set.stderr).toBe(0);
  const r = await runBin(['--db', db, 'mailbox', 'connect', 'google', '--device'], env());
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain("Google's device sign-in does not allow mail access: use the sign-in URL instead");
});
