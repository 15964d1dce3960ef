// The workspace's mailbox setup over HTTP (issue 19): a manager sets the Google and Microsoft sign-in
// clients (the secret write-only: "set" or "not set", never sent back) and the one-click unsubscribe
// link (https, and not a private or loopback address on a server the internet reaches); reps may not.
import { beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { setOAuthClient } from '../../src/app/mailbox-signin.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { testNow } from '../helpers/clock.ts';
import { demoWorld, hasStackTrace, type World } from './harness.ts';

const PUBLIC = 'https://tally.acme.example';
const CALLBACK = `${PUBLIC}/api/mailbox/oauth/callback`;
let w: World;

beforeAll(async () => {
  // A server the internet reaches: its public address is not this machine.
  w = await demoWorld({ publicUrl: () => PUBLIC });
  const sam = await openContext(runtimeFor(w.store, { now: testNow }), { as: 'sam@demo.tally' });
  await saveMailbox(sam, { smtpHost: 'smtp.demo.example', password: 'pw', fromAddress: 'sam@demo.tally' });
}, 120_000);

const put = (provider: string, body: Record<string, unknown>) => w.manager.req('PUT', `/api/mailbox/oauth-clients/${provider}`, { body });

describe('GET /api/mailbox/setup', () => {
  it('shows a manager what to register (redirect URI from the public address, scopes) and that nothing is set up yet; a rep is refused', async () => {
    const r = await w.manager.get('/api/mailbox/setup');
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({
      clients: [
        { provider: 'google', label: 'Google', clientId: null, secret: 'not set', redirectUri: null, tenant: null, scopes: ['https://mail.google.com/'], standIn: false },
        {
          provider: 'microsoft', label: 'Microsoft 365', clientId: null, secret: 'not set', redirectUri: null, tenant: null,
          scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'], standIn: false,
        },
      ],
      unsubscribeUrl: null,
      suggested: { redirectUri: CALLBACK, unsubscribeUrl: `${PUBLIC}/unsubscribe` },
      serverIsLocal: false,
    });
    for (const [method, path, body] of [['GET', '/api/mailbox/setup'], ['PUT', '/api/mailbox/oauth-clients/google', { clientId: 'x', clientSecret: 'y', redirectUri: CALLBACK }], ['PUT', '/api/mailbox/unsubscribe-url', { url: `${PUBLIC}/unsubscribe` }]] as const) {
      const refused = await w.sam.req(method, path, body ? { body } : {});
      expect(refused.status, path).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
  });
});

describe('PUT /api/mailbox/oauth-clients/:provider', () => {
  it('keeps the secret write-only: needed the first time, never sent back, kept when left empty', async () => {
    const none = await put('google', { clientId: 'tally-123.apps.googleusercontent.com', redirectUri: CALLBACK });
    expect(none.status).toBe(400);
    expect(none.body.error).toMatchObject({ field: 'client-secret', message: expect.stringContaining('a client secret is needed') as string });
    // Until one is saved, a rep's connect buttons say Google is not set up (GET /api/mailbox/sign-in: any user).
    const before = await w.sam.get('/api/mailbox/sign-in');
    expect(before.status, before.text).toBe(200);
    expect(before.body.providers).toEqual([{ provider: 'google', label: 'Google', ready: false }, { provider: 'microsoft', label: 'Microsoft 365', ready: false }]);
    const first = await put('google', { clientId: ' tally-123.apps.googleusercontent.com ', clientSecret: 'GOCSPX-first-secret', redirectUri: CALLBACK });
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ provider: 'google', clientId: 'tally-123.apps.googleusercontent.com', secret: 'set', redirectUri: CALLBACK, tenant: null });
    expect(first.text).not.toContain('GOCSPX');
    const again = await put('google', { clientId: 'tally-456.apps.googleusercontent.com', clientSecret: '', redirectUri: CALLBACK });
    expect(again.body).toMatchObject({ clientId: 'tally-456.apps.googleusercontent.com', secret: 'set' });
    const setup = await w.manager.get('/api/mailbox/setup');
    expect(setup.text).not.toContain('GOCSPX');
    expect(setup.body.clients[0]).toMatchObject({ clientId: 'tally-456.apps.googleusercontent.com', secret: 'set' });
    // A rep can now start a Google sign-in: the client (with the kept secret) is the one the provider sees.
    const connect = await w.sam.post('/api/mailbox/connect', { provider: 'google' });
    expect(connect.status, connect.text).toBe(200);
    expect(new URL(connect.body.url).searchParams.get('client_id')).toBe('tally-456.apps.googleusercontent.com');
    expect(connect.body.redirectUri).toBe(CALLBACK);
    expect((await w.sam.get('/api/mailbox/sign-in')).body.providers.map((p: { ready: boolean }) => p.ready)).toEqual([true, false]);
  });

  it('takes a Microsoft tenant, refuses a bad one and a redirect URI that is not https, and keeps stand-in endpoints set with the CLI', async () => {
    const ok = await put('microsoft', { clientId: '11111111-2222-3333-4444-555555555555', clientSecret: 'entra-secret', redirectUri: CALLBACK, tenant: 'acme.onmicrosoft.com' });
    expect(ok.body).toMatchObject({ tenant: 'acme.onmicrosoft.com', secret: 'set', standIn: false });
    const tenant = await put('microsoft', { clientId: 'x', redirectUri: CALLBACK, tenant: 'acme/../evil' });
    expect(tenant.status).toBe(400);
    expect(tenant.body.error).toMatchObject({ field: 'tenant', message: '"acme/../evil" is not a tenant: use "common", your directory (tenant) id or your domain' });
    const plain = await put('microsoft', { clientId: 'x', redirectUri: 'http://tally.acme.example/api/mailbox/oauth/callback' });
    expect(plain.status).toBe(400);
    expect(plain.body.error).toMatchObject({ field: 'redirect-uri', message: expect.stringContaining('must be an https:// URL') as string });
    const blank = await put('microsoft', { clientId: '  ', redirectUri: CALLBACK });
    expect(blank.status).toBe(400);
    expect(hasStackTrace(blank.text)).toBe(false);
    const unknown = await put('yahoo', { clientId: 'x', clientSecret: 'y', redirectUri: CALLBACK });
    expect(unknown.status).toBe(400);

    const manager = await openContext(runtimeFor(w.store, { now: testNow }), { as: 'you@demo.tally' });
    await setOAuthClient(manager, 'microsoft', { clientId: 'cli-client', clientSecret: 's', redirectUri: CALLBACK, tokenUrl: 'https://login.stand-in.example/token' });
    const web = await put('microsoft', { clientId: 'web-client', redirectUri: CALLBACK });
    expect(web.body).toMatchObject({ clientId: 'web-client', secret: 'set', tenant: 'common', standIn: true });
  });
});

