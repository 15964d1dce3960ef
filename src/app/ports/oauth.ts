// What the app needs from an OAuth2 authorization server (Google, Microsoft, or a stand-in): the
// authorization code flow with PKCE and the refresh grant. The driver is in src/mail/oauth.ts.

/** Where a provider's authorization server answers. */
export interface OAuthEndpoints {
  /** The issuer identifier (checked against the `iss` of the callback when the provider sends one). */
  issuer: string;
  authorizationUrl: string;
  tokenUrl: string;
  /** The device authorization endpoint (RFC 8628), where the provider has one for the mail scopes (Microsoft). */
  deviceUrl?: string;
}

/** One provider as the workspace admin registered Tally with it. */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  endpoints: OAuthEndpoints;
  scopes: readonly string[];
}

/** What a token endpoint answered: the access token, how long it lives, and a refresh token when it sent one. */
export interface TokenAnswer {
  accessToken: string;
  refreshToken: string | null;
  /** Seconds from now; null when the provider does not say. */
  expiresIn: number | null;
}

/**
 * The provider refused the grant for good (`invalid_grant`: revoked, expired, password changed):
 * only the rep signing in again helps.
 */
export class GrantRefused extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'GrantRefused';
  }
}

/** What the rep types where (RFC 8628), and how often Tally may ask whether they did. */
export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  /** Seconds the code lives, and between two polls. */
  expiresIn: number;
  interval: number;
}

/** A poll's answer: the tokens, or not yet (slower, when the provider says so). */
export type DevicePoll = TokenAnswer | { pending: true; slowDown: boolean };

export interface OAuthDriver {
  /** A fresh PKCE verifier and its S256 challenge. */
  pkce(): Promise<{ verifier: string; challenge: string }>;
  /** The URL the rep opens to sign in and consent. */
  authorizationUrl(c: OAuthClientConfig, p: { redirectUri: string; state: string; challenge: string; loginHint?: string }): string;
  /** Trades the code of the callback URL for tokens (checks the state); throws GrantRefused or an Error. */
  exchangeCode(c: OAuthClientConfig, callbackUrl: string, p: { redirectUri: string; state: string; verifier: string }): Promise<TokenAnswer>;
  /** A new access token from the refresh token; throws GrantRefused when the grant is gone. */
  refresh(c: OAuthClientConfig, refreshToken: string, opts?: { publicClient?: boolean }): Promise<TokenAnswer>;
  /** Starts a device code sign-in. It is a public-client flow: no secret is sent, now or on its refreshes. */
  startDevice(c: OAuthClientConfig): Promise<DeviceAuthorization>;
  /** Asks once whether the rep has signed in; throws GrantRefused when they declined or the code expired. */
  pollDevice(c: OAuthClientConfig, deviceCode: string): Promise<DevicePoll>;
}
