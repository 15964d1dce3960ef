// Google and Microsoft 365 mailboxes (issue 19): the rep signs in with the provider (OAuth2
// authorization code with PKCE, the workspace admin's own client), Tally keeps the tokens sealed and
// hands SMTP and IMAP an access token (XOAUTH2), refreshed before it expires and once more when a
// server refuses it. A grant the provider refuses for good pauses the mailbox as "needs reconnecting":
// queued mail waits, and signing in again resumes it.
import type { Context } from './context.ts';
import type { Mailbox, TlsMode } from './ports/records.ts';
import type { AccessTokens } from './ports/mail.ts';
import { GrantRefused, type DeviceAuthorization, type OAuthClientConfig, type TokenAnswer } from './ports/oauth.ts';
import type { Runtime } from './ports/runtime.ts';
import type { MailboxValues } from './ports/store/mail.ts';
import { TallyError } from '../core/errors.ts';
import { isEmailAddress } from '../core/email-address.ts';
import { isLoopbackHost } from '../core/loopback-host.ts';
import { OAUTH_PROVIDERS, PROVIDER_LABEL, type OAuthProvider } from '../core/mailbox-providers.ts';

interface Server {
  host: string;
  port: number;
  tls: TlsMode;
}

interface ProviderDefaults {
  issuer: string;
  authorizationUrl: string;
  tokenUrl: string;
  /** The device code endpoint, where the provider lets the mail scopes through it (Microsoft; not Google). */
  deviceUrl?: string;
  /** What to register and ask for: IMAP and SMTP access, and a refresh token. */
  scopes: readonly string[];
  smtp: Server;
  imap: Server;
}

/** The real providers ({tenant}: the Microsoft Entra tenant, "common" by default). */
export const PROVIDERS: Record<OAuthProvider, ProviderDefaults> = {
  google: {
    issuer: 'https://accounts.google.com',
    authorizationUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenUrl: 'https://oauth2.googleapis.com/token',
    scopes: ['https://mail.google.com/'],
    smtp: { host: 'smtp.gmail.com', port: 465, tls: 'tls' },
    imap: { host: 'imap.gmail.com', port: 993, tls: 'tls' },
  },
  microsoft: {
    issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
    authorizationUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
    tokenUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
    deviceUrl: 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode',
    scopes: ['https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send', 'offline_access'],
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
    imap: { host: 'outlook.office365.com', port: 993, tls: 'tls' },
  },
};

/** What the admin enters for one provider; the endpoints and servers only to stand in for the real ones. */
export interface OAuthClientInput {
  clientId: string;
  clientSecret: string;
  /** Where the provider sends the rep back: Tally's /api/mailbox/oauth/callback as registered with the provider. */
  redirectUri: string;
  tenant?: string;
  issuer?: string;
  authorizationUrl?: string;
  tokenUrl?: string;
  deviceUrl?: string;
  /** "host:port:tls" */
  smtp?: string;
  imap?: string;
}

type OAuthClients = Partial<Record<OAuthProvider, OAuthClientInput>>;

/** A sign-in waits this long for the provider's callback. */
const FLOW_MS = 15 * 60_000;
/** An access token this close to its end is refreshed before use. */
const REFRESH_AHEAD_MS = 5 * 60_000;

export function parseProvider(text: string): OAuthProvider {
  const p = OAUTH_PROVIDERS.find((x) => x === text.trim().toLowerCase());
  if (!p) throw new TallyError(`unknown provider "${text}" (use google or microsoft)`, 'usage', { field: 'provider' });
  return p;
}

function clients(rt: Pick<Runtime, 'secrets'>, sealed: string | null): OAuthClients {
  return sealed ? (JSON.parse(rt.secrets.open(sealed)) as OAuthClients) : {};
}

async function workspaceClients(ctx: Context): Promise<OAuthClients> {
  return clients(ctx, (await ctx.store.workspaces.byId(ctx.workspace.id))?.oauth_clients ?? null);
}

