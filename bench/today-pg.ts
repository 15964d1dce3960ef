// `today` for one rep among N enrollments on PostgreSQL (the same service call as the `today` bench),
// against pgbench running the plain indexed page query on the same server in the same run.
// The server is a throwaway one (the test helper's); the data is the `today` fixture moved over with
// `tally db copy`, then kept as a pg_dump in bench/.data so later runs restore it instead.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { openContext, userZone, type Context } from '../src/app/context.ts';
import { endOfLocalDay, PAGE_DRAFTS, todayQueue as queueOf, type Queue } from '../src/app/queue.ts';
import { copyStore } from '../src/store/copy.ts';
import { openPostgresStore, openSqliteStore, type Store } from '../src/store/store.ts';
import { findServerBin, startPostgres, type PostgresServer } from '../test/helpers/postgres-server.ts';
import { enrollmentsDb, REPS } from './today.ts';
import { dataDir, fmt, log, percentile, sample, type BenchResult } from './lib.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';

const RUNS = 300;
const PGBENCH_SECONDS = 10;
/** The ten reps the `today` bench asks for: rep0, rep10 … rep90 have user ids 1, 11 … 91. */
const REP_EMAILS = Array.from({ length: 10 }, (_, i) => `rep${i * 10}@example.com`);

/** The plain page read the queue starts from: one rep's due enrollments in due order, off the queue index. */
const pageQuery = (owner: string, until: number) =>
  `select * from enrollments where owner_id = ${owner} and status = 'active' and due_at <= ${until} order by due_at limit 100`;

interface Loaded {
  how: string;
  ms: number;
}