describe('PUT /api/mailbox/unsubscribe-url', () => {
  const put = (url: string | null) => w.manager.req('PUT', '/api/mailbox/unsubscribe-url', { body: { url } });

  it('refuses what providers cannot call: not https, not a link, a private or loopback address', async () => {
    for (const [url, words] of [
      ['http://tally.acme.example/unsubscribe', 'must start with https://'],
      ['tally.acme.example/unsubscribe', 'is not a web address'],
      ['https://127.0.0.1/unsubscribe', '127.0.0.1 is a private or loopback address'],
      ['https://10.1.2.3:8443/unsubscribe', '10.1.2.3:8443 is a private or loopback address'],
      ['https://[::1]/unsubscribe', 'is a private or loopback address'],
      ['https://localhost/unsubscribe', 'localhost is a private or loopback address'],
      ['https://user:pw@tally.acme.example/unsubscribe', 'no user name or password'],
    ] as const) {
      const r = await put(url);
      expect(r.status, url).toBe(400);
      expect(r.body.error, url).toMatchObject({ code: 'invalid', field: 'unsubscribeUrl', message: expect.stringContaining(words) as string });
    }
    expect((await w.manager.get('/api/mailbox/setup')).body.unsubscribeUrl).toBeNull();
  });

  it('sets the link every mailbox without its own uses, and clears it', async () => {
    const r = await put(`${PUBLIC}/unsubscribe`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toEqual({ unsubscribeUrl: `${PUBLIC}/unsubscribe` });
    expect((await w.manager.get('/api/mailbox/setup')).body.unsubscribeUrl).toBe(`${PUBLIC}/unsubscribe`);
    expect((await w.sam.get('/api/mailbox')).body.mailbox.unsubscribeUrl).toBe(`${PUBLIC}/unsubscribe`);
    // The mail a rep's mailbox sends carries it (its opt-out line, as List-Unsubscribe does).
    const optOut = async () => {
      const r = await w.sam.post('/api/cadences/messages', { cadence: 'Tally default outbound' });
      expect(r.status, r.text).toBe(200);
      return (r.body.steps as { draft: { text: string } | null }[]).find((s) => s.draft)!.draft!.text;
    };
    expect(await optOut()).toMatch(new RegExp(`open ${PUBLIC}/unsubscribe\\?token=`));
    expect((await put(null)).body).toEqual({ unsubscribeUrl: null });
    expect(await optOut()).toContain('open mailto:sam@demo.tally?subject=unsubscribe');
    expect((await w.sam.get('/api/mailbox')).body.mailbox.unsubscribeUrl).toBeNull();
  });
});
