// Benchmark of the inbound classifier over the shared real-world corpus (../shared/corpora/bounces),
// on one core. Baseline, measured in the same run on the same messages: what every classifier
// pays anyway — reading the file and splitting the header block from the body.
// Run directly: node --import tsx bench/classify.ts (or npm run bench -- classify).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify } from '../src/core/inbound/classify.ts';
import { bounceCorpusDir, loadCorpus } from '../test/core/inbound/shared-corpus.ts';
import type { BenchResult } from './lib.ts';

const TARGET = 5000;

/**
 * Messages per CPU second of `fn` over the messages, repeated for about `ms` milliseconds of CPU.
 * CPU time, not wall time: the machine is shared, and "on one core" means the work one core does
 * (the process's CPU time also counts the garbage collector's helper threads, so this errs low).
 */
function measure<T>(items: readonly T[], ms: number, fn: (x: T) => unknown): number {
  let sink = 0;
  let count = 0;
  const start = process.cpuUsage();
  const cpu = (): number => {
    const u = process.cpuUsage(start);
    return (u.user + u.system) / 1000;
  };
  while (cpu() < ms) {
    for (const x of items) {
      if (fn(x)) sink++;
      count++;
    }
  }
  if (sink < 0) console.log(sink); // keep the work observable
  return count / (cpu() / 1000);
}

export async function benchClassify(): Promise<BenchResult> {
  const dir = bounceCorpusDir();
  const corpus = loadCorpus(dir);
  const messages = corpus.map((c) => c.raw);
  const paths = corpus.map((c) => join(dir, c.entry.file));
  const bytes = messages.reduce((n, m) => n + m.length, 0);
  const readAndSplit = (path: string): boolean => {
    const s = readFileSync(path).toString('latin1');
    const i = s.indexOf('\n\n');
    return (i === -1 ? s : s.slice(0, i)).length > 0;
  };
  const run = (b: Buffer): boolean => classify(b).class !== 'other';
  // Warm up both paths so the JIT has compiled them before anything is timed.
  measure(messages, 1500, run);
  measure(paths, 300, readAndSplit);
  const classifyRate = measure(messages, 4000, run);
  const baselineRate = measure(paths, 1500, readAndSplit);
  const results = {
    messages: messages.length,
    corpusBytes: bytes,
    classifyMsgsPerSec: Math.round(classifyRate),
    classifyMBPerSec: Number(((classifyRate * bytes) / messages.length / 1e6).toFixed(2)),
    baselineMsgsPerSec: Math.round(baselineRate),
    baselineToClassifyRatio: Number((baselineRate / classifyRate).toFixed(1)),
  };
  const lines = [
    `corpus: the shared real-world bounce corpus, ${messages.length} messages, ${(bytes / 1024).toFixed(0)} KiB (avg ${Math.round(bytes / messages.length)} B)`,
    `classify: ${results.classifyMsgsPerSec.toLocaleString('en-US')} msgs/s (${results.classifyMBPerSec} MB/s) per CPU second on one core — target ≥ ${TARGET.toLocaleString('en-US')} msgs/s ${classifyRate >= TARGET ? 'met' : 'MISSED'}`,
    `baseline (read the file + split header/body): ${results.baselineMsgsPerSec.toLocaleString('en-US')} msgs/s`,
    `ratio: classifying costs ${results.baselineToClassifyRatio}× reading and splitting the same message`,
  ];
  return { name: 'classify', lines, results };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const r = await benchClassify();
  console.log(`# ${r.name}`);
  for (const l of r.lines) console.log(l);
}
