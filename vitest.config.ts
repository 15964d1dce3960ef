import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/setup/sequencer.ts';

/** Whether a test file reads the tests' clock: directly, or through the API harness, the browser helper or the demo stores. */
const readsClock = (file: string) => /from '\.\.\/(helpers\/clock|api\/harness|helpers\/browser|helpers\/demo-store)\.ts'/.test(readFileSync(file, 'utf8'));

/**
 * The files `npm test` runs a second time with the clock days ahead: every file that can see the offset
 * (TALLY_CLOCK_OFFSET moves test/helpers/clock.ts's testNow, which the API harness and the browser
 * helper use, and the page's clock in Chromium): all browser and API files, and the use-case, CLI and
 * store files that read that clock. The others there pin every clock they use (TallyCli's TALLY_NOW,
 * a fixed instant): the offset cannot reach them, and a second run would repeat the first.
 * scripts/test.sh sets TALLY_AHEAD_PASS to the offset; both passes then share one vitest run and its
 * three workers, so neither waits for the other's slowest file.
 */
const AHEAD_FILES = [
  'test/web/**/*.test.ts',
  'test/api/**/*.test.ts',
  ...['test/app', 'test/cli', 'test/store'].flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => `${dir}/${f}`)).filter(readsClock),
];
const ALL_FILES = ['test/**/*.test.ts'];
const ahead = process.env.TALLY_AHEAD_PASS;

export default defineConfig({
  test: {
    // With projects, each names its own files (a list given here would be added to theirs).
    ...(ahead ? {} : { include: ALL_FILES }),
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // expect.poll's default 1 s is shorter than a page's fetch and render when three browser files
    // share two cores (CI failed on a preview table still empty after 1 s): a poll that succeeds
    // returns as soon as it does, so a longer bound costs nothing when the machine is idle.
    expect: { poll: { timeout: 10_000 } },
    pool: 'forks',
    // A file's worker is reused for the next file of its project, the app's modules already imported:
    // importing them anew for every file took 435 s of the suite's CPU (two cores). Each file gets
    // the environment variables the worker started with (test/setup/file-env.ts); a test that
    // registers a channel takes it away after its tests; nothing else keeps state between files (no
    // mocks, stubbed globals or module-level clocks beyond the project's TALLY_CLOCK_OFFSET, and
    // projects never share a worker).
    isolate: false,
    setupFiles: ['test/setup/file-env.ts'],
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
