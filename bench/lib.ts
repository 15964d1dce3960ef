// Shared helpers for benchmarks: every benchmark reports absolute figures and a ratio
// against a baseline measured in the same run, on the same machine.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchResult {
  name: string;
  /** Human lines, printed and written to docs/benchmarks.md. */
  lines: string[];
  /** Machine figures (for --json and regression checks). */
  results: Record<string, number>;
}

export const DATA_DIR = join(import.meta.dirname, '.data');

export function dataDir(): string {
  mkdirSync(DATA_DIR, { recursive: true });
  return DATA_DIR;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Runs `fn` `n` times and returns the per-run durations in milliseconds, sorted. */
export async function sample(n: number, fn: (i: number) => unknown | Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function log(line: string): void {
  process.stderr.write(`  … ${line}\n`);
}

/** SIGTERM to each process still running (SIGKILL after 20 s), and waits for them all to exit. */
export async function stopProcesses(children: ChildProcess[]): Promise<void> {
  await Promise.all(
    children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGTERM');
      const killer = setTimeout(() => c.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(killer);
    }),
  );
}
