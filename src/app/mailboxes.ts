// A rep's mailbox: SMTP and IMAP settings, the password encrypted with the workspace key, the
// sending limits. Listing never shows the secret.
import { TLS_MODES, type Mailbox, type MailboxAuth, type PauseKind, type TlsMode } from './ports/records.ts';
import { userZone, type Context } from './context.ts';
import { warmedDailyLimit } from '../core/warmup.ts';
import type { Runtime } from './ports/runtime.ts';
import { TallyError } from '../core/errors.ts';
import { redactCredentials } from '../core/redact.ts';
import { isEmailAddress } from '../core/email-address.ts';
import type { MailboxValues } from './ports/store/mail.ts';
import type { DkimKey, ImapSettings, SmtpSettings } from './ports/mail.ts';
import { accessTokens } from './mailbox-signin.ts';
import { unsubscribeUrlOf } from './unsubscribe-url.ts';

/** How a password is shown: never. */
export const MASK = '••••';

export interface MailboxInput {
  smtpHost: string;
  smtpPort?: number;
  smtpTls?: string;
  smtpUser?: string;
  imapHost?: string;
  imapPort?: number;
  imapTls?: string;
  imapUser?: string;
  /** One login for SMTP and IMAP (the usual case). */
  user?: string;
  password: string;
  fromName?: string;
  fromAddress: string;
  unsubscribeUrl?: string;
  dailyLimit?: number;
  minSpacingSeconds?: number;
  /** File a copy of each sent mail into Sent over IMAP (default: yes, unless the server is known to do it). */
  appendSent?: boolean;
  /** A new mailbox warms up: its daily limit starts low and ramps to `dailyLimit` (default yes; no for a mailbox with a sending history). */
  warmup?: boolean;
}

export interface MailboxView {
  id: number;
  user: string;
  from: string;
  smtp: string;
  imap: string | null;
  password: string;
  dailyLimit: number;
  /** Today's limit: below `dailyLimit` while the mailbox warms up. */
  todayLimit: number;
  minSpacingSeconds: number;
  unsubscribeUrl: string | null;
  /** Who files sent mail into the Sent folder: the server, Tally (IMAP APPEND), or nobody (no IMAP). */
  sentCopy: 'server' | 'tally' | 'none';
  /** Mail that arrived before this instant is never read. */
  readSince: number;
  /** The running or last sync, null before the first. */
  lastSync: SyncProgress | null;
  /** How it signs in: a password, or Google / Microsoft (XOAUTH2). */
  auth: MailboxAuth;
  /** Where Tally signs its mail with DKIM ("selector._domainkey.domain"), null: the server signs, or nobody. */
  dkim: string | null;
  /** Sending paused: since when, for what, why, and what lifts it (null: sending). The one shape everywhere. */
  paused: PauseView | null;
  /** Plain warnings of the sender-side refusals within the workspace's window, newest first. */
  warnings: string[];
  /** The settings as a form shows them (never the password). */
  connection: MailboxConnection;
}

export interface MailboxConnection {
  smtpHost: string;
  smtpPort: number;
  smtpTls: TlsMode;
  smtpUser: string;
  imapHost: string | null;
  imapPort: number | null;
  imapTls: TlsMode | null;
  imapUser: string | null;
  fromName: string;
  fromAddress: string;
}

/** A paused mailbox as every surface shows it (CLI, API, web, digest, queue). */
export interface PauseView {
  at: number;
  kind: PauseKind;
  reason: string;
  /** What lifts the pause, in the rep's words. */
  fix: string;
}

/** What lifts a pause: a new sign-in for a refused grant, else resuming once the cause is fixed. */
export function pauseFix(kind: PauseKind, auth: MailboxAuth): string {
  if (kind === 'grant') return `Connect it again (the web app's Connect button, or "tally mailbox connect ${auth}"): that resumes it.`;
  if (kind === 'hand') return 'Resume with "tally mailbox resume" (or Resume sending in the web app).';
  return 'Resume with "tally mailbox resume" (or Resume sending in the web app) once fixed.';
}

