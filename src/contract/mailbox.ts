// The acting user's mailbox as the web app shows it: where its reading starts ("read mail since"),
// the counts of the running or last sync (issue 16), and refusals on the sending side with the pause
// they caused (issue 15); its connection settings, the connection test and pausing (settings page).
import { z } from 'zod';
import { ok, routesOf } from './route.ts';

const route = routesOf('mailbox');

const TLS = ['tls', 'starttls', 'none'] as const;
const port = z.number({ error: 'must be a port number' }).int('must be a whole number').min(1, 'must be 1–65535').max(65535, 'must be 1–65535');
const check = z.object({ ok: z.boolean(), detail: z.string() });
/** The redirect URI to register with Google and Microsoft (after the server's own address). */
export const MAILBOX_CALLBACK_PATH = '/api/mailbox/oauth/callback';

const syncProgress = z.object({
  folder: z.string(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  total: z.number(),
  read: z.number(),
  fetched: z.number(),
  skipped: z.number(),
  applied: z.number(),
  bytes: z.object({ headers: z.number(), sources: z.number() }),
});

const mailboxView = z.object({
  id: z.number(),
  user: z.string(),
  from: z.string(),
  smtp: z.string(),
  imap: z.string().nullable(),
  password: z.string(),
  dailyLimit: z.number(),
  /** Today's limit: below dailyLimit while a new mailbox warms up. */
  todayLimit: z.number(),
  minSpacingSeconds: z.number(),
  unsubscribeUrl: z.string().nullable(),
  sentCopy: z.enum(['server', 'tally', 'none']),
  readSince: z.number(),
  lastSync: syncProgress.nullable(),
  auth: z.enum(['password', 'google', 'microsoft']),
  /** Where Tally's DKIM key is published (selector._domainkey.domain); null: Tally does not sign. */
  dkim: z.string().nullable(),
  /** The one paused state: its kind (refusals on the sending side, complaints, a refused grant, by hand), why, and what lifts it. */
  paused: z.object({ at: z.number(), kind: z.enum(['sender', 'complaints', 'grant', 'hand']), reason: z.string(), fix: z.string() }).nullable(),
  warnings: z.array(z.string()),
  connection: z.object({
    smtpHost: z.string(), smtpPort: z.number(), smtpTls: z.enum(TLS), smtpUser: z.string(),
    imapHost: z.string().nullable(), imapPort: z.number().nullable(), imapTls: z.enum(TLS).nullable(), imapUser: z.string().nullable(),
    fromName: z.string(), fromAddress: z.string(),
  }),
});
const mailboxCheck = z.object({
  domain: z.string(),
  ok: z.boolean(),
  lines: z.array(z.object({
    id: z.enum(['spf', 'dkim', 'dmarc', 'tls', 'unsubscribe', 'complaints']),
    title: z.string(),
    verdict: z.enum(['pass', 'warn', 'fail']),
    detail: z.string(),
    fix: z.string().nullable(),
  })),
});
export type MailboxCheck = z.infer<typeof mailboxCheck>;

const PROVIDER = ['google', 'microsoft'] as const;
const oauthClient = z.object({
  provider: z.enum(PROVIDER),
  label: z.string(),
  clientId: z.string().nullable().describe('null: not set up, reps cannot connect with this provider'),
  secret: z.enum(['set', 'not set']).describe('the secret itself is never sent back'),
  redirectUri: z.string().nullable(),
  tenant: z.string().nullable().describe('Microsoft: the Entra tenant'),
  scopes: z.array(z.string()).describe('what to register with the provider (and what Tally asks for)'),
  standIn: z.boolean().describe('endpoints or servers stand in for the real provider (set with the CLI; kept when saved here)'),
});
export type OAuthClientInfo = z.infer<typeof oauthClient>;
const mailboxSetup = z.object({
  clients: z.array(oauthClient),
  unsubscribeUrl: z.string().nullable().describe("the workspace's one-click unsubscribe link (a mailbox given its own keeps that one); null: mailto only"),
  suggested: z.object({ redirectUri: z.string(), unsubscribeUrl: z.string() }).describe("from this server's public address"),
  serverIsLocal: z.boolean().describe('the server runs on this machine: loopback and private addresses are accepted'),
});
export type MailboxSetup = z.infer<typeof mailboxSetup>;
export type MailboxInfo = z.infer<typeof mailboxView>;

export const mailbox = {
  show: route('GET', '/api/mailbox', 'user', {
    summary: 'Your mailbox: where reading starts and the running or last sync (fetched, skipped, applied)',
    response: ok(z.object({ mailbox: mailboxView.nullable() })),
  }),
  readSince: route('PUT', '/api/mailbox/read-since', 'user', {
    summary: 'Move "read mail since" (epoch ms, or "oldest-enrollment"): the next sync reads from there, applying nothing twice',
    body: z.object({ since: z.union([z.number().int().nonnegative(), z.literal('oldest-enrollment')]) }),
    response: ok(z.object({ mailbox: mailboxView })),
  }),
  save: route('PUT', '/api/mailbox', 'user', {
    summary: 'Connect your mailbox, or change its settings (an empty password keeps the stored one): what "tally mailbox add" takes',
    body: z.object({
      smtpHost: z.string().trim().min(1, 'an SMTP host is needed').max(253),
      smtpPort: port.optional(),
      smtpTls: z.enum(TLS).optional(),
      imapHost: z.string().trim().max(253).optional(),
      imapPort: port.optional(),
      imapTls: z.enum(TLS).optional(),
      user: z.string().trim().min(1, 'the login is needed').max(254),
      password: z.string().max(1000).optional().describe('empty: keep the stored one'),
      fromName: z.string().trim().max(120).optional(),
      fromAddress: z.string().trim().max(254),
      dailyLimit: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10_000, 'must be at most 10000').optional(),
      minSpacingSeconds: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(3600, 'must be at most 3600').optional(),
    }),
    response: ok(z.object({ mailbox: mailboxView })),
  }),
  test: route('POST', '/api/mailbox/test', 'user', {
    summary: 'Connect to your SMTP and IMAP servers and log in: each answers ok or why not',
    response: ok(z.object({ smtp: check, imap: check.nullable() })),
  }),
  check: route('GET', '/api/mailbox/check', 'user', {
    summary: 'What mail from your mailbox needs to land: SPF, DKIM and DMARC of the From domain, TLS on SMTP, the unsubscribe link, the 30-day complaint rate; each line pass, warn or fail with the fix',
    response: ok(mailboxCheck),
  }),
  pause: route('POST', '/api/mailbox/pause', 'user', {
    summary: 'Stop sending from your mailbox (mail stays queued) until you resume',
    response: ok(z.object({ mailbox: mailboxView })),
  }),
  resume: route('POST', '/api/mailbox/resume', 'user', {
    summary: 'Resume sending after a pause (fix the cause first; a refused sign-in is lifted by connecting again)',
    response: ok(z.object({ mailbox: mailboxView })),
  }),
  connect: route('POST', '/api/mailbox/connect', 'user', {
    summary: 'Start connecting a Google or Microsoft 365 mailbox: the provider sign-in URL to open (OAuth2 code flow with PKCE)',
    body: z.object({ provider: z.enum(['google', 'microsoft']), email: z.string().max(320).optional() }),
    response: ok(z.object({ url: z.string(), redirectUri: z.string(), address: z.string() })),
  }),
  signIn: route('GET', '/api/mailbox/sign-in', 'user', {
    summary: 'Which providers you can connect your mailbox with: a provider is ready once a manager has set up its sign-in client for the workspace',
    response: ok(z.object({ providers: z.array(z.object({ provider: z.enum(PROVIDER), label: z.string(), ready: z.boolean() })) })),
  }),
  setup: route('GET', '/api/mailbox/setup', 'manager', {
    summary: "The workspace's mailbox setup (managers): the Google and Microsoft sign-in clients (never their secrets) with the redirect URI and scopes to register, and the unsubscribe link",
    response: ok(mailboxSetup),
  }),
  saveOAuthClient: route('PUT', '/api/mailbox/oauth-clients/:provider', 'manager', {
    summary: "Set the workspace's Google or Microsoft sign-in client (managers): what \"tally mailbox oauth-client\" takes; an empty secret keeps the stored one",
    params: z.object({ provider: z.enum(PROVIDER) }),
    body: z.object({
      clientId: z.string().trim().min(1, 'a client id is needed').max(500),
      clientSecret: z.string().max(2000).optional().describe('write-only; empty: keep the stored one'),
      redirectUri: z.string().trim().min(1, 'the redirect URI is needed').max(2000),
      tenant: z.string().trim().max(100).optional().describe('Microsoft only; empty: "common"'),
    }),
    response: ok(oauthClient),
  }),
  saveUnsubscribeUrl: route('PUT', '/api/mailbox/unsubscribe-url', 'manager', {
    summary: "Set the workspace's one-click unsubscribe link (managers): https, reachable from the internet (private and loopback addresses only when the server runs on this machine); null clears it",
    body: z.object({ url: z.string().max(500).nullable() }),
    response: ok(z.object({ unsubscribeUrl: z.string().nullable() })),
  }),
  /** The provider sends the rep's browser here: a page navigation, answered with a redirect into the web app. */
  callback: route('GET', MAILBOX_CALLBACK_PATH, 'user', {
    summary: 'Where Google or Microsoft send the browser back after sign-in (the redirect URI to register): saves the mailbox, then redirects (303) into the web app',
    querystring: z.object({ state: z.string().max(4000).optional(), code: z.string().max(4000).optional(), error: z.string().max(200).optional() }).loose(),
  }),
};
