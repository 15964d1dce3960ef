// Secrets at rest (mailbox passwords, webhook signing secrets): AES-256-GCM under a workspace key,
// the app's Secrets port. The key is the one the adapter read from TALLY_SECRET_KEY when set (64 hex chars or 44 base64 chars: 32 bytes; any other text is hashed
// to 32 bytes), else from a key file created with mode 0600 next to the database
// (`<db dir>/tally.key`; `~/.tally/tally.key` for a PostgreSQL URL). Secrets are never printed or logged.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Secrets } from '../app/ports/runtime.ts';
import { TallyError } from '../core/errors.ts';
import { ensurePrivateDir, ensurePrivateFile, tallyHome } from './private-files.ts';

const VERSION = 'v1';

/** Where the key file lives for a store location. */
export function keyFilePath(location: string): string {
  if (/^postgres(ql)?:\/\//i.test(location) || location === ':memory:') return join(tallyHome(), 'tally.key');
  return join(dirname(location.replace(/^sqlite:/, '')), 'tally.key');
}

function keyFromText(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-f]{64}$/i.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(t)) return Buffer.from(t, 'base64');
  return createHash('sha256').update(t, 'utf8').digest();
}

/** The workspace key: the given key text ($TALLY_SECRET_KEY), else the key file (created on first use, mode 0600). */
export function workspaceKey(location: string, keyText?: string): Buffer {
  if (keyText && keyText.trim()) return keyFromText(keyText);
  const file = keyFilePath(location);
  if (existsSync(file)) {
    ensurePrivateFile(file);
    return keyFromText(readFileSync(file, 'utf8'));
  }
  ensurePrivateDir(dirname(file));
  writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  return keyFromText(readFileSync(file, 'utf8'));
}

/** A key for one purpose (encryption, unsubscribe tokens), so one key never serves two. */
export function derivedKey(key: Buffer, purpose: string): Buffer {
  return createHmac('sha256', key).update(`tally:${purpose}`).digest();
}

export function encryptSecret(plain: string, key: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derivedKey(key, 'secrets'), iv);
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
}

export function decryptSecret(blob: string, key: Buffer): string {
  const [version, iv, tag, ct] = blob.split(':');
  if (version !== VERSION || !iv || !tag || ct === undefined) throw new TallyError('the stored mailbox secret is unreadable (unknown format)', 'invalid');
  try {
    const decipher = createDecipheriv('aes-256-gcm', derivedKey(key, 'secrets'), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new TallyError('cannot decrypt the mailbox password: the workspace key changed (TALLY_SECRET_KEY or tally.key); run "tally mailbox add" again', 'invalid');
  }
}

/** The Secrets port for a store location; the key is read (or the key file made) on first use only. */
export function secretsAt(location: string, keyText?: string): Secrets {
  let key: Buffer | null = null;
  const workspace = () => (key ??= workspaceKey(location, keyText));
  return {
    seal: (plain) => encryptSecret(plain, workspace()),
    open: (sealed) => decryptSecret(sealed, workspace()),
    unsubscribeKey: () => derivedKey(workspace(), 'unsubscribe'),
  };
}
