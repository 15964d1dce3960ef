// OAuth2 with oauth4webapi (panva's, certified by the OpenID Foundation): the authorization code flow
// with PKCE and the refresh grant against Google, Microsoft or a stand-in. Plain http is allowed for
// loopback hosts only (the tests' local authorization server); real providers are https.
// The library is loaded on first use, like the other drivers.
import type * as OAuth from 'oauth4webapi';
import { GrantRefused, type DevicePoll, type OAuthClientConfig, type OAuthDriver, type TokenAnswer } from '../app/ports/oauth.ts';
import { isLoopbackHost } from '../core/loopback-host.ts';

const lib = () => import('oauth4webapi');

function server(c: OAuthClientConfig): OAuth.AuthorizationServer {
  return { issuer: c.endpoints.issuer, authorization_endpoint: c.endpoints.authorizationUrl, token_endpoint: c.endpoints.tokenUrl, device_authorization_endpoint: c.endpoints.deviceUrl };
}

/** The secret, except for a public-client grant (the device flow): Microsoft refuses one there. */
const clientAuth = (oauth: typeof OAuth, c: OAuthClientConfig, publicClient: boolean) => (publicClient ? oauth.None() : oauth.ClientSecretPost(c.clientSecret));

function requestOptions(oauth: typeof OAuth, c: OAuthClientConfig): OAuth.TokenEndpointRequestOptions {
  const host = new URL(c.endpoints.tokenUrl).hostname;
  return isLoopbackHost(host) ? { [oauth.allowInsecureRequests]: true, signal: AbortSignal.timeout(15_000) } : { signal: AbortSignal.timeout(15_000) };
}

/** `invalid_grant` means the grant is gone; anything else (network, 5xx) may pass on a retry. */
async function answered(call: (oauth: typeof OAuth) => Promise<OAuth.TokenEndpointResponse>): Promise<TokenAnswer> {
  const oauth = await lib();
  try {
    const r = await call(oauth);
    return { accessToken: r.access_token, refreshToken: r.refresh_token ?? null, expiresIn: typeof r.expires_in === 'number' ? r.expires_in : null };
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      const text = `${err.error}${err.error_description ? `: ${err.error_description}` : ''}`;
      if (err.error === 'invalid_grant') throw new GrantRefused(text);
      throw new Error(`the provider refused: ${text}`, { cause: err });
    }
    if (err instanceof oauth.AuthorizationResponseError) throw new GrantRefused(`${err.error}${err.error_description ? `: ${err.error_description}` : ''}`);
    throw err;
  }
}

export const oauthDriver: OAuthDriver = {
  async pkce() {
    const oauth = await lib();
    const verifier = oauth.generateRandomCodeVerifier();
    return { verifier, challenge: await oauth.calculatePKCECodeChallenge(verifier) };
  },
  authorizationUrl(c, p) {
    const url = new URL(c.endpoints.authorizationUrl);
    const params: Record<string, string> = {
      response_type: 'code',
      client_id: c.clientId,
      redirect_uri: p.redirectUri,
      scope: c.scopes.join(' '),
      state: p.state,
      code_challenge: p.challenge,
      code_challenge_method: 'S256',
      // Google hands out a refresh token only with offline access and consent.
      access_type: 'offline',
      prompt: 'consent',
    };
    if (p.loginHint) params.login_hint = p.loginHint;
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.href;
  },
  exchangeCode(c, callbackUrl, p) {
    const as = server(c);
    const client: OAuth.Client = { client_id: c.clientId };
    return answered(async (oauth) => {
      const params = oauth.validateAuthResponse(as, client, new URL(callbackUrl), p.state);
      const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(c.clientSecret), params, p.redirectUri, p.verifier, requestOptions(oauth, c));
      return oauth.processAuthorizationCodeResponse(as, client, response);
    });
  },
  refresh(c, refreshToken, opts = {}) {
    const as = server(c);
    const client: OAuth.Client = { client_id: c.clientId };
    return answered(async (oauth) => {
      const response = await oauth.refreshTokenGrantRequest(as, client, clientAuth(oauth, c, opts.publicClient === true), refreshToken, requestOptions(oauth, c));
      return oauth.processRefreshTokenResponse(as, client, response);
    });
  },
  async startDevice(c) {
    const oauth = await lib();
    const as = server(c);
    const client: OAuth.Client = { client_id: c.clientId };
    const response = await oauth.deviceAuthorizationRequest(as, client, oauth.None(), { scope: c.scopes.join(' ') }, requestOptions(oauth, c));
    const r = await oauth.processDeviceAuthorizationResponse(as, client, response);
    return { deviceCode: r.device_code, userCode: r.user_code, verificationUri: r.verification_uri, expiresIn: r.expires_in, interval: r.interval ?? 5 };
  },
  async pollDevice(c, deviceCode): Promise<DevicePoll> {
    const as = server(c);
    const client: OAuth.Client = { client_id: c.clientId };
    try {
      return await answered(async (oauth) => {
        const response = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), deviceCode, requestOptions(oauth, c));
        return oauth.processDeviceCodeResponse(as, client, response);
      });
    } catch (err) {
      // RFC 8628 3.5: not yet, or not so often; declined and expired codes end the sign-in.
      const error = ((err as Error).cause as { error?: string } | undefined)?.error;
      if (error === 'authorization_pending' || error === 'slow_down') return { pending: true, slowDown: error === 'slow_down' };
      if (error === 'access_denied' || error === 'expired_token') throw new GrantRefused(error === 'access_denied' ? 'the sign-in was declined' : 'the code expired before the sign-in');
      throw err;
    }
  },
};
