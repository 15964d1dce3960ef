// Board search at scale on PostgreSQL: `npm run bench -- search-pg`. The `search` bench's calls (the
// board's page of a search, as the manager and as a rep, among 1,000,000 prospects) on a throwaway
// server filled with the `today` fixture (restored from bench/.data's dump, see today-pg.ts), against
// an indexed point query (prepared, by primary key, through `pg`) on the same server in the same run.
import pg from 'pg';
import { openPostgresStore } from '../src/store/store.ts';
import { fixtureServer } from './today-pg.ts';
import { NOW, RUNS, searchLines, searchTimes, type SearchTimes } from './search.ts';
import { fmt, log, percentile, sample, type BenchResult } from './lib.ts';

export async function benchSearchPg(n = 1_000_000): Promise<BenchResult> {
  const { server, url, loaded } = await fixtureServer(n, NOW);
  try {
    log('opening the store (the migrations build the search index), then vacuum analyze');
    const opened = performance.now();
    const store = await openPostgresStore(url);
    const openMs = performance.now() - opened;
    const raw = new pg.Client({ connectionString: url });
    raw.on('error', () => undefined); // the server is stopped below, whatever happens
    await raw.connect();
    await raw.query('vacuum analyze');
    let t: SearchTimes;
    try {
      t = await searchTimes(store);
    } finally {
      await store.close();
    }
    log(`baseline: the point query through pg, ${RUNS * 10} runs`);
    const point = (i: number) => ({ name: 'point', text: 'select * from prospects where id = $1', values: [1 + ((i * 7919) % n)] });
    for (let i = 0; i < 1000; i++) await raw.query(point(i));
    const base = await sample(RUNS * 10, (i) => raw.query(point(i)));
    const index = await raw.query<{ bytes: string }>("select pg_total_relation_size('prospect_search') as bytes");
    await raw.end();
    const b50 = percentile(base, 50);
    return {
      name: 'search-pg',
      lines: [
        ...searchLines(n, t, base, 'indexed point query on PostgreSQL (prepared, by primary key, through pg)'),
        `the search index (table and GIN index): ${fmt(Number(index.rows[0]!.bytes) / 2 ** 20, 1)} MiB; loading: ${loaded.how}; opening (migrations) ${fmt(openMs / 1000, 1)} s`,
      ],
      results: { prospects: n, teamP50Ms: percentile(t.team, 50), repP50Ms: percentile(t.own, 50), baselineP50Ms: b50, ratio: percentile(t.team, 50) / b50, openMs },
    };
  } finally {
    server.stop();
  }
}