/** Where a sync stands: shown while it runs and kept afterwards (issue 16). */
export interface SyncProgress {
  folder: string;
  startedAt: number;
  finishedAt: number | null;
  /** Messages to read this time. */
  total: number;
  /** Header blocks read. */
  read: number;
  /** Full sources fetched (the candidates). */
  fetched: number;
  /** Read from the headers only and left alone (nothing there for Tally, or older than "read mail since"). */
  skipped: number;
  /** Messages that changed an enrollment or a prospect. */
  applied: number;
  bytes: { headers: number; sources: number };
}

/** The instant a mailbox reads mail from. */
export function readSinceOf(m: Pick<Mailbox, 'read_since' | 'created_at'>): number {
  return m.read_since ?? m.created_at;
}

function lastSync(json: string): SyncProgress | null {
  try {
    const p = JSON.parse(json || '{}') as Partial<SyncProgress>;
    return typeof p.startedAt === 'number' ? (p as SyncProgress) : null;
  } catch {
    return null;
  }
}

function tlsMode(value: string | undefined, fallback: TlsMode, field: string): TlsMode {
  const v = (value ?? fallback).trim().toLowerCase();
  const mode = TLS_MODES.find((m) => m === v);
  if (!mode) throw new TallyError(`unknown TLS mode "${value}" (use one of: ${TLS_MODES.join(', ')})`, 'invalid', { field });
  return mode;
}

/** Providers that file what they accept over SMTP into the Sent folder themselves. */
const FILES_SENT_ITSELF = /(^|\.)(gmail\.com|googlemail\.com|google\.com|office365\.com|outlook\.com)$/i;


/** Adds (or replaces) the acting user's mailbox. */
export async function saveMailbox(ctx: Context, input: MailboxInput): Promise<MailboxView> {
  if (!input.smtpHost?.trim()) throw new TallyError('an SMTP host is needed', 'invalid', { field: 'smtp-host' });
  if (!isEmailAddress(input.fromAddress ?? '')) throw new TallyError(`"${input.fromAddress}" is not an email address`, 'invalid', { field: 'from' });
  // Changing other settings keeps the password already stored.
  const existing = input.password ? undefined : await findMailbox(ctx);
  if (!input.password && !existing) throw new TallyError('a password is needed (use --password-stdin)', 'invalid', { field: 'password' });
  if (input.unsubscribeUrl && !/^https:\/\/\S+$/i.test(input.unsubscribeUrl)) {
    throw new TallyError('the unsubscribe URL must be an https:// link (RFC 8058 one-click)', 'invalid', { field: 'unsubscribe-url' });
  }
  const smtpTls = tlsMode(input.smtpTls, 'starttls', 'smtp-tls');
  const imapTls = tlsMode(input.imapTls, 'tls', 'imap-tls');
  const user = input.user ?? input.fromAddress;
  const now = ctx.now();
  const values: MailboxValues = {
    workspace_id: ctx.workspace.id,
    user_id: ctx.user.id,
    smtp_host: input.smtpHost.trim(),
    smtp_port: input.smtpPort ?? (smtpTls === 'tls' ? 465 : 587),
    smtp_tls: smtpTls,
    smtp_user: input.smtpUser ?? user,
    imap_host: input.imapHost?.trim() || null,
    imap_port: input.imapHost ? input.imapPort ?? (imapTls === 'tls' ? 993 : 143) : null,
    imap_tls: input.imapHost ? imapTls : null,
    imap_user: input.imapHost ? input.imapUser ?? user : null,
    secret: input.password ? ctx.secrets.seal(input.password) : existing!.secret,
    from_name: input.fromName?.trim() || ctx.user.name,
    from_address: input.fromAddress.trim(),
    unsubscribe_url: input.unsubscribeUrl ?? null,
    daily_limit: input.dailyLimit ?? 200,
    min_spacing_seconds: input.minSpacingSeconds ?? 30,
    append_sent: input.imapHost && (input.appendSent ?? !FILES_SENT_ITSELF.test(input.smtpHost.trim())) ? 1 : 0,
    auth: 'password',
    updated_at: now,
  };
  await ctx.store.transaction((tx) => tx.mailboxes.save(values, now, { warmup: input.warmup ?? true }));
  return view(ctx, await requireMailbox(ctx), ctx.user.email);
}

