import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test time is spent waiting on Chromium, PostgreSQL, Dovecot and SMTP, not on this process's
    // CPU: three files at a time on two cores (the default, cores − 1, ran one at a time).
    maxWorkers: 3,
    globalSetup: ['test/setup/build.ts', 'test/setup/postgres.ts'],
  },
});
