// The load script (`npm run load`, bench/load) at a tiny size for a few seconds, on the suite's
// PostgreSQL: it seeds, starts real `tally serve` and `tally worker` processes, and reports every
// endpoint and job kind with no failure — so the script the scale model relies on does not rot.
import { describe, expect, it } from 'vitest';
import { reportLines, runLoad } from '../../bench/load/run.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

describe('npm run load', () => {
  it('drives servers and workers with the mix and reports throughput and p99 per endpoint and job kind', async () => {
    const db = await createTestDatabase();
    const report = await runLoad({ workspaces: 2, reps: 2, prospects: 4, seconds: 4, servers: 1, workers: 1, clients: 2, every: 1, db });
    for (const e of report.endpoints) {
      expect(e.failures, e.name).toEqual([]);
      expect(e.latencies.length, e.name).toBeGreaterThan(0);
    }
    const jobs = Object.fromEntries(report.jobs.map((j) => [j.kind, j]));
    expect(jobs.tick!.failed).toBe(0);
    expect(jobs.tick!.completed).toBeGreaterThan(0);
    expect(jobs.send!.failed).toBe(0);
    // 2 workspaces × 2 reps × 2 prospects in the mail cadence, each one mail due now: each sent once at most.
    expect(report.mailsReceived).toBeGreaterThan(0);
    expect(report.mailsReceived).toBeLessThanOrEqual(8);
    expect(report.mailsDuplicated).toBe(0);
    const lines = reportLines(report).join('\n');
    // Figures are written with thousands separators ("p99 1,096.2 ms" on a loaded machine).
    expect(lines).toMatch(/GET \/api\/queue: [\d.,]+ requests\/s \([\d,]+\), p50 [\d.,]+ ms, p99 [\d.,]+ ms/);
    expect(lines).toMatch(/job send: [\d.,]+ jobs\/s/);
  }, 240_000);
});