export async function findMailbox(ctx: Context): Promise<Mailbox | undefined> {
  return ctx.store.mailboxes.ofUser(ctx.user.id);
}

export async function requireMailbox(ctx: Context): Promise<Mailbox> {
  const m = await findMailbox(ctx);
  if (!m) throw new TallyError(`${ctx.user.email} has no mailbox: run "tally mailbox add" first`, 'not_found');
  return m;
}

/** The mailbox's limit today (lower while it warms up), in the rep's calendar. */
export function todayLimit(ctx: Context, m: Mailbox): number {
  return warmedDailyLimit(m.daily_limit, m.warmup_from, ctx.now(), userZone(ctx));
}

function pauseView(m: Mailbox): PauseView {
  const kind = m.paused_kind ?? 'sender';
  return { at: m.paused_at ?? 0, kind, reason: m.paused_reason ?? '', fix: pauseFix(kind, m.auth) };
}

function view(ctx: Context, m: Mailbox, userEmail: string): MailboxView {
  return {
    id: m.id,
    user: userEmail,
    from: `${m.from_name} <${m.from_address}>`,
    smtp: `${m.smtp_user}@${m.smtp_host}:${m.smtp_port} (${m.smtp_tls})`,
    imap: m.imap_host ? `${m.imap_user}@${m.imap_host}:${m.imap_port} (${m.imap_tls})` : null,
    password: MASK,
    dailyLimit: m.daily_limit,
    todayLimit: todayLimit(ctx, m),
    minSpacingSeconds: m.min_spacing_seconds,
    unsubscribeUrl: unsubscribeUrlOf(ctx.settings, m),
    sentCopy: !m.imap_host ? 'none' : m.append_sent ? 'tally' : 'server',
    readSince: readSinceOf(m),
    lastSync: lastSync(m.sync_progress),
    auth: m.auth,
    dkim: m.dkim ? dkimRecordName(JSON.parse(m.dkim) as StoredDkim) : null,
    paused: m.paused_at !== null ? pauseView(m) : null,
    warnings: [],
    connection: {
      smtpHost: m.smtp_host, smtpPort: m.smtp_port, smtpTls: m.smtp_tls, smtpUser: m.smtp_user,
      imapHost: m.imap_host, imapPort: m.imap_port, imapTls: m.imap_tls, imapUser: m.imap_user,
      fromName: m.from_name, fromAddress: m.from_address,
    },
  };
}

/** The view with the sender-side warnings of the window. */
async function fullView(ctx: Context, m: Mailbox, userEmail: string): Promise<MailboxView> {
  const { warnings } = await ctx.store.inbound.senderSide(m.id, ctx.now() - ctx.settings.inbound.senderFailureWindowHours * 3600_000);
  return { ...view(ctx, m, userEmail), warnings };
}

/** What the rep (or a manager, for the team) must know about sending: pauses first, then the warnings. */
export async function mailboxWarnings(ctx: Context): Promise<string[]> {
  const out: string[] = [];
  for (const m of await listMailboxes(ctx)) {
    const who = m.user === ctx.user.email ? 'Your mailbox' : `${m.user}'s mailbox`;
    if (m.paused) out.push(`${who} is paused: ${m.paused.reason} ${m.paused.fix}`);
    for (const w of m.warnings) out.push(m.user === ctx.user.email ? w : `${m.user}: ${w}`);
  }
  return out;
}

/** Resumes the acting user's sending after a pause (once the cause is fixed); a refused grant needs a new sign-in instead. */
export async function resumeSending(ctx: Context): Promise<MailboxView> {
  const m = await requireMailbox(ctx);
  if (m.paused_at === null) throw new TallyError(`sending from ${m.from_address} is not paused`, 'conflict');
  if (m.paused_kind === 'grant') throw new TallyError(`${m.from_address} ${m.paused_reason ?? 'needs reconnecting'} ${pauseFix('grant', m.auth)}`, 'conflict');
  await ctx.store.transaction((tx) => tx.mailboxes.setPaused(m.id, null, ctx.now()));
  return fullView(ctx, await requireMailbox(ctx), ctx.user.email);
}

