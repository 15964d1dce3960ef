import { readdirSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/setup/sequencer.ts';

/**
 * The files `npm test` runs a second time with the clock days ahead: every file that can see the offset
 * (TALLY_CLOCK_OFFSET moves test/helpers/clock.ts's testNow, which the API harness and the browser
 * helper use, the page's clock in Chromium, and the CLI's clock unless TALLY_NOW pins it). A file that
 * pins every clock it uses (the use-case, CLI and store tests on TallyCli or a fixed instant) would
 * only repeat the same run: add it here once it reads the tests' clock. scripts/test.sh sets
 * TALLY_AHEAD_PASS to the offset; both passes then share one vitest run and its three workers, so
 * neither waits for the other's slowest file.
 */
const AHEAD_FILES = [
  'test/web/**/*.test.ts',
  // Every API file but the dashboard's, which pins its server's clock. (Listed rather than excluded: a
  // project's own exclude replaces the command line's --exclude.)
  ...readdirSync('test/api').filter((f) => f.endsWith('.test.ts') && f !== 'dashboard.test.ts').map((f) => `test/api/${f}`),
  'test/app/webhooks.test.ts',
];
const ALL_FILES = ['test/**/*.test.ts'];
const ahead = process.env.TALLY_AHEAD_PASS;

export default defineConfig({
  test: {
    // With projects, each names its own files (a list given here would be added to theirs).
    ...(ahead ? {} : { include: ALL_FILES }),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting on Chromium, PostgreSQL, Dovecot and SMTP, not on this process's
    // CPU: three files at a time on two cores (the default, cores − 1, ran one at a time).
    maxWorkers: 3,
    globalSetup: ['test/setup/build.ts', 'test/setup/postgres.ts'],
    sequence: { sequencer: LongestFirst },
    projects: ahead
      ? [
          { extends: true, test: { name: 'now', include: ALL_FILES } },
          { extends: true, test: { name: `clock ${ahead}`, include: AHEAD_FILES, env: { TALLY_CLOCK_OFFSET: ahead } } },
        ]
      : undefined,
  },
});