function parseServer(text: string | undefined, fallback: Server, field: string): Server {
  if (!text) return fallback;
  const m = /^([^:\s]+):(\d+):(tls|starttls|none)$/.exec(text.trim());
  if (!m) throw new TallyError(`"${text}" is not host:port:tls (e.g. smtp.example.com:587:starttls)`, 'invalid', { field });
  return { host: m[1]!, port: Number(m[2]), tls: m[3] as TlsMode };
}

function https(url: string, field: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new TallyError(`"${url}" is not a URL`, 'invalid', { field });
  }
  // Plain http only on the machine itself (a local stand-in, or a server reached through a tunnel).
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw new TallyError(`"${url}" must be an https:// URL`, 'invalid', { field });
  }
  return u.href;
}

/** Set only to stand in for the real provider (tests, a local server): kept when the web form saves the rest. */
const STAND_IN_FIELDS = ['issuer', 'authorizationUrl', 'tokenUrl', 'deviceUrl', 'smtp', 'imap'] as const;

/** A Microsoft Entra tenant: "common", "organizations", a directory (tenant) id or a domain. */
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/;

function requireManager(ctx: Context): void {
  if (ctx.user.role !== 'manager') throw new TallyError('only a manager can set the workspace\'s sign-in clients', 'forbidden');
}

/**
 * Saves the admin's client for a provider (the secret sealed); managers only. An empty secret keeps
 * the stored one (the web form never gets it back). `keepStandIns`: the stand-in endpoints already
 * stored stay (the web form does not show them).
 */
export async function setOAuthClient(ctx: Context, provider: OAuthProvider, input: OAuthClientInput, opts: { keepStandIns?: boolean } = {}): Promise<OAuthClientView> {
  requireManager(ctx);
  const ws = await ctx.store.workspaces.byId(ctx.workspace.id);
  const all = clients(ctx, ws?.oauth_clients ?? null);
  const stored = all[provider];
  if (!input.clientId?.trim()) throw new TallyError('a client id is needed', 'invalid', { field: 'client-id' });
  const clientSecret = input.clientSecret || stored?.clientSecret;
  if (!clientSecret) throw new TallyError('a client secret is needed (use --client-secret-stdin)', 'invalid', { field: 'client-secret' });
  const tenant = provider === 'microsoft' ? input.tenant?.trim() || undefined : undefined;
  if (tenant && !TENANT.test(tenant)) throw new TallyError(`"${tenant}" is not a tenant: use "common", your directory (tenant) id or your domain`, 'invalid', { field: 'tenant' });
  const standIns: Partial<OAuthClientInput> = {};
  if (opts.keepStandIns && stored) for (const f of STAND_IN_FIELDS) if (stored[f]) standIns[f] = stored[f];
  const clean: OAuthClientInput = { ...standIns, ...input, clientId: input.clientId.trim(), clientSecret, tenant, redirectUri: https(input.redirectUri ?? '', 'redirect-uri') };
  for (const f of ['issuer', 'authorizationUrl', 'tokenUrl', 'deviceUrl'] as const) if (clean[f]) clean[f] = https(clean[f], f);
  parseServer(clean.smtp, PROVIDERS[provider].smtp, 'smtp');
  parseServer(clean.imap, PROVIDERS[provider].imap, 'imap');
  await ctx.store.workspaces.setOAuthClients(ctx.workspace.id, ctx.secrets.seal(JSON.stringify({ ...all, [provider]: clean })));
  return clientView(provider, clean);
}

/** A provider's client as a manager sees it: never the secret, only whether there is one. */
export interface OAuthClientView {
  provider: OAuthProvider;
  label: string;
  /** null: not set up (reps cannot connect with this provider). */
  clientId: string | null;
  secret: 'set' | 'not set';
  redirectUri: string | null;
  /** Microsoft: the Entra tenant ("common" when none is given). */
  tenant: string | null;
  /** What to register with the provider and what Tally asks for. */
  scopes: string[];
  /** Endpoints or servers stand in for the real provider (set with the CLI). */
  standIn: boolean;
}

