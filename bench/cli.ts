// CLI start-up: `tally --version` and `tally today` on the demo workspace, each a fresh process as a rep
// runs them, against `node -e 0` (Node starting and doing nothing) measured in the same rounds.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, fmt, log, percentile, type BenchResult } from './lib.ts';

const ROOT = join(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'tally.js');
// The demo's week of history and today's queue are built around this instant.
const ENV = { ...process.env, TALLY_NOW: '2026-11-24T14:00:00Z' };

function run(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: ENV, encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
  return ms;
}

export async function benchCli(rounds = 40): Promise<BenchResult> {
  const db = join(dataDir(), 'cli-demo.db');
  rmSync(db, { force: true });
  log('building dist/ if stale and the demo workspace');
  run([BIN, '--db', db, 'demo']);
  const cases = {
    node: ['-e', '0'],
    version: [BIN, '--version'],
    today: [BIN, '--db', db, 'today'],
  };
  const times: Record<keyof typeof cases, number[]> = { node: [], version: [], today: [] };
  // Interleaved rounds, so a busy moment on the machine falls on all three alike.
  for (let i = 0; i < rounds; i++) {
    for (const [name, args] of Object.entries(cases)) times[name as keyof typeof cases].push(run(args));
  }
  const p50 = (name: keyof typeof cases) => percentile(times[name].sort((a, b) => a - b), 50);
  const base = p50('node');
  const version = p50('version');
  const today = p50('today');
  const line = (what: string, ms: number) => `${what}: p50 ${fmt(ms, 1)} ms, ${fmt(ms / base, 2)}× node -e 0 (target ≤ 3×)`;
  return {
    name: 'cli',
    lines: [
      `baseline, node -e 0: p50 ${fmt(base, 1)} ms (${rounds} rounds, each a fresh process, the three interleaved)`,
      line('tally --version', version),
      line('tally today on the demo workspace (300 prospects)', today),
    ],
    results: { baselineMs: base, versionMs: version, todayMs: today, versionRatio: version / base, todayRatio: today / base },
  };
}