/** Pauses the acting user's sending by hand: queued mail waits until it is resumed. */
export async function pauseSending(ctx: Context, reason?: string): Promise<MailboxView> {
  const m = await requireMailbox(ctx);
  if (m.paused_at !== null) throw new TallyError(`sending from ${m.from_address} is already paused: ${m.paused_reason ?? ''}`, 'conflict');
  const why = reason?.trim() || `paused by ${ctx.user.name || ctx.user.email}.`;
  await ctx.store.transaction((tx) => tx.mailboxes.setPaused(m.id, { at: ctx.now(), reason: why, kind: 'hand' }, ctx.now()));
  return fullView(ctx, await requireMailbox(ctx), ctx.user.email);
}

/**
 * Moves the acting user's "read mail since": an instant, or `oldest-enrollment` (when their oldest
 * live enrollment started). The next sync reads the folder again from there; mail applied before is
 * not applied twice.
 */
export async function setReadSince(ctx: Context, when: number | 'oldest-enrollment'): Promise<MailboxView> {
  const m = await requireMailbox(ctx);
  let at: number;
  if (when === 'oldest-enrollment') {
    const oldest = await ctx.store.enrollments.oldestLiveStart(ctx.user.id);
    if (oldest === null) throw new TallyError('you have no live enrollment: give a date instead', 'invalid', { field: 'since' });
    at = oldest;
  } else at = when;
  if (!Number.isFinite(at) || at > ctx.now()) throw new TallyError('"read mail since" must be a date in the past', 'invalid', { field: 'since' });
  await ctx.store.transaction((tx) => tx.mailboxes.setReadSince(m.id, at, ctx.now()));
  return view(ctx, await requireMailbox(ctx), ctx.user.email);
}

/** The acting user's mailbox (never the password), null when they have none. */
export async function myMailbox(ctx: Context): Promise<MailboxView | null> {
  const m = await findMailbox(ctx);
  return m ? fullView(ctx, m, ctx.user.email) : null;
}

/** The mailboxes the acting user may see (a manager: the team's). */
export async function listMailboxes(ctx: Context): Promise<MailboxView[]> {
  const rows = await ctx.store.mailboxes.list(ctx.workspace.id, ctx.user.role !== 'manager' ? ctx.user.id : undefined);
  return Promise.all(rows.map((r) => fullView(ctx, r, r.user_email)));
}

/** The password ('' for a mailbox that signs in with a provider: its tokens are never handed out). */
export function mailboxPassword(ctx: Pick<Runtime, 'secrets'>, m: Mailbox): string {
  return m.auth === 'password' ? ctx.secrets.open(m.secret) : '';
}

type LoginRuntime = Pick<Runtime, 'store' | 'secrets' | 'oauth' | 'now'>;

/** How the drivers log in: the password, or XOAUTH2 with the provider's access token. */
function login(ctx: LoginRuntime, m: Mailbox): Pick<SmtpSettings, 'password' | 'oauth'> {
  return m.auth === 'password' ? { password: mailboxPassword(ctx, m) } : { password: '', oauth: accessTokens(ctx, m) };
}

export function smtpSettings(ctx: LoginRuntime, m: Mailbox): SmtpSettings {
  return { host: m.smtp_host, port: m.smtp_port, tls: m.smtp_tls, user: m.smtp_user, ...login(ctx, m) };
}

export function imapSettings(ctx: LoginRuntime, m: Mailbox): ImapSettings {
  if (!m.imap_host || !m.imap_port || !m.imap_user) throw new TallyError('this mailbox has no IMAP settings: run "tally mailbox add" with --imap-host', 'invalid', { field: 'imap-host' });
  return { host: m.imap_host, port: m.imap_port, tls: m.imap_tls ?? 'tls', user: m.imap_user, ...login(ctx, m) };
}

