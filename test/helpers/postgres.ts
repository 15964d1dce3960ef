// A PostgreSQL database of its own for each test file, on the server the global setup started,
// so files run in parallel without seeing each other's rows. Dropped after the file.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

/** The server's maintenance database URL (postgres://…/postgres). */
export function postgresServerUrl(): string {
  const url = inject('postgresUrl') || process.env.TALLY_TEST_DATABASE_URL;
  if (!url) throw new Error('no PostgreSQL server for the tests: is test/setup/postgres.ts the globalSetup in vitest.config.ts?');
  return url;
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresServerUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const created: string[] = [];
// Registered when a test file imports this helper, so databases made in hooks are dropped too.
afterAll(async () => {
  if (created.length === 0) return;
  await admin(async (c) => {
    for (const name of created.splice(0)) await c.query(`drop database if exists ${name} with (force)`);
  });
});

/** Creates `tally_<random>` and returns its URL; dropped when the current test file finishes. */
export async function createTestDatabase(): Promise<string> {
  const name = `tally_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`create database ${name}`));
  created.push(name);
  const url = new URL(postgresServerUrl());
  url.pathname = `/${name}`;
  return url.toString();
}