function clientView(provider: OAuthProvider, c: OAuthClientInput | undefined): OAuthClientView {
  return {
    provider,
    label: PROVIDER_LABEL[provider],
    clientId: c?.clientId ?? null,
    secret: c?.clientSecret ? 'set' : 'not set',
    redirectUri: c?.redirectUri ?? null,
    tenant: provider === 'microsoft' ? c?.tenant ?? (c ? 'common' : null) : null,
    scopes: [...PROVIDERS[provider].scopes],
    standIn: c ? STAND_IN_FIELDS.some((f) => c[f]) : false,
  };
}

/** Both providers' clients for the settings page; managers only. */
export async function oauthClients(ctx: Context): Promise<OAuthClientView[]> {
  requireManager(ctx);
  const all = await workspaceClients(ctx);
  return OAUTH_PROVIDERS.map((p) => clientView(p, all[p]));
}

/** Whether a provider's sign-in can be used here: anyone may ask (the connect buttons say why one cannot). */
export interface SignInOption {
  provider: OAuthProvider;
  label: string;
  /** false: no manager has set up the workspace's sign-in client for this provider yet. */
  ready: boolean;
}

export async function signInOptions(ctx: Context): Promise<SignInOption[]> {
  const all = await workspaceClients(ctx);
  return OAUTH_PROVIDERS.map((p) => ({ provider: p, label: PROVIDER_LABEL[p], ready: all[p] !== undefined }));
}

interface ResolvedClient {
  config: OAuthClientConfig;
  redirectUri: string;
  smtp: Server;
  imap: Server;
}

function resolved(provider: OAuthProvider, c: OAuthClientInput): ResolvedClient {
  const d = PROVIDERS[provider];
  const tenant = (s: string) => s.replace('{tenant}', encodeURIComponent(c.tenant ?? 'common'));
  return {
    config: {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      scopes: d.scopes,
      endpoints: {
        issuer: c.issuer ?? tenant(d.issuer), authorizationUrl: c.authorizationUrl ?? tenant(d.authorizationUrl), tokenUrl: c.tokenUrl ?? tenant(d.tokenUrl),
        deviceUrl: c.deviceUrl ?? (d.deviceUrl ? tenant(d.deviceUrl) : undefined),
      },
    },
    redirectUri: c.redirectUri,
    smtp: parseServer(c.smtp, d.smtp, 'smtp'),
    imap: parseServer(c.imap, d.imap, 'imap'),
  };
}

async function clientOf(rt: Pick<Runtime, 'store' | 'secrets'>, workspaceId: number, provider: OAuthProvider): Promise<ResolvedClient> {
  const ws = await rt.store.workspaces.byId(workspaceId);
  const c = clients(rt, ws?.oauth_clients ?? null)[provider];
  if (!c) throw new TallyError(`${PROVIDER_LABEL[provider]} sign-in is not set up for this workspace: a manager sets it up first (Settings › Mailbox in the web app, or "tally mailbox oauth-client ${provider}"; see docs/mailboxes.md)`, 'invalid', { field: 'provider' });
  return resolved(provider, c);
}

/** What the state parameter carries, sealed: the flow's PKCE verifier never leaves Tally in the clear. */
interface FlowState {
  u: number;
  p: OAuthProvider;
  v: string;
  a: string;
  e: number;
}

const toUrlSafe = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const fromUrlSafe = (s: string) => Buffer.from(s, 'base64url').toString('utf8');