/** As kept: the domain and selector in the clear (they are published in DNS), the private key sealed. */
type StoredDkim = Omit<DkimKey, 'privateKey'> & { sealedKey: string };

/** Where the public key is published. */
export function dkimRecordName(k: Pick<DkimKey, 'domain' | 'selector'>): string {
  return `${k.selector}._domainkey.${k.domain}`;
}

/** The mailbox's DKIM key, when it signs its own mail. */
export function dkimKey(ctx: Pick<Runtime, 'secrets'>, m: Mailbox): DkimKey | undefined {
  if (!m.dkim) return undefined;
  const k = JSON.parse(m.dkim) as StoredDkim;
  return { domain: k.domain, selector: k.selector, privateKey: ctx.secrets.open(k.sealedKey) };
}

/**
 * Gives the acting user's mailbox a DKIM key (PEM, sealed), for SMTP relays that do not sign: Tally
 * signs each mail, List-Unsubscribe and List-Unsubscribe-Post included. null removes it.
 */
export async function setDkim(ctx: Context, key: DkimKey | null): Promise<MailboxView> {
  const m = await requireMailbox(ctx);
  if (key) {
    if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(key.domain)) throw new TallyError(`"${key.domain}" is not a domain name`, 'invalid', { field: 'domain' });
    if (!/^[a-z0-9._-]+$/i.test(key.selector)) throw new TallyError(`"${key.selector}" is not a DKIM selector (letters, digits, dots, dashes)`, 'invalid', { field: 'selector' });
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key.privateKey)) throw new TallyError('the key file is not a PEM private key (-----BEGIN PRIVATE KEY-----)', 'invalid', { field: 'key-file' });
    const from = m.from_address.split('@')[1]!.toLowerCase();
    const d = key.domain.toLowerCase();
    // DMARC passes on DKIM only when the signing domain aligns with the From domain.
    if (from !== d && !from.endsWith(`.${d}`)) throw new TallyError(`the DKIM domain ${key.domain} does not match the From address ${m.from_address} (DMARC would fail)`, 'invalid', { field: 'domain' });
  }
  const stored: StoredDkim | null = key ? { domain: key.domain.toLowerCase(), selector: key.selector, sealedKey: ctx.secrets.seal(key.privateKey) } : null;
  await ctx.store.transaction((tx) => tx.mailboxes.setDkim(m.id, stored ? JSON.stringify(stored) : null, ctx.now()));
  return fullView(ctx, await requireMailbox(ctx), ctx.user.email);
}

export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** Connects to SMTP and IMAP and reports each; the password never appears in the details. */
export async function testMailbox(ctx: Context): Promise<{ smtp: CheckResult; imap: CheckResult | null }> {
  const m = await requireMailbox(ctx);
  const password = mailboxPassword(ctx, m);
  // The drivers redact too; this keeps a driver that forgets from printing the password.
  const scrub = (text: string, user: string) => redactCredentials(text, { user, password });
  let smtp: CheckResult;
  const transport = ctx.mail.transport(smtpSettings(ctx, m));
  try {
    await transport.verify();
    smtp = { ok: true, detail: `connected to ${m.smtp_host}:${m.smtp_port} and logged in as ${m.smtp_user}` };
  } catch (err) {
    smtp = { ok: false, detail: scrub(err instanceof Error ? err.message : String(err), m.smtp_user) };
  } finally {
    transport.close();
  }
  let imap: CheckResult | null = null;
  if (m.imap_host) {
    try {
      const folders = await ctx.mail.readMailbox(imapSettings(ctx, m), (reader) => reader.folderCount());
      imap = { ok: true, detail: `connected to ${m.imap_host}:${m.imap_port} as ${m.imap_user} (${folders} folders)` };
    } catch (err) {
      const e = err as { responseText?: string; message?: string };
      imap = { ok: false, detail: scrub(e.responseText ?? e.message ?? String(err), m.imap_user ?? m.smtp_user) };
    }
  }
  return { smtp, imap };
}
