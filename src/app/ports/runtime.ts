// Everything the app gets from outside: the store, the mail drivers, secrets at rest, randomness,
// the webhook poster and the clock. Adapters build one per process (src/runtime/) and services
// receive it inside their Context; tests can hand in their own parts.
import type { MailDrivers } from './mail.ts';
import type { OAuthDriver } from './oauth.ts';
import type { TlsMode, TxtLookup } from '../../core/mailbox-check.ts';
import type { Store } from './store/index.ts';

/** Epoch milliseconds now: the only clock the app reads. */
export type Clock = () => number;

/** Secrets at rest under the workspace key. */
export interface Secrets {
  /** Encrypts a secret for the database (mailbox passwords, webhook signing secrets). */
  seal(plain: string): string;
  /** The secret again; a TallyError when the key changed since it was sealed. */
  open(sealed: string): string;
  /** The key unsubscribe tokens are signed with (never the encryption key itself). */
  unsubscribeKey(): Buffer;
}

/** Randomness for secrets and identifiers. */
export interface Ids {
  /** 32 random bytes, base64url: session, invitation, API and signing secrets. */
  secret(): string;
  /** `bytes` random bytes in hex: the unique part of a Message-ID. */
  hex(bytes: number): string;
  /** A random UUID without dashes: event ids. */
  uuid(): string;
  /** A random number in [0, 1): the jitter between two spaced sends. */
  fraction(): number;
}

/** Where a workspace lets Tally call internal receivers (plain http, private addresses): its allow-list. */
export interface OutboundPolicy {
  allowHosts: readonly string[];
}

/**
 * How a signed webhook event leaves Tally: one HTTP POST to a URL a user gave, only to a public
 * address over https unless the policy allow-lists the host. Throws an Error whose message is
 * for the manager: "refused: …", "unreachable".
 */
export interface WebhookPoster {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number, policy: OutboundPolicy): Promise<{ status: number }>;
  /** Why the URL would be refused now ("refused: …"), resolving its host; null when it may be called. */
  refusal(url: string, policy: OutboundPolicy): Promise<string | null>;
}

/**
 * What the deliverability check asks of the outside world (issue 19). The adapter is
 * src/runtime/sender-probes.ts; its DNS servers come from the composition root, so tests can point
 * them at a local stub.
 */
export interface SenderProbes {
  /** The TXT records at a name (none when the name or its TXT records do not exist); an error only when the lookup failed. */
  txt(name: string): Promise<TxtLookup>;
  /** Connects to an SMTP server: with `tls`, a TLS handshake; otherwise EHLO, and whether STARTTLS is offered. */
  smtpTls(host: string, port: number, mode: TlsMode): Promise<{ offered: TlsMode } | { error: string }>;
  /** A GET of a user-given https URL under the outbound rules (public addresses only unless allow-listed), redirects not followed. */
  httpsAnswer(url: string, policy: OutboundPolicy): Promise<{ status: number } | { error: string }>;
}

/** The sender's timings: how long a claim lasts, and the first retry delay (it doubles). */
export interface SendTimings {
  leaseMs: number;
  retryMs: number;
}

/** Passwords at rest: a salted, deliberately slow one-way hash (argon2id), and its check. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Whether `password` is the one `hash` was made from (the hash carries its own parameters). */
  verify(hash: string, password: string): Promise<boolean>;
}

export interface Runtime {
  store: Store;
  mail: MailDrivers;
  /** OAuth2 sign-in for Google and Microsoft mailboxes. */
  oauth: OAuthDriver;
  secrets: Secrets;
  ids: Ids;
  webhooks: WebhookPoster;
  /** DNS, SMTP and https probes for the deliverability check. */
  probes: SenderProbes;
  sending: SendTimings;
  passwords: PasswordHasher;
  now: Clock;
}