/** Starts a sign-in: the URL the rep opens (in this browser, or any browser for the CLI). */
export async function startConnect(ctx: Context, provider: OAuthProvider, opts: { address?: string } = {}): Promise<{ url: string; redirectUri: string; address: string }> {
  const address = (opts.address ?? ctx.user.email).trim();
  if (!isEmailAddress(address)) throw new TallyError(`"${address}" is not an email address`, 'invalid', { field: 'email' });
  const client = await clientOf(ctx, ctx.workspace.id, provider);
  const { verifier, challenge } = await ctx.oauth.pkce();
  const flow: FlowState = { u: ctx.user.id, p: provider, v: verifier, a: address, e: ctx.now() + FLOW_MS };
  const state = toUrlSafe(ctx.secrets.seal(JSON.stringify(flow)));
  const url = ctx.oauth.authorizationUrl(client.config, { redirectUri: client.redirectUri, state, challenge, loginHint: address });
  return { url, redirectUri: client.redirectUri, address };
}

function flowOf(ctx: Context, callbackUrl: string): FlowState {
  let url: URL;
  try {
    url = new URL(callbackUrl.trim());
  } catch {
    throw new TallyError('that is not the URL the provider sent you back to (copy the whole address from the browser)', 'invalid', { field: 'url' });
  }
  const state = url.searchParams.get('state');
  const denied = url.searchParams.get('error');
  if (denied) throw new TallyError(`the provider did not grant access: ${url.searchParams.get('error_description') ?? denied}`, 'mailbox');
  if (!state) throw new TallyError('the URL has no state parameter: copy the whole address the provider sent you back to', 'invalid', { field: 'url' });
  let flow: FlowState;
  try {
    flow = JSON.parse(ctx.secrets.open(fromUrlSafe(state))) as FlowState;
  } catch {
    throw new TallyError('this sign-in was not started here (or the workspace key changed): start it again', 'invalid', { field: 'state' });
  }
  if (flow.u !== ctx.user.id) throw new TallyError('this sign-in was started by another user: sign in to Tally as them, or start it again', 'forbidden');
  if (flow.e < ctx.now()) throw new TallyError('this sign-in is older than 15 minutes: start it again', 'invalid', { field: 'state' });
  return flow;
}

/** Sealed token set, as kept in the mailbox's secret. */
interface Tokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number | null;
  /** Granted through the device code flow: refreshed without the secret, as that flow requires. */
  publicClient?: boolean;
}

/** Ends a sign-in: trades the code for tokens, saves the mailbox, and resumes it if it waited for this. */
export async function finishConnect(ctx: Context, callbackUrl: string, limits: { dailyLimit?: number; minSpacingSeconds?: number } = {}): Promise<{ provider: OAuthProvider; address: string; resumed: boolean }> {
  const flow = flowOf(ctx, callbackUrl);
  const client = await clientOf(ctx, ctx.workspace.id, flow.p);
  let answer;
  try {
    answer = await ctx.oauth.exchangeCode(client.config, callbackUrl.trim(), { redirectUri: client.redirectUri, state: new URL(callbackUrl.trim()).searchParams.get('state')!, verifier: flow.v });
  } catch (err) {
    throw new TallyError(`${PROVIDER_LABEL[flow.p]} refused the sign-in: ${err instanceof Error ? err.message : String(err)}`, 'mailbox');
  }
  return saveGrant(ctx, flow.p, flow.a, client, answer, limits, false);
}

type Limits = { dailyLimit?: number; minSpacingSeconds?: number };

