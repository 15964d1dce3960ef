// The files share their worker process (isolate: false in vitest.config.ts: the app is imported once
// per worker, not once per file). Each file still starts from the environment variables the worker
// started with: a file that sets a key or a password for its servers leaves nothing to the next.
import { afterAll } from 'vitest';

const started = { ...process.env };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in started)) delete process.env[key];
  Object.assign(process.env, started);
});
