// The composition root: the Runtime the app runs on, from a store and the process environment.
// The one place that reads the environment on the app's behalf (the secret key, the sender's
// timings) and picks the drivers (SMTP/IMAP, crypto, fetch).
import { readFileSync } from 'node:fs';
import type { Clock, PasswordHasher, Runtime, SendTimings } from '../app/ports/runtime.ts';
import type { Store } from '../app/ports/store/index.ts';
import { TallyError } from '../core/errors.ts';
import { mailDrivers } from '../mail/drivers.ts';
import { oauthDriver } from '../mail/oauth.ts';
import { secretsAt } from '../store/secrets.ts';
import { cryptoIds } from './ids.ts';
import { outboundPoster, type OutboundTrust } from './outbound.ts';
import { argon2Passwords } from './passwords.ts';
import { senderProbes } from './sender-probes.ts';

export type Env = Record<string, string | undefined>;

/** A row in `sending` for longer than this was interrupted (the SMTP call has long timed out). */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** The first retry after a failure that may pass (4xx, dropped connection) waits this long, then doubles. */
export const DEFAULT_RETRY_MS = 60_000;

/** A duration in milliseconds from the environment (workers and tests shorten the lease), else the default. */
export function msFromEnv(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new TallyError(`${name} must be a whole number of milliseconds above 0 (got "${raw}")`, 'invalid', { field: name });
  return n;
}

/** Read when the sender asks, so a mistyped value stops `tally send`, not every command. */
export function sendTimings(env: Env): SendTimings {
  return {
    get leaseMs() {
      return msFromEnv(env, 'TALLY_SEND_LEASE_MS', DEFAULT_LEASE_MS);
    },
    get retryMs() {
      return msFromEnv(env, 'TALLY_SEND_RETRY_MS', DEFAULT_RETRY_MS);
    },
  };
}

/** TALLY_DNS_SERVERS: "host:port" entries, comma separated, for the deliverability check's lookups (default: the system's resolver). */
export function dnsServers(env: Env): string[] {
  return (env.TALLY_DNS_SERVERS ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * TALLY_CHECK_CA_FILE: a PEM file of authorities the deliverability check trusts besides the
 * system's (a private CA). Read when the check runs, so a wrong path stops the check, not every command.
 */
function checkTrust(env: Env): OutboundTrust {
  return {
    get extraCa() {
      const file = env.TALLY_CHECK_CA_FILE?.trim();
      if (!file) return undefined;
      try {
        return [readFileSync(file, 'utf8')];
      } catch {
        throw new TallyError(`TALLY_CHECK_CA_FILE names ${file}, which cannot be read`, 'invalid', { field: 'TALLY_CHECK_CA_FILE' });
      }
    },
  };
}

export interface RuntimeOptions {
  now?: Clock;
  /** Where TALLY_SECRET_KEY and the sender's timings are read (default: the process environment). */
  env?: Env;
  /** How passwords are hashed (default: argon2id at PASSWORD_COST). */
  passwords?: PasswordHasher;
}

export function runtimeFor(store: Store, opts: RuntimeOptions = {}): Runtime {
  const env = opts.env ?? process.env;
  return {
    store,
    mail: mailDrivers,
    oauth: oauthDriver,
    secrets: secretsAt(store.location, env.TALLY_SECRET_KEY),
    ids: cryptoIds,
    webhooks: outboundPoster(),
    probes: senderProbes({ dnsServers: dnsServers(env), trust: checkTrust(env) }),
    sending: sendTimings(env),
    passwords: opts.passwords ?? argon2Passwords(),
    now: opts.now ?? Date.now,
  };
}
