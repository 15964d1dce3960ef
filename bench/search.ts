// Board search at scale: `npm run bench -- search`. The board's page for a search of several words
// (each a prefix, accents and case ignored: the SQLite FTS5 index of migration 017) among 1,000,000
// prospects, as a manager sees it (the whole team) and as a rep does (their own), against an indexed
// point query on the same file in the same run.
import { openSqliteStore } from '../src/store/store.ts';
import { openContext } from '../src/app/context.ts';
import { listBoard } from '../src/app/board.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';
import { enrollmentsDb, pointQueryBaseline } from './today.ts';
import { fmt, percentile, sample, type BenchResult } from './lib.ts';

/** Full names, prefixes, a company and an email: common and rare words (bench/fixtures.ts names). */
const QUERIES = ['Zoe Schmidt', 'hana naka', 'Company 4711', 'chlo okaf', 'liam.garcia.4242', 'SOFÍA Pátel', 'head of operations rossi'];

export async function benchSearch(n = 1_000_000): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 23, 14, 0);
  const path = await enrollmentsDb(n, now);
  const store = await openSqliteStore(path);
  const rt = runtimeFor(store);
  const manager = await openContext(rt, { as: 'rep0@example.com', now: () => now });
  const rep = await openContext(rt, { as: 'rep7@example.com', now: () => now });
  const found: Record<string, number> = {};
  for (const q of QUERIES) found[q] = (await listBoard(manager, { search: q })).total; // warm-up, and what each finds
  const runs = 350;
  const team = await sample(runs, (i) => listBoard(manager, { search: QUERIES[i % QUERIES.length] }));
  const own = await sample(runs, (i) => listBoard(rep, { search: QUERIES[i % QUERIES.length] }));
  await store.close();

  const base = await pointQueryBaseline(path, n, runs * 10);

  const b50 = percentile(base, 50);
  const t50 = percentile(team, 50);
  const o50 = percentile(own, 50);
  return {
    name: 'search',
    lines: [
      `board search among ${fmt(n)} prospects, a page of 50 with the total, queries ${QUERIES.map((q) => `"${q}" (${fmt(found[q]!)})`).join(', ')}:`,
      `the team's board (manager): p50 ${fmt(t50, 2)} ms, p99 ${fmt(percentile(team, 99), 2)} ms over ${runs} runs (target p50 < 20 ms)`,
      `one rep's board (1 of 100 reps): p50 ${fmt(o50, 2)} ms, p99 ${fmt(percentile(own, 99), 2)} ms`,
      `baseline, indexed point query (prepared, by primary key): p50 ${fmt(b50 * 1000, 1)} µs`,
      `ratio search/baseline p50: team ${fmt(t50 / b50, 0)}×, rep ${fmt(o50 / b50, 0)}×`,
    ],
    results: { prospects: n, teamP50Ms: t50, repP50Ms: o50, baselineP50Ms: b50, ratio: t50 / b50 },
  };
}
