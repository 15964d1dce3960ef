// Board search at scale: `npm run bench -- search`. The board's page for a search of several words
// (each a prefix, accents and case ignored: the SQLite FTS5 index of migrations 017 and 022, which
// holds each prospect's workspace and owner too) among 1,000,000 prospects, as a manager sees it
// (the whole team) and as a rep does (their own), against an indexed point query on the same file
// in the same run. `search-pg` (bench/search-pg.ts) measures the same calls on PostgreSQL.
import { openSqliteStore, type Store } from '../src/store/store.ts';
import { openContext } from '../src/app/context.ts';
import { listBoard } from '../src/app/board.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';
import { enrollmentsDb, pointQueryBaseline } from './today.ts';
import { fmt, log, percentile, sample, type BenchResult } from './lib.ts';

/** Full names, prefixes, a company and an email: common and rare words (bench/fixtures.ts names). */
export const QUERIES = ['Zoe Schmidt', 'hana naka', 'Company 4711', 'chlo okaf', 'liam.garcia.4242', 'SOFÍA Pátel', 'head of operations rossi'];
export const RUNS = 350;
export const NOW = Date.UTC(2026, 10, 23, 14, 0);

export interface SearchTimes {
  /** What each query finds on the manager's board. */
  found: Record<string, number>;
  team: number[];
  own: number[];
}

/** The board's search as the manager (rep0, the whole team) and as rep7 (their own), `RUNS` times each, sorted. */
export async function searchTimes(store: Store): Promise<SearchTimes> {
  const rt = runtimeFor(store);
  const manager = await openContext(rt, { as: 'rep0@example.com', now: () => NOW });
  const rep = await openContext(rt, { as: 'rep7@example.com', now: () => NOW });
  const found: Record<string, number> = {};
  for (const q of QUERIES) found[q] = (await listBoard(manager, { search: q })).total; // warm-up, and what each finds
  for (const q of QUERIES) await listBoard(rep, { search: q });
  log(`search: ${RUNS} runs as the manager, ${RUNS} as a rep`);
  const team = await sample(RUNS, (i) => listBoard(manager, { search: QUERIES[i % QUERIES.length] }));
  const own = await sample(RUNS, (i) => listBoard(rep, { search: QUERIES[i % QUERIES.length] }));
  return { found, team, own };
}

/** The report's lines on the search times, against the baseline's sorted times (ms). */
export function searchLines(n: number, t: SearchTimes, base: number[], baseName: string): string[] {
  const b50 = percentile(base, 50);
  const t50 = percentile(t.team, 50);
  const o50 = percentile(t.own, 50);
  const us = (ms: number) => (ms < 1 ? `${fmt(ms * 1000, 1)} µs` : `${fmt(ms, 3)} ms`);
  return [
    `board search among ${fmt(n)} prospects, a page of 50 with the total, queries ${QUERIES.map((q) => `"${q}" (${fmt(t.found[q]!)})`).join(', ')}:`,
    `the team's board (manager): p50 ${fmt(t50, 2)} ms, p99 ${fmt(percentile(t.team, 99), 2)} ms over ${RUNS} runs (target p50 < 20 ms)`,
    `one rep's board (1 of 100 reps): p50 ${fmt(o50, 2)} ms, p99 ${fmt(percentile(t.own, 99), 2)} ms`,
    `baseline, ${baseName}: p50 ${us(b50)}`,
    `ratio search/baseline p50: team ${fmt(t50 / b50, 0)}×, rep ${fmt(o50 / b50, 0)}×`,
  ];
}

export async function benchSearch(n = 1_000_000): Promise<BenchResult> {
  const path = await enrollmentsDb(n, NOW);
  log('opening the fixture (a newer search index is built once, by the migration)');
  const opened = performance.now();
  const store = await openSqliteStore(path);
  const openMs = performance.now() - opened;
  let t: SearchTimes;
  try {
    t = await searchTimes(store);
  } finally {
    await store.close();
  }
  const base = await pointQueryBaseline(path, n, RUNS * 10);
  const lines = searchLines(n, t, base, 'indexed point query (prepared, by primary key)');
  if (openMs > 5_000) lines.push(`opening the fixture ran its pending migrations in ${fmt(openMs / 1000, 1)} s`);
  const b50 = percentile(base, 50);
  return {
    name: 'search',
    lines,
    results: { prospects: n, teamP50Ms: percentile(t.team, 50), repP50Ms: percentile(t.own, 50), baselineP50Ms: b50, ratio: percentile(t.team, 50) / b50 },
  };
}
