// A local OAuth2 authorization server standing in for Google and Microsoft in the tests: the
// authorization endpoint (consent is given at once for the user it was started with), the token
// endpoint (authorization code with PKCE S256, refresh tokens, client_secret_post), and token
// introspection (RFC 7662) that Dovecot's oauth2 passdb and the SMTP test server ask. Grants can be
// revoked and access tokens expired, as a provider does.
import { createHash, randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

interface Grant {
  user: string;
  refreshToken: string;
  revoked: boolean;
  /** Granted to a public client (the device flow): refreshed without the secret, and only so. */
  publicClient: boolean;
}

interface Code {
  user: string;
  clientId: string;
  redirectUri: string;
  challenge: string;
  used: boolean;
}

export interface OAuthServer {
  url: string;
  issuer: string;
  authorizationUrl: string;
  tokenUrl: string;
  /** The device authorization endpoint (RFC 8628): its codes wait for approveDevice(). */
  deviceUrl: string;
  introspectionUrl: string;
  clientId: string;
  clientSecret: string;
  /** The user the next sign-in consents as. */
  user: string;
  /** Seconds an access token lives (default 3600). */
  expiresIn: number;
  /** Refresh grants served, and code exchanges; device code polls. */
  counts: { refresh: number; code: number; introspect: number; devicePolls: number };
  /** The rep typed the code on their device and signed in (as `user`). */
  approveDevice(userCode: string): void;
  /** The user an access token belongs to while it is valid, else null. */
  userOf(accessToken: string): string | null;
  /** Revokes every grant (and its access tokens): the rep removed Tally's access, or the admin did. */
  revokeAll(): void;
  /** Ends every access token now (they expired), grants stay. */
  expireAccessTokens(): void;
  stop(): Promise<void>;
}

const b64url = (b: Buffer) => b.toString('base64url');

export async function startOAuthServer(opts: { user: string; clientId?: string; clientSecret?: string }): Promise<OAuthServer> {
  const clientId = opts.clientId ?? 'tally-test-client';
  const clientSecret = opts.clientSecret ?? 'tally-test-client-secret';
  const codes = new Map<string, Code>();
  const grants = new Map<string, Grant>();
  const access = new Map<string, { grant: Grant; live: boolean }>();
  const counts = { refresh: 0, code: 0, introspect: 0, devicePolls: 0 };
  const devices = new Map<string, { userCode: string; user: string | null }>();
  // forceCloseConnections: a browser's keep-alive connection would hold close() for a minute.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))));

  const issue = (grant: Grant) => {
    const token = b64url(randomBytes(24));
    access.set(token, { grant, live: true });
    return { access_token: token, token_type: 'Bearer', expires_in: server.expiresIn, refresh_token: grant.refreshToken, scope: 'https://mail.google.com/' };
  };
  const refuse = (reply: { code(n: number): { send(b: unknown): unknown } }, error: string, description: string) => reply.code(400).send({ error, error_description: description });

  app.get('/authorize', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== clientId) return reply.code(400).send('unknown client');
    if (q.response_type !== 'code' || q.code_challenge_method !== 'S256' || !q.code_challenge || !q.redirect_uri) return reply.code(400).send('code flow with PKCE S256 only');
    const code = b64url(randomBytes(16));
    codes.set(code, { user: server.user, clientId, redirectUri: q.redirect_uri, challenge: q.code_challenge, used: false });
    const back = new URL(q.redirect_uri);
    back.searchParams.set('code', code);
    if (q.state) back.searchParams.set('state', q.state);
    return reply.redirect(back.href, 302);
  });

  app.post('/devicecode', async (req, reply) => {
    const b = req.body as Record<string, string | undefined>;
    if (b.client_id !== clientId || b.client_secret !== undefined) return reply.code(401).send({ error: 'invalid_client' });
    const deviceCode = b64url(randomBytes(24));
    const userCode = randomBytes(4).toString('hex').toUpperCase();
    devices.set(deviceCode, { userCode, user: null });
    return { device_code: deviceCode, user_code: userCode, verification_uri: `${url}/device`, expires_in: 600, interval: 1 };
  });

  app.post('/token', async (req, reply) => {
    const b = req.body as Record<string, string | undefined>;
    // A public client (the device flow, as Microsoft has it) sends no secret, and only there.
    const publicClient = b.client_secret === undefined;
    if (b.client_id !== clientId || (!publicClient && b.client_secret !== clientSecret)) return reply.code(401).send({ error: 'invalid_client' });
    if (b.grant_type === 'urn:ietf:params:oauth:grant-type:device_code') {
      if (!publicClient) return refuse(reply, 'invalid_request', 'a public client presents no client_secret');
      counts.devicePolls++;
      const d = devices.get(b.device_code ?? '');
      if (!d) return refuse(reply, 'expired_token', 'unknown device code');
      if (!d.user) return refuse(reply, 'authorization_pending', 'waiting for the user');
      devices.delete(b.device_code!);
      const grant: Grant = { user: d.user, refreshToken: b64url(randomBytes(24)), revoked: false, publicClient: true };
      grants.set(grant.refreshToken, grant);
      return issue(grant);
    }
    if (b.grant_type === 'authorization_code') {
      if (publicClient) return reply.code(401).send({ error: 'invalid_client' });
      const c = codes.get(b.code ?? '');
      if (!c || c.used || c.redirectUri !== b.redirect_uri) return refuse(reply, 'invalid_grant', 'unknown or used code');
      const expected = b64url(createHash('sha256').update(b.code_verifier ?? '').digest());
      if (expected !== c.challenge) return refuse(reply, 'invalid_grant', 'PKCE verification failed');
      c.used = true;
      counts.code++;
      const grant: Grant = { user: c.user, refreshToken: b64url(randomBytes(24)), revoked: false, publicClient: false };
      grants.set(grant.refreshToken, grant);
      return issue(grant);
    }
    if (b.grant_type === 'refresh_token') {
      const grant = grants.get(b.refresh_token ?? '');
      if (!grant || grant.revoked) return refuse(reply, 'invalid_grant', 'Token has been expired or revoked.');
      // As Microsoft: a public client's grant is refreshed without the secret, a confidential one's with it.
      if (grant.publicClient !== publicClient) return reply.code(401).send({ error: 'invalid_client', error_description: 'public clients present no secret; confidential ones do' });
      counts.refresh++;
      const { refresh_token: _same, ...rest } = issue(grant);
      return rest;
    }
    return refuse(reply, 'unsupported_grant_type', String(b.grant_type));
  });

  const userOf = (token: string) => {
    const a = access.get(token);
    return a && a.live && !a.grant.revoked ? a.grant.user : null;
  };

  app.post('/introspect', async (req) => {
    counts.introspect++;
    const user = userOf((req.body as Record<string, string | undefined>).token ?? '');
    return user ? { active: true, username: user, scope: 'https://mail.google.com/' } : { active: false };
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const server: OAuthServer = {
    url,
    issuer: url,
    authorizationUrl: `${url}/authorize`,
    tokenUrl: `${url}/token`,
    deviceUrl: `${url}/devicecode`,
    introspectionUrl: `${url}/introspect`,
    clientId,
    clientSecret,
    user: opts.user,
    expiresIn: 3600,
    counts,
    userOf,
    approveDevice(userCode) {
      const d = [...devices.values()].find((x) => x.userCode === userCode);
      if (!d) throw new Error(`no device sign-in waits for the code ${userCode}`);
      d.user = server.user;
    },
    revokeAll() {
      for (const g of grants.values()) g.revoked = true;
    },
    expireAccessTokens() {
      for (const a of access.values()) a.live = false;
    },
    stop: () => app.close(),
  };
  return server;
}
