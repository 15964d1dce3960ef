// Temporary directories that are removed after the test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh temporary directory, removed when the current test file finishes. */
export function tempDir(prefix = 'tally-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes `content` to `dir/name` and returns the path. */
export function writeFile(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A fresh database path in a new temporary directory. */
export function tempDb(name = 'tally.db'): { dir: string; db: string } {
  const dir = tempDir();
  return { dir, db: join(dir, name) };
}
