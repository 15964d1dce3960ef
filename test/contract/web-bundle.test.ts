// The web app shares the contract and the core's constants with the server, and nothing else of
// it: the bundle holds no server code (Fastify, Kysely, drivers, node: modules) and no zod (the
// client takes only types from the contract; the server checks every answer against the schemas).
import { join, relative, resolve } from 'node:path';
import { build, type Rollup } from 'vite';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const WEB = join(ROOT, 'web');

async function bundledModules(): Promise<string[]> {
  const out = (await build({ root: WEB, configFile: join(WEB, 'vite.config.ts'), logLevel: 'silent', build: { write: false } })) as Rollup.RollupOutput;
  return out.output.flatMap((o) => (o.type === 'chunk' ? o.moduleIds : [])).map((id) => relative(ROOT, id.replace(/^\0/, '')));
}

describe('the web bundle', () => {
  it('takes from src/ only pure core modules, and no server package or node: module', async () => {
    const modules = await bundledModules();
    const fromSrc = modules.filter((m) => m.startsWith('src/'));
    expect(fromSrc).toContain('src/core/types.ts');
    expect(fromSrc.filter((m) => !m.startsWith('src/core/'))).toEqual([]);
    const packages = new Set(modules.flatMap((m) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(m)?.[1] ?? []));
    for (const server of ['zod', 'fastify', 'kysely', 'better-sqlite3', 'pg', 'luxon', 'nodemailer', 'imapflow', 'argon2']) {
      expect(packages.has(server), server).toBe(false);
    }
    expect(modules.filter((m) => m.includes('node:') || m.startsWith('__vite-browser-external'))).toEqual([]);
  });
});
