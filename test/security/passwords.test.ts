// Passwords at rest: argon2id at RFC 9106's second recommended cost, and a stored hash verified with
// the parameters it records (tests elsewhere hash at a lighter cost: test/helpers/passwords.ts).
import { expect, it } from 'vitest';
import { argon2Passwords, PASSWORD_COST } from '../../src/runtime/passwords.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore } from '../../src/store/store.ts';
import { tempDb } from '../helpers/tmp.ts';
import { lightPasswords } from '../helpers/passwords.ts';

it('hashes with argon2id at 64 MiB, three passes and four lanes, salted, and checks the password', async () => {
  expect(PASSWORD_COST).toEqual({ memoryCost: 65_536, timeCost: 3, parallelism: 4 });
  const passwords = argon2Passwords();
  const one = await passwords.hash('correct horse battery staple');
  const two = await passwords.hash('correct horse battery staple');
  expect(one).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
  expect(two).not.toBe(one);
  expect(await passwords.verify(one, 'correct horse battery staple')).toBe(true);
  expect(await passwords.verify(one, 'correct horse battery stapl')).toBe(false);
});

it('is what a runtime hashes with unless told otherwise', async () => {
  const store = await openStore(tempDb().db);
  try {
    expect(await runtimeFor(store, { env: {} }).passwords.hash('x-y-z-w')).toMatch(/^\$argon2id\$v=19\$m=65536,p=4,t=3\$/);
  } finally {
    await store.close();
  }
});

it('verifies a hash made at another cost: the hash carries its parameters', async () => {
  const light = await lightPasswords.hash('another long password');
  expect(light).toMatch(/^\$argon2id\$v=19\$m=1024,p=1,t=1\$/);
  expect(await argon2Passwords().verify(light, 'another long password')).toBe(true);
  expect(await argon2Passwords().verify(light, 'another long passwor')).toBe(false);
});