/** Saves the mailbox a sign-in granted (tokens sealed), and resumes it if it waited for this. */
async function saveGrant(ctx: Context, provider: OAuthProvider, address: string, client: ResolvedClient, answer: TokenAnswer, limits: Limits, publicClient: boolean): Promise<{ provider: OAuthProvider; address: string; resumed: boolean }> {
  if (!answer.refreshToken) throw new TallyError(`${PROVIDER_LABEL[provider]} sent no refresh token: check that the client asks for offline access (docs/mailboxes.md)`, 'mailbox');
  const now = ctx.now();
  const tokens: Tokens = { accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresAt: answer.expiresIn !== null ? now + answer.expiresIn * 1000 : null, ...(publicClient ? { publicClient } : {}) };
  const existing = await ctx.store.mailboxes.ofUser(ctx.user.id);
  const values: MailboxValues = {
    workspace_id: ctx.workspace.id,
    user_id: ctx.user.id,
    auth: provider,
    smtp_host: client.smtp.host,
    smtp_port: client.smtp.port,
    smtp_tls: client.smtp.tls,
    smtp_user: address,
    imap_host: client.imap.host,
    imap_port: client.imap.port,
    imap_tls: client.imap.tls,
    imap_user: address,
    secret: ctx.secrets.seal(JSON.stringify(tokens)),
    from_name: existing?.from_name ?? ctx.user.name,
    from_address: address,
    unsubscribe_url: existing?.unsubscribe_url ?? null,
    daily_limit: limits.dailyLimit ?? existing?.daily_limit ?? 200,
    min_spacing_seconds: limits.minSpacingSeconds ?? existing?.min_spacing_seconds ?? 30,
    // Gmail and Microsoft 365 file what they accept into Sent; a stand-in server may not.
    append_sent: client.smtp.host === PROVIDERS[provider].smtp.host ? 0 : 1,
    updated_at: now,
  };
  const resumed = existing?.paused_kind === 'grant';
  await ctx.store.transaction(async (tx) => {
    await tx.mailboxes.save(values, now, { warmup: true });
    if (resumed) await tx.mailboxes.setPaused(existing.id, null, now);
  });
  return { provider, address, resumed };
}

/** A device code sign-in under way: what the rep types where, and what Tally polls with. */
export interface DeviceSignIn extends DeviceAuthorization {
  provider: OAuthProvider;
  address: string;
}

/**
 * Starts a device code sign-in (RFC 8628; Microsoft only): for a server with no browser at all, the rep
 * types a short code on any device. Google's device flow does not allow the mail scope.
 */
export async function startDeviceConnect(ctx: Context, provider: OAuthProvider, opts: { address?: string } = {}): Promise<DeviceSignIn> {
  const address = (opts.address ?? ctx.user.email).trim();
  if (!isEmailAddress(address)) throw new TallyError(`"${address}" is not an email address`, 'invalid', { field: 'email' });
  const client = await clientOf(ctx, ctx.workspace.id, provider);
  if (!client.config.endpoints.deviceUrl) {
    throw new TallyError(`${PROVIDER_LABEL[provider]}'s device sign-in does not allow mail access: use the sign-in URL instead ("tally mailbox connect ${provider}" prints it; paste back the address you are sent to)`, 'usage', { field: 'device' });
  }
  let device: DeviceAuthorization;
  try {
    device = await ctx.oauth.startDevice(client.config);
  } catch (err) {
    throw new TallyError(`${PROVIDER_LABEL[provider]} refused the device sign-in: ${err instanceof Error ? err.message : String(err)} (the app registration needs "Allow public client flows")`, 'mailbox');
  }
  return { ...device, provider, address };
}

/** Polls until the rep has signed in (at the provider's interval, slower when asked), then saves the mailbox. */
export async function finishDeviceConnect(ctx: Context, device: DeviceSignIn, wait: (ms: number) => Promise<void>, limits: Limits = {}): Promise<{ provider: OAuthProvider; address: string; resumed: boolean }> {
  const client = await clientOf(ctx, ctx.workspace.id, device.provider);
  let interval = device.interval;
  // Counted in polls, not on the clock: the clock may be pinned (TALLY_NOW) while the rep signs in.
  for (let waited = 0; waited < device.expiresIn; waited += interval) {
    await wait(interval * 1000);
    let poll;
    try {
      poll = await ctx.oauth.pollDevice(client.config, device.deviceCode);
    } catch (err) {
      throw new TallyError(`${PROVIDER_LABEL[device.provider]} did not connect the mailbox: ${err instanceof Error ? err.message : String(err)}`, 'mailbox');
    }
    if ('pending' in poll) {
      if (poll.slowDown) interval += 5;
      continue;
    }
    return saveGrant(ctx, device.provider, device.address, client, poll, limits, true);
  }
  throw new TallyError('the code expired before the sign-in: start again', 'mailbox');
}

