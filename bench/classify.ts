// Benchmark of the inbound classifier over the fixture corpus, on one core.
// Baseline, measured in the same run: what every classifier pays anyway — Buffer → string and
// splitting the header block from the body. Run directly: node --import tsx bench/classify.ts
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify } from '../src/core/inbound/classify.ts';
import type { BenchResult } from './lib.ts';

const CORPUS = fileURLToPath(new URL('../test/fixtures/mail/', import.meta.url));

function loadCorpus(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...loadCorpus(p));
    else if (name.endsWith('.eml')) out.push(readFileSync(p));
  }
  return out;
}

/** Messages per second of `fn` over the corpus, repeated for about `ms` milliseconds. */
function measure(messages: readonly Buffer[], ms: number, fn: (b: Buffer) => unknown): number {
  let sink = 0;
  let count = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(ms) * 1_000_000n;
  let elapsed = 0n;
  while (elapsed < budget) {
    for (const m of messages) {
      if (fn(m)) sink++;
      count++;
    }
    elapsed = process.hrtime.bigint() - start;
  }
  if (sink < 0) console.log(sink); // keep the work observable
  return count / (Number(elapsed) / 1e9);
}

export async function benchClassify(): Promise<BenchResult> {
  const messages = loadCorpus(CORPUS);
  const bytes = messages.reduce((n, m) => n + m.length, 0);
  const now = new Date('2026-12-15T12:00:00Z');
  const baseline = (b: Buffer): boolean => {
    const s = b.toString('latin1');
    const i = s.indexOf('\n\n');
    return (i === -1 ? s : s.slice(0, i)).length > 0;
  };
  const run = (b: Buffer): boolean => classify(b, { now }).class !== 'other';
  // Warm up both paths so the JIT has compiled them before we time anything.
  measure(messages, 500, run);
  measure(messages, 200, baseline);
  const classifyRate = measure(messages, 3000, run);
  const baselineRate = measure(messages, 1000, baseline);
  const results = {
    messages: messages.length,
    corpusBytes: bytes,
    classifyMsgsPerSec: Math.round(classifyRate),
    classifyMBPerSec: Number(((classifyRate * bytes) / messages.length / 1e6).toFixed(2)),
    baselineMsgsPerSec: Math.round(baselineRate),
    baselineToClassifyRatio: Number((baselineRate / classifyRate).toFixed(1)),
  };
  const lines = [
    `corpus: ${messages.length} messages, ${(bytes / 1024).toFixed(0)} KiB (avg ${Math.round(bytes / messages.length)} B)`,
    `classify: ${results.classifyMsgsPerSec.toLocaleString('en-US')} msgs/s (${results.classifyMBPerSec} MB/s) on one core — target ≥ 2,000 msgs/s ${classifyRate >= 2000 ? 'met' : 'MISSED'}`,
    `baseline (Buffer→string + header/body split): ${results.baselineMsgsPerSec.toLocaleString('en-US')} msgs/s`,
    `ratio: classify costs ${results.baselineToClassifyRatio}× the baseline per message`,
  ];
  return { name: 'classify', lines, results };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchClassify();
  console.log(`# ${r.name}`);
  for (const l of r.lines) console.log(l);
}