/** Fills `url` with the fixture: restored from the cached dump, else copied from SQLite (and dumped for next time). */
async function load(url: string, sqlitePath: string, n: number, bin: string): Promise<Loaded> {
  const dump = join(dataDir(), `enrollments-${n}.pgdump`);
  const meta = `${dump}.json`;
  // Like the SQLite fixtures, the dump is made once per size: delete bench/.data to rebuild them all.
  // A dump from an older schema is fine: opening the store runs the newer migrations.
  if (existsSync(dump) && existsSync(meta)) {
    const copied = JSON.parse(readFileSync(meta, 'utf8')) as { copyMs: number; rows: number };
    log(`restoring the cached dump ${dump}`);
    const t = performance.now();
    execFileSync(join(bin, 'pg_restore'), ['--no-owner', '-j', '2', '-d', url, dump], { stdio: ['ignore', 'ignore', 'inherit'] });
    const ms = performance.now() - t;
    return { how: `restored from the cached pg_dump in ${fmt(ms / 1000, 1)} s (tally db copy of the ${fmt(copied.rows)} rows took ${fmt(copied.copyMs / 1000, 1)} s when it was made)`, ms };
  }
  log(`tally db copy: ${fmt(n)} enrollments from SQLite into PostgreSQL (once; cached as a pg_dump)`);
  const source = await openSqliteStore(sqlitePath);
  const target = await openPostgresStore(url);
  let report;
  const t = performance.now();
  try {
    let shown = 0;
    report = await copyStore(source, target, {
      onProgress: (p) => {
        if (p.done - shown >= 250_000) {
          shown = p.done;
          log(`${fmt(p.done)} of ${fmt(p.total)} rows (${p.table})`);
        }
      },
    });
  } finally {
    await source.close();
    await target.close();
  }
  const ms = performance.now() - t;
  execFileSync(join(bin, 'pg_dump'), ['-Fc', '-f', `${dump}.tmp`, url], { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(`${dump}.tmp`, dump);
  writeFileSync(meta, JSON.stringify({ copyMs: ms, rows: report.total }));
  return { how: `tally db copy of ${fmt(report.total)} rows in ${fmt(ms / 1000, 1)} s (${fmt(report.total / (ms / 1000))} rows/s)`, ms };
}

/**
 * A statement as a pgbench script: its numeric values as pgbench variables (sent as parameters of a
 * prepared statement with `-M prepared`), its text values written into the SQL as literals.
 */
function pgbenchScript(text: string, values: readonly unknown[]): string {
  const sets = new Set<string>();
  const body = text.replace(/\$(\d+)/g, (_, n: string) => {
    const v = values[Number(n) - 1];
    if (typeof v === 'number') {
      sets.add(`\\set p${n} ${v}`);
      return `:p${n}`;
    }
    return sqlLiteral(v);
  });
  return `${[...sets].join('\n')}\n${body};\n`;
}

/** A value as SQL text: null, a number or a boolean as it is, anything else a quoted string. */
function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `'${String(v).replaceAll("'", "''")}'`;
}

/** A statement with its values written into the SQL as literals (the page's cards kept in a table below). */
const literalSql = (text: string, values: readonly unknown[]) => text.replace(/\$(\d+)/g, (_, n: string) => sqlLiteral(values[Number(n) - 1]));

/** pgbench with a custom script, one client: per-transaction latencies from its log (µs → ms), sorted. */
function pgbench(bin: string, url: string, script: string, seconds: number, mode: 'simple' | 'prepared' = 'simple'): number[] | null {
  const exe = join(bin, 'pgbench');
  if (!existsSync(exe)) return null;
  const dir = mkdtempSync(join(dataDir(), 'pgbench-'));
  try {
    const file = join(dir, 'page.sql');
    writeFileSync(file, script);
    const u = new URL(url);
    const conn = ['-h', u.hostname, '-p', u.port, '-U', decodeURIComponent(u.username), u.pathname.slice(1)];
    const run = (args: string[]) => {
      const r = spawnSync(exe, ['-n', '-M', mode, '-f', file, '-c', '1', ...args, ...conn], { cwd: dir, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`pgbench failed (exit ${r.status}): ${r.stderr.trim()}`);
    };
    run(['-T', '2']); // warm-up
    run(['-T', String(seconds), '-l', '--log-prefix', join(dir, 'log')]);
    const out: number[] = [];
    for (const f of readdirSync(dir).filter((f) => f.startsWith('log'))) {
      // Each line: client_id transaction_no time_us script_no epoch epoch_us
      for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) {
        const us = Number(l.split(' ')[2]);
        if (l && Number.isFinite(us)) out.push(us / 1000);
      }
    }
    return out.sort((a, b) => a - b);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What each row of the big tables costs on disk, all its indexes included (the scale model's sizes). */
async function bytesPerRow(client: pg.Client): Promise<{ table: string; rows: number; perRow: number }[]> {
  const out = [];
  // The fixture has no touches: their size per row is the scale model's computation, not this bench's.
  for (const table of ['prospects', 'enrollments']) {
    const r = await client.query<{ bytes: string; rows: string }>(`select pg_total_relation_size('${table}') as bytes, (select count(*) from ${table}) as rows`);
    const rows = Number(r.rows[0]!.rows);
    out.push({ table, rows, perRow: Number(r.rows[0]!.bytes) / rows });
  }
  return out;
}

/** A throwaway server with the `today` fixture of `n` in its database `url` (the caller stops it). */
export async function fixtureServer(n: number, now: number): Promise<{ server: PostgresServer; url: string; bin: string; sqlitePath: string; loaded: Loaded }> {
  const sqlitePath = await enrollmentsDb(n, now);
  const bin = findServerBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found: install the "postgresql" package (apt-get install -y postgresql)');
  log('starting a throwaway PostgreSQL');
  const server = await startPostgres();
  try {
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database tally_bench');
    await admin.end();
    const url = server.url.replace(/\/postgres$/, '/tally_bench');
    return { server, url, bin, sqlitePath, loaded: await load(url, sqlitePath, n, bin) };
  } catch (e) {
    server.stop();
    throw e;
  }
}

/** The call as `GET /api/queue` makes it: the page drafts the email of its first cards only. */
const todayQueue = (ctx: Context) => queueOf(ctx, { drafts: PAGE_DRAFTS });

export async function benchTodayPg(n = 1_000_000): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 23, 14, 0);
  const { server, url, bin, sqlitePath, loaded } = await fixtureServer(n, now);
  try {
    // Opening runs any migration newer than the cached dump; then statistics for the planner, and
    // the visibility map so the queue index answers alone.
    let statements = 0;
    // The due work's statements of one call, with their values: pgbench runs them alone below.
    let sent: { sql: string; parameters: readonly unknown[] }[] | null = null;
    const store = await openPostgresStore(url, { onQuery: (sql, parameters = []) => (statements++, sent?.push({ sql, parameters })) });
    log('vacuum analyze');
    const v0 = performance.now();
    const raw = new pg.Client({ connectionString: url });
    raw.on('error', () => undefined); // the server is stopped below, whatever happens
    await raw.connect();
    await raw.query('vacuum analyze');
    const vacuumMs = performance.now() - v0;

    const repContexts = (s: Store) => Promise.all(REP_EMAILS.map((as) => openContext(runtimeFor(s), { as, now: () => now })));
    let today: number[];
    let sizes: Queue;
    let until: number;
    let roundTrips: number;
    let everyDraft: number[];
    let cpuMs: number;
    try {
      const ctxs = await repContexts(store);
      until = endOfLocalDay(now, userZone(ctxs[0]!));
      for (const ctx of ctxs) await todayQueue(ctx); // warm-up: buffers and the driver's first queries
      log(`today: ${RUNS} runs over 10 reps`);
      const cpu = process.cpuUsage();
      today = await sample(RUNS, (i) => todayQueue(ctxs[i % ctxs.length]!));
      const used = process.cpuUsage(cpu);
      cpuMs = (used.user + used.system) / 1000 / RUNS;
      statements = 0;
      sent = [];
      sizes = await todayQueue(ctxs[0]!);
      roundTrips = statements;
      log(`today with every email card drafted (as tally today): ${RUNS} runs`);
      everyDraft = await sample(RUNS, (i) => queueOf(ctxs[i % ctxs.length]!));
    } finally {
      await store.close();
    }
    const bytes = await bytesPerRow(raw);

    // The same call on the SQLite fixture, in the same run: the engine ratio under today's machine load.
    log(`today on SQLite: ${RUNS} runs over 10 reps`);
    const lite = await openSqliteStore(sqlitePath);
    let onSqlite: number[];
    try {
      const ctxs = await repContexts(lite);
      for (const ctx of ctxs) await todayQueue(ctx);
      onSqlite = await sample(RUNS, (i) => todayQueue(ctxs[i % ctxs.length]!));
    } finally {
      await lite.close();
    }

    // Baselines: the plain page query, by pgbench (libpq, its own process) and by `pg` from this process.
    log(`baseline: pgbench, 1 client, ${PGBENCH_SECONDS} s`);
    const bareScript = `\\set owner 1 + 10 * random(0, 9)\n${pageQuery(':owner', until)};\n`;
    const bench = pgbench(bin, url, bareScript, PGBENCH_SECONDS);
    // The call's own statements alone, as it sends them (prepared, planned once): what PostgreSQL's
    // side of the call costs, against the bare page query prepared the same way.
    const statement = (re: RegExp) => sent!.find((q) => re.test(q.sql)) ?? null;
    const detailsSql = statement(/from "enrollments" as "e" inner join "prospects"/);
    const countsSql = statement(/"data_version"/);
    const alone = (q: { sql: string; parameters: readonly unknown[] } | null) => (q ? pgbench(bin, url, pgbenchScript(q.sql, q.parameters), PGBENCH_SECONDS, 'prepared') : null);
    log(`the page statement with its details alone, the counts alone and the bare page query, by pgbench -M prepared, ${PGBENCH_SECONDS} s each`);
    const details = alone(detailsSql);
    const countsAlone = alone(countsSql);
    const barePrepared = pgbench(bin, url, bareScript, PGBENCH_SECONDS, 'prepared');
    log(`baseline: the same query through pg, ${RUNS * 10} runs`);
    const named = (i: number) => ({ name: 'page', text: pageQuery('$1', until), values: [1 + 10 * (i % 10)] });
    for (let i = 0; i < 100; i++) await raw.query(named(i));
    const viaPg = await sample(RUNS * 10, (i) => raw.query(named(i)));
    // The floor of a design that keeps every card ready (a table of queue cards kept by triggers): the
    // page statement's 100 rows with their details, computed once into a table, read back whole.
    let kept: number[] | null = null;
    let keptRows = 0;
    if (detailsSql) {
      log(`the page's cards kept in a table, read back through pg: ${RUNS * 10} runs`);
      await raw.query(`create temporary table kept_cards as ${literalSql(detailsSql.sql, detailsSql.parameters)}`);
      keptRows = Number((await raw.query<{ n: string }>('select count(*) as n from kept_cards')).rows[0]!.n);
      const read = { name: 'kept', text: 'select * from kept_cards', values: [] };
      for (let i = 0; i < 100; i++) await raw.query(read);
      kept = await sample(RUNS * 10, () => raw.query(read));
    }
    await raw.end();

    const base = bench ?? viaPg;
    const baseName = bench ? `pgbench -c 1 -T ${PGBENCH_SECONDS} (${fmt(bench.length)} transactions)` : 'pgbench not found; the query through pg';
    const p50 = percentile(today, 50);
    const p99 = percentile(today, 99);
    const b50 = percentile(base, 50);
    const b99 = percentile(base, 99);
    const pg50 = percentile(viaPg, 50);
    const met = (ratio: number) => (ratio <= 5 ? 'met' : 'not met');
    return {
      name: 'today-pg',
      lines: [
        `today for one rep among ${fmt(n)} enrollments on PostgreSQL (${REPS} reps; ${fmt(sizes.total)} due for the rep, first ${sizes.items.length} returned): p50 ${fmt(p50, 2)} ms, p99 ${fmt(p99, 2)} ms over ${RUNS} runs`,
        `the same call drafting every email card of the page (as tally today does): p50 ${fmt(percentile(everyDraft, 50), 2)} ms, p99 ${fmt(percentile(everyDraft, 99), 2)} ms`,
        `baseline, the plain indexed page query (one rep's due enrollments by due time, limit 100) by ${baseName}: p50 ${fmt(b50, 3)} ms, p99 ${fmt(b99, 3)} ms`,
        `ratio today/baseline: p50 ${fmt(p50 / b50, 1)}×, p99 ${fmt(p99 / b99, 1)}× (issue 20's p50 ≤ 5×: ${met(p50 / b50)})`,
        `ratio today/the same query through pg from Node (prepared, below): p50 ${fmt(p50 / pg50, 1)}× (≤ 5×: ${met(p50 / pg50)})`,
        `statements per today call: ${roundTrips}, all sent side by side (one round trip): the counts (with the workspace's data version), the page with its details, guardrail history and what drafting its first ${PAGE_DRAFTS} email cards reads (slot fills, hand-sent counts), and the replies waiting (the cadence steps kept per process, the playbook and the rep's mailbox kept between calls and read again when the data version moves)`,
        `on disk (tables, indexes and TOAST, after vacuum): ${bytes.map((b) => `${b.table} ${fmt(b.perRow)} bytes/row (${fmt(b.rows)} rows)`).join(', ')}`,
        `the same query through pg from Node (prepared): p50 ${fmt(percentile(viaPg, 50), 3)} ms, p99 ${fmt(percentile(viaPg, 99), 3)} ms`,
        `Node's CPU per today call (process.cpuUsage over the ${RUNS} runs): ${fmt(cpuMs, 2)} ms`,
        ...(details && countsAlone && barePrepared
          ? [
              `the call's page statement with its details alone (its SQL and values, one rep), by pgbench -M prepared: p50 ${fmt(percentile(details, 50), 3)} ms, p99 ${fmt(percentile(details, 99), 3)} ms; its counts statement alone: p50 ${fmt(percentile(countsAlone, 50), 3)} ms; the bare page query prepared: p50 ${fmt(percentile(barePrepared, 50), 3)} ms (page with details / bare page, both prepared: ${fmt(percentile(details, 50) / percentile(barePrepared, 50), 1)}×)`,
            ]
          : ['the call\'s page statement alone: not measured (pgbench not found, or the statement not seen)']),
        ...(kept
          ? [
              `the floor of keeping every card ready: the page statement's ${fmt(keptRows)} rows computed once into a table and read back whole through pg from Node (prepared): p50 ${fmt(percentile(kept, 50), 3)} ms (${fmt(percentile(kept, 50) / b50, 1)}× the baseline), before the counts, the history and any JavaScript`,
            ]
          : []),
        `the same today call on the SQLite fixture in this run: p50 ${fmt(percentile(onSqlite, 50), 2)} ms, p99 ${fmt(percentile(onSqlite, 99), 2)} ms (PostgreSQL/SQLite p50 ${fmt(p50 / percentile(onSqlite, 50), 1)}×)`,
        `loading: ${loaded.how}; vacuum analyze ${fmt(vacuumMs / 1000, 1)} s`,
      ],
      results: {
        enrollments: n,
        p50Ms: p50,
        p99Ms: p99,
        baselineP50Ms: b50,
        baselineP99Ms: b99,
        ratio: p50 / b50,
        roundTrips,
        everyDraftP50Ms: percentile(everyDraft, 50),
        ...Object.fromEntries(bytes.map((b) => [`bytesPerRow_${b.table}`, b.perRow])),
        pgP50Ms: pg50,
        ratioToPg: p50 / pg50,
        cpuMsPerCall: cpuMs,
        ...(details && countsAlone && barePrepared ? { detailsP50Ms: percentile(details, 50), countsP50Ms: percentile(countsAlone, 50), barePreparedP50Ms: percentile(barePrepared, 50) } : {}),
        ...(kept ? { keptCardsP50Ms: percentile(kept, 50) } : {}),
        sqliteP50Ms: percentile(onSqlite, 50),
        due: sizes.total,
        loadMs: loaded.ms,
        vacuumMs,
      },
    };
  } finally {
    server.stop();
  }
}
