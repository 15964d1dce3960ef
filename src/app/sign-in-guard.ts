// Guessing passwords must not pay: failures are counted per account and per client address (kept
// in the database, so every server process sees them). After a few failures each further one locks
// sign-in for that key with exponential back-off (30 s, 1 min, 2 min … up to an hour), answered
// with 429 and Retry-After before the password is even checked. A success clears the account's
// count; an address's count fades an hour after its last failure.
import { RateLimitedError } from '../core/errors.ts';
import type { SignInFailures } from './ports/records.ts';
import type { Runtime } from './ports/runtime.ts';

/** Failures allowed before the lock starts: a person mistyping is never locked out. */
export const FREE_FAILURES = { account: 5, address: 20 } as const;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 3_600_000;
const FORGET_AFTER_MS = 3_600_000;

export interface SignInKeys {
  account: string;
  address: string;
}

export function signInKeys(email: string, address: string): SignInKeys {
  return { account: `account:${email.trim().toLowerCase()}`, address: `address:${address}` };
}

/** The lock a key earns with `failures` failures (0: none yet). */
export function lockMs(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(BASE_LOCK_MS * 2 ** (failures - free), MAX_LOCK_MS);
}

function live(row: SignInFailures | undefined, now: number): SignInFailures | undefined {
  return row && now - row.last_at < Math.max(FORGET_AFTER_MS, row.locked_until - row.last_at) ? row : undefined;
}

function lockedError(until: number, now: number): RateLimitedError {
  const seconds = Math.max(1, Math.ceil((until - now) / 1000));
  const when = seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return new RateLimitedError(`too many failed sign-ins: try again in ${when}`, seconds);
}

/** Throws a RateLimitedError while either key is locked. */
export async function checkSignInAllowed(rt: Runtime, keys: SignInKeys, now: number): Promise<void> {
  const rows = await rt.store.accounts.failures([keys.account, keys.address]);
  const until = Math.max(0, ...rows.map((r) => (live(r, now) ? r.locked_until : 0)));
  if (until > now) throw lockedError(until, now);
}

export interface FailureOutcome {
  /** The account has just been locked for the first time in this run of failures: tell its owner. */
  accountJustLocked: boolean;
  accountFailures: number;
  /** Set when this failure locked either key: answer 429 now. */
  locked: RateLimitedError | null;
}

/** Counts one failed sign-in against both keys. */
export async function recordSignInFailure(rt: Runtime, keys: SignInKeys, now: number): Promise<FailureOutcome> {
  const rows = await rt.store.accounts.failures([keys.account, keys.address]);
  let until = 0;
  let accountFailures = 0;
  for (const [key, free] of [[keys.account, FREE_FAILURES.account], [keys.address, FREE_FAILURES.address]] as const) {
    const failures = (live(rows.find((r) => r.key === key), now)?.failures ?? 0) + 1;
    const lockedUntil = lockMs(failures, free) ? now + lockMs(failures, free) : 0;
    await rt.store.accounts.saveFailures({ key, failures, last_at: now, locked_until: lockedUntil });
    if (key === keys.account) accountFailures = failures;
    until = Math.max(until, lockedUntil);
  }
  return { accountJustLocked: accountFailures === FREE_FAILURES.account, accountFailures, locked: until > now ? lockedError(until, now) : null };
}

export async function recordSignInSuccess(rt: Runtime, keys: SignInKeys): Promise<void> {
  await rt.store.accounts.clearFailures(keys.account);
}
