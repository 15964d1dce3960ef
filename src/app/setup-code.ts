// Claiming a server: until someone has a password, the first sign-up owns the workspace. So that
// this is the person who started the server and not whoever reaches it first, `tally init` and
// `tally serve` print a one-time setup code (stored as a hash; a new one replaces the last) that
// the sign-up must give.
import { TallyError } from '../core/errors.ts';
import { hashSecret } from './secrets-hash.ts';
import type { Runtime } from './ports/runtime.ts';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** "K7QM-2XPA-RT9C-HW4E": 80 bits, no look-alike characters, easy to type from a terminal. */
function newCode(random: string): string {
  const bytes = Buffer.from(random, 'base64url');
  const chars = Array.from({ length: 16 }, (_, i) => ALPHABET[bytes[i]! % ALPHABET.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

function normalise(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/(.{4})(?=.)/g, '$1-');
}

/** A fresh setup code while nobody owns the server (null once someone does). */
export async function issueSetupCode(rt: Runtime, now = rt.now()): Promise<string | null> {
  if (await rt.store.users.anyWithPassword()) {
    await rt.store.accounts.clearSetupCodes();
    return null;
  }
  const code = newCode(rt.ids.secret());
  await rt.store.accounts.setSetupCode(hashSecret(code), now);
  return code;
}

/** Throws unless `code` is the server's current setup code. */
export async function requireSetupCode(rt: Runtime, code: string | undefined): Promise<void> {
  const given = normalise(code ?? '');
  if (!given || !(await rt.store.accounts.hasSetupCode(hashSecret(given)))) {
    throw new TallyError('the setup code is missing or wrong: use the one "tally serve" (or "tally init") printed when it started', 'forbidden', { field: 'setupCode' });
  }
}

export async function useSetupCode(rt: Runtime): Promise<void> {
  await rt.store.accounts.clearSetupCodes();
}
