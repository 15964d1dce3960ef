// Vitest global setup: one PostgreSQL server for the whole run (each test file makes its own
// database on it). TALLY_TEST_DATABASE_URL points the tests at an existing server instead.
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../helpers/postgres-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const given = process.env.TALLY_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgresUrl', given);
    return undefined;
  }
  const server = await startPostgres();
  process.env.TALLY_TEST_DATABASE_URL = server.url;
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
