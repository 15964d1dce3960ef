// `npm run bench [-- NAME… --scale 0.1]`: runs the benchmarks, prints them and records them in docs/benchmarks.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchImport } from './import.ts';
import { benchToday } from './today.ts';
import { benchTick } from './tick.ts';
import { benchApi } from './api.ts';
import { benchTodayPg } from './today-pg.ts';
import { benchCli } from './cli.ts';
import type { BenchResult } from './lib.ts';

const args = process.argv.slice(2);
const scaleAt = args.indexOf('--scale');
const scale = scaleAt >= 0 ? Number(args[scaleAt + 1]) : 1;
const names = args.filter((a, i) => !a.startsWith('--') && (scaleAt < 0 || i !== scaleAt + 1));

const BENCHES: Record<string, () => Promise<BenchResult>> = {
  import: () => benchImport(Math.round(1_000_000 * scale)),
  today: () => benchToday(Math.round(1_000_000 * scale)),
  // The same due work at three sizes: 100,000, 1,000,000 and 5,000,000 live enrollments, 10,000 due.
  tick: () => benchTick([100_000, 1_000_000, 5_000_000].map((n) => Math.round(n * scale)), Math.round(10_000 * Math.min(1, scale))),
  // Load runs last 15 s each at full scale; shorter while developing.
  api: () => benchApi(Math.round(1_000_000 * scale), scale === 1 ? 15 : 5),
  'today-pg': () => benchTodayPg(Math.round(1_000_000 * scale)),
  // Loaded when asked for: it starts `tally worker` processes (src/jobs). 4,000 mails and 40,000 live
  // enrollments per worker count keep the three runs within minutes on a 2-core machine.
  workers: async () => (await import('./workers.ts')).benchWorkers(Math.round(4_000 * scale)),
  // Start-up of the compiled CLI: 40 rounds of three fresh processes.
  cli: () => benchCli(Math.max(5, Math.round(40 * scale))),
};
const optional: Record<string, string> = { classify: './classify.ts', send: './send.ts', 'import-load': './import-load.ts', sync: './sync.ts', 'queue-ui': './queue-ui.ts', search: './search.ts', 'search-pg': './search-pg.ts' };

const selected = names.length ? names : [...Object.keys(BENCHES), ...Object.keys(optional)];
const results: BenchResult[] = [];
for (const name of selected) {
  let run = BENCHES[name];
  if (!run && optional[name]) {
    const mod = (await import(optional[name])) as Record<string, unknown>;
    const fn = Object.values(mod).find((v) => typeof v === 'function' && /^bench/.test((v as { name: string }).name)) as (() => Promise<BenchResult>) | undefined;
    if (fn) run = fn;
  }
  if (!run) {
    process.stderr.write(`unknown benchmark "${name}" (have: ${[...Object.keys(BENCHES), ...Object.keys(optional)].join(', ')})\n`);
    process.exit(2);
  }
  process.stderr.write(`${name}:\n`);
  const r = await run();
  results.push(r);
  for (const line of r.lines) process.stdout.write(`${name}: ${line}\n`);
}

// Record: each benchmark owns a section between markers, replaced on every full-scale run.
if (scale === 1) {
  const file = join(import.meta.dirname, '..', 'docs', 'benchmarks.md');
  let doc = readFileSync(file, 'utf8');
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`;
  for (const r of results) {
    const body = `<!-- bench:${r.name} -->\nMeasured ${new Date().toISOString().slice(0, 10)} on ${machine}:\n\n${r.lines.map((l) => `- ${l}`).join('\n')}\n<!-- /bench:${r.name} -->`;
    const re = new RegExp(`<!-- bench:${r.name} -->[\\s\\S]*?<!-- /bench:${r.name} -->`);
    doc = re.test(doc) ? doc.replace(re, body) : `${doc.trimEnd()}\n\n## ${r.name}\n\n${body}\n`;
  }
  writeFileSync(file, doc);
  process.stderr.write(`recorded in ${file}\n`);
}
