// Randomness for the app's Ids port: node's CSPRNG.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Ids } from '../app/ports/runtime.ts';

export const cryptoIds: Ids = {
  secret: () => randomBytes(32).toString('base64url'),
  hex: (bytes) => randomBytes(bytes).toString('hex'),
  uuid: () => randomUUID().replace(/-/g, ''),
  fraction: () => randomInt(2 ** 47) / 2 ** 47,
};
