// Secrets handed out (session, invitation, API, reset tokens, setup codes) are stored only as their
// SHA-256: a copy of the database lets nobody sign in. Compared in constant time where it matters.
import { createHash, timingSafeEqual } from 'node:crypto';

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of two short strings (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
