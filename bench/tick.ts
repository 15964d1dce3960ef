// The scheduler tick at 100,000, 1,000,000 and 5,000,000 live enrollments with the same 10,000 due
// within the horizon: its time must follow the due work, not the enrollments stored. Each size is
// measured against the same run's baseline, reading those due rows (the tick's own query through the
// due-time index) with no rule applied, and the rows each tick reads are printed beside its time (the
// machine is noisy; rows read are not).
import { openContext } from '../src/app/context.ts';
import { HORIZON_MS, schedulerTick, type TickReport } from '../src/app/tick.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';
import { openSqliteStore, type Store } from '../src/store/store.ts';
import { fmt, log, type BenchResult } from './lib.ts';
import { tickDb } from './tick-fixture.ts';

/** Runs of each measure per size (baseline, first tick, steady ticks a minute apart): the median is reported (the VM's wall times jump between runs). */
const RUNS = 5;

/** The run of median wall time. */
function median<T extends { ms: number }>(runs: T[]): T {
  return [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)]!;
}
const MINUTE = 60_000;

/** A tick with the CPU time this process spent on it (the wall time is the machine's load as much as ours). */
type Timed = TickReport & { cpuMs: number };

interface Measured {
  n: number;
  baselineMs: number;
  baselineCpuMs: number;
  baselineRows: number;
  /** The first tick after opening the file, which reads the pages a tick needs from disk when they are not cached. */
  opening: Timed;
  first: Timed;
  steady: Timed;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timed(run: () => Promise<TickReport>): Promise<Timed> {
  const c = cpuMs();
  const r = await run();
  return { ...r, cpuMs: cpuMs() - c };
}

/** Back to the fixture as built: no tick state, no events, no holds (the bench leaves it so too). */
async function reset(store: Store): Promise<void> {
  for (const table of ['scheduler_state', 'scheduler_events', 'enrollment_holds'] as const) await store.db.deleteFrom(table).execute();
}

async function measure(n: number, due: number, now: number): Promise<Measured> {
  const path = await tickDb(n, due, now);
  const store = await openSqliteStore(path);
  try {
    await reset(store);
    const at = (t: number) => openContext(runtimeFor(store), { now: () => t });
    // Once, not measured for the rate: the pages a tick reads come into the page cache (the larger
    // files' were read from this VM's disk for seconds when another program had used the memory).
    log(`${fmt(n)}: a first tick after opening, to bring its pages into memory`);
    const opening = await timed(async () => schedulerTick(await at(now)));
    await reset(store);
    // Baseline: the rows the first tick checks, by the tick's own query, with no rule and nothing written.
    log(`${fmt(n)}: baseline, reading the ${fmt(due)} due rows, ${RUNS} times`);
    let baselineRows = 0;
    const baselines: { ms: number; cpuMs: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      baselineRows = 0;
      const b0 = performance.now();
      const c0 = cpuMs();
      for (let after: { dueAt: number; id: number } | undefined; ; ) {
        const rows = await store.due.tickRange(1, { dueBy: now + HORIZON_MS, after }, 5000);
        if (rows.length === 0) break;
        baselineRows += rows.length;
        const last = rows[rows.length - 1]!;
        after = { dueAt: last.dueAt, id: last.enrollmentId };
      }
      baselines.push({ ms: performance.now() - b0, cpuMs: cpuMs() - c0 });
    }
    const baseline = median(baselines);
    // The first tick from no state, RUNS times (each from a reset); the last one's state stays for the steady ticks.
    log(`${fmt(n)}: ${RUNS} first ticks (every touch due within the horizon)`);
    const firsts: Timed[] = [];
    for (let i = 0; i < RUNS; i++) {
      if (i > 0) await reset(store);
      const ctx = await at(now);
      firsts.push(await timed(() => schedulerTick(ctx)));
    }
    log(`${fmt(n)}: ${RUNS} steady ticks, a minute apart`);
    const steady: Timed[] = [];
    for (let i = 1; i <= RUNS; i++) {
      const later = await at(now + i * MINUTE);
      steady.push(await timed(() => schedulerTick(later)));
    }
    await reset(store);
    return { n, baselineMs: baseline.ms, baselineCpuMs: baseline.cpuMs, baselineRows, opening, first: median(firsts), steady: median(steady) };
  } finally {
    await store.close();
  }
}

const rate = (rows: number, ms: number) => rows / (ms / 1000);

/**
 * One unmeasured first tick and steady tick on the smallest fixture: a scheduler ticks every minute,
 * so its code is compiled and hot; a process's very first tick spends about half its time in the
 * JavaScript engine's warm-up (first ticks of 360–400 ms CPU cold against 160–190 ms warm at 100,000).
 */
async function warmUp(n: number, due: number, now: number): Promise<void> {
  const store = await openSqliteStore(await tickDb(n, due, now));
  try {
    await reset(store);
    log(`${fmt(n)}: warming up (one first and one steady tick, not measured)`);
    await schedulerTick(await openContext(runtimeFor(store), { now: () => now }));
    await schedulerTick(await openContext(runtimeFor(store), { now: () => now + MINUTE }));
    await reset(store);
  } finally {
    await store.close();
  }
}

/** `due` enrollments within the horizon at every size. */
export async function benchTick(sizes = [100_000, 1_000_000, 5_000_000], due = 10_000): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 23, 14, 0);
  const runs: Measured[] = [];
  await warmUp(sizes[0]!, due, now);
  for (const n of sizes) runs.push(await measure(n, due, now));
  const lines = runs.flatMap((m) => [
    `${fmt(m.n)} live enrollments, ${fmt(m.first.checked)} due within the horizon: first tick (median of ${RUNS}, each from no state) ${fmt(m.first.ms, 1)} ms (${fmt(m.first.cpuMs, 1)} ms CPU), ${fmt(rate(m.first.checked, m.first.ms))} enrollments/s, ${fmt(m.first.read)} rows read, ${fmt(m.first.held)} holds written; ` +
      `steady tick (median of ${RUNS}, a minute apart) ${fmt(m.steady.ms, 1)} ms (${fmt(m.steady.cpuMs, 1)} ms CPU), ${fmt(m.steady.checked)} checked, ${fmt(m.steady.read)} rows read, ${fmt(rate(m.steady.checked, m.steady.ms))} enrollments/s`,
    `  baseline, reading the same ${fmt(m.baselineRows)} due rows with no rules (median of ${RUNS}): ${fmt(m.baselineMs, 1)} ms (${fmt(m.baselineCpuMs, 1)} ms CPU), ${fmt(rate(m.baselineRows, m.baselineMs))} rows/s; ratio first tick/baseline ${fmt(m.first.ms / m.baselineMs, 2)}× (CPU ${fmt(m.first.cpuMs / m.baselineCpuMs, 2)}×)`,
    `  the same first tick right after opening the file, its pages not yet in memory (not in the rates): ${fmt(m.opening.ms, 1)} ms (${fmt(m.opening.cpuMs, 1)} ms CPU)`,
  ]);
  const [small, large] = [runs[0]!, runs[runs.length - 1]!];
  const firstRates = runs.map((m) => rate(m.first.checked, m.first.ms));
  const cpuRates = runs.map((m) => rate(m.first.checked, m.first.cpuMs));
  lines.push(
    `from ${fmt(small.n)} to ${fmt(large.n)} enrollments: first tick ${fmt(large.first.ms / small.first.ms, 2)}× (CPU ${fmt(large.first.cpuMs / small.first.cpuMs, 2)}×), steady tick ${fmt(large.steady.ms / small.steady.ms, 2)}× (CPU ${fmt(large.steady.cpuMs / small.steady.cpuMs, 2)}×), rows read ${fmt(large.first.read / small.first.read, 2)}× (target ≤ 1.5×)`,
    `due work: ${fmt(Math.min(...firstRates))}–${fmt(Math.max(...firstRates))} enrollments/s over the sizes (per CPU second: ${fmt(Math.min(...cpuRates))}–${fmt(Math.max(...cpuRates))}; target ≥ 100,000/s)`,
  );
  return {
    name: 'tick',
    lines,
    results: Object.fromEntries(
      runs.flatMap((m) => [
        [`firstMs_${m.n}`, m.first.ms],
        [`steadyMs_${m.n}`, m.steady.ms],
        [`baselineMs_${m.n}`, m.baselineMs],
        [`read_${m.n}`, m.first.read],
      ]),
    ),
  };
}