/** The words of a "needs reconnecting" pause. */
export function needsReconnecting(provider: OAuthProvider, detail: string): string {
  return `needs reconnecting: ${PROVIDER_LABEL[provider]} no longer accepts Tally's sign-in (${detail}). Queued mail waits until you connect it again.`;
}

type TokenRuntime = Pick<Runtime, 'store' | 'secrets' | 'oauth' | 'now'>;

/** One refresh per mailbox at a time in this process (the sender and the sync may ask together). */
const refreshing = new Map<number, Promise<string>>();

async function refreshed(rt: TokenRuntime, m: Mailbox, provider: OAuthProvider, tokens: Tokens): Promise<string> {
  const client = await clientOf(rt, m.workspace_id, provider);
  try {
    if (!tokens.refreshToken) throw new GrantRefused('no refresh token');
    const answer = await rt.oauth.refresh(client.config, tokens.refreshToken, { publicClient: tokens.publicClient === true });
    const now = rt.now();
    const next: Tokens = { ...tokens, accessToken: answer.accessToken, refreshToken: answer.refreshToken ?? tokens.refreshToken, expiresAt: answer.expiresIn !== null ? now + answer.expiresIn * 1000 : null };
    await rt.store.mailboxes.setSecret(m.id, rt.secrets.seal(JSON.stringify(next)), now);
    return next.accessToken;
  } catch (err) {
    if (!(err instanceof GrantRefused)) throw err;
    const now = rt.now();
    const reason = needsReconnecting(provider, err.detail);
    await rt.store.transaction((tx) => tx.mailboxes.setPaused(m.id, { at: now, reason, kind: 'grant' }, now));
    throw new TallyError(`${m.from_address} ${reason}`, 'mailbox');
  }
}

/** The access token of an OAuth2 mailbox: the stored one while it has 5 minutes left, else a refreshed one. */
async function accessToken(rt: TokenRuntime, userId: number, force: boolean): Promise<string> {
  const m = await rt.store.mailboxes.ofUser(userId);
  if (!m || m.auth === 'password') throw new TallyError('this mailbox no longer signs in with a provider', 'mailbox');
  const provider = m.auth;
  if (m.paused_kind === 'grant') throw new TallyError(`${m.from_address} ${m.paused_reason ?? needsReconnecting(provider, 'revoked')}`, 'mailbox');
  const tokens = JSON.parse(rt.secrets.open(m.secret)) as Tokens;
  if (!force && (tokens.expiresAt === null || tokens.expiresAt - rt.now() > REFRESH_AHEAD_MS)) return tokens.accessToken;
  const running = refreshing.get(m.id);
  if (running) return running;
  const p = refreshed(rt, m, provider, tokens).finally(() => refreshing.delete(m.id));
  refreshing.set(m.id, p);
  return p;
}

/** What the drivers call for a token: the current one, and a renewed one after a server refused it. */
export function accessTokens(rt: TokenRuntime, m: Mailbox): AccessTokens {
  return { current: () => accessToken(rt, m.user_id, false), renew: () => accessToken(rt, m.user_id, true) };
}

/** Before a send run: makes sure the grant still works, so a revoked one pauses the mailbox before anything is claimed. */
export async function checkGrant(rt: TokenRuntime, m: Mailbox): Promise<Mailbox> {
  if (m.auth === 'password' || m.paused_at !== null) return m;
  try {
    await accessToken(rt, m.user_id, false);
  } catch (err) {
    // A paused mailbox is told by the run; anything else (the provider unreachable) by the send itself.
    if (!(err instanceof TallyError)) throw err;
  }
  return (await rt.store.mailboxes.ofUser(m.user_id)) ?? m;
}
