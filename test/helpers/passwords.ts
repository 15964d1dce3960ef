// The servers and workspaces tests build hash passwords with argon2id at its lightest cost: the same
// code and format as production, without the 0.45 s of CPU a production-cost hash takes, paid at each
// sign-up, sign-in and invitation of every test beside the others. The production cost has its own
// test (test/security/passwords.test.ts).
import { argon2Passwords } from '../../src/runtime/passwords.ts';

export const lightPasswords = argon2Passwords({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
