// Passwords hashed with argon2id. The cost is RFC 9106's second recommended setting (64 MiB, three
// passes, four lanes: node-argon2's defaults, about 0.3 s and 0.45 s of CPU a hash on a 2-core VM).
// A hash records its parameters, so raising the cost later still verifies every stored password.
// argon2 (a native addon) is loaded on the first hash: most commands never sign anyone in.
import type { PasswordHasher } from '../app/ports/runtime.ts';

export interface PasswordCost {
  /** KiB of memory a hash fills. */
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const PASSWORD_COST: PasswordCost = { memoryCost: 65_536, timeCost: 3, parallelism: 4 };

export function argon2Passwords(cost: PasswordCost = PASSWORD_COST): PasswordHasher {
  return {
    async hash(password) {
      const argon2 = (await import('argon2')).default;
      return argon2.hash(password, { type: argon2.argon2id, ...cost });
    },
    async verify(hash, password) {
      const argon2 = (await import('argon2')).default;
      return argon2.verify(hash, password);
    },
  };
}
