// Vitest global setup: the tests that start `tally` as a process run the compiled CLI in dist/, so
// it is rebuilt first when a source changed (bin/tally.js would do it too, but once here rather than
// in whichever test happens to start first).
import { ensureBuilt } from '../../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await ensureBuilt((line) => process.stderr.write(`${line}\n`));
}
