// Runs the autocannon driver in a second process and summarises what it measured.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { percentile } from '../lib.ts';
import type { LoadResult, LoadSpec } from './autocannon-driver.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const DRIVER = join(import.meta.dirname, 'autocannon-driver.ts');

export interface LoadSummary {
  connections: number;
  requests: number;
  seconds: number;
  perSec: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Loads `spec.url` from a child process; any error or non-2xx reply fails the run (its figures would mean nothing). */
export async function loadFromSecondProcess(spec: LoadSpec): Promise<LoadSummary> {
  const child = spawn(process.execPath, ['--import', 'tsx', DRIVER, JSON.stringify(spec)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`the load driver exited with ${code}`);
  const r = JSON.parse(out) as LoadResult;
  if (r.non2xx || r.errors || r.timeouts) {
    throw new Error(`load on ${spec.url}${spec.requests[0]?.path ?? ''}: ${r.non2xx} non-2xx replies, ${r.errors} errors, ${r.timeouts} timeouts`);
  }
  if (r.latencies.length === 0) throw new Error(`load on ${spec.url}: no replies in ${spec.seconds} s`);
  return {
    connections: spec.connections,
    requests: r.ok,
    seconds: r.seconds,
    perSec: r.ok / r.seconds,
    p50: percentile(r.latencies, 50),
    p99: percentile(r.latencies, 99),
    mean: r.latencies.reduce((a, b) => a + b, 0) / r.latencies.length,
  };
}
