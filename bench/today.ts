// `today` for one rep among N enrollments (100 reps), against an indexed point query baseline.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { openSqliteStore } from '../src/store/store.ts';
import { openContext } from '../src/app/context.ts';
import { initWorkspace } from '../src/app/workspace.ts';
import { todayQueue } from '../src/app/queue.ts';
import { seeded } from '../src/app/demo.ts';
import { prospectRow } from './fixtures.ts';
import { dataDir, fmt, log, percentile, sample, type BenchResult } from './lib.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';

export const REPS = 100;
const DAY = 86_400_000;

/** A workspace with `n` live enrollments spread over 100 reps, due from 5 days ago to 25 days ahead. */
export async function enrollmentsDb(n: number, now: number): Promise<string> {
  const path = join(dataDir(), `enrollments-${n}.db`);
  if (existsSync(path)) return path;
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  log(`building ${fmt(n)} enrollments for ${REPS} reps`);
  const store = await openSqliteStore(tmp);
  await initWorkspace(runtimeFor(store), { timezone: 'America/New_York', userEmail: 'rep0@example.com' }, now);
  await store.close();
  const db = new SqliteDatabase(tmp);
  db.pragma('journal_mode = WAL');
  const rand = seeded(11);
  db.transaction(() => {
    const user = db.prepare("insert into users (workspace_id, email, name, role, created_at) values (1, ?, ?, 'rep', ?)");
    for (let r = 1; r < REPS; r++) user.run(`rep${r}@example.com`, `Rep ${r}`, now);
    const company = db.prepare('insert into companies (workspace_id, name, name_key, created_at) values (1, ?, ?, ?)');
    for (let c = 1; c <= 50_000; c++) company.run(`Company ${c}`, `company ${c}`, now);
    const prospect = db.prepare(
      `insert into prospects (workspace_id, owner_id, email, email_key, first_name, last_name, phone, title, company_id, timezone, priority, custom, created_at, updated_at)
       values (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)`,
    );
    const enrollment = db.prepare(
      `insert into enrollments (workspace_id, prospect_id, cadence_id, cadence_version_id, owner_id, status, step_index, due_at, priority, touches, started_at, updated_at)
       values (1, ?, 1, 1, ?, 'active', ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < n; i++) {
      const p = prospectRow(i, rand);
      const owner = (i % REPS) + 1;
      const priority = i % 10 === 0 ? 1 : 0;
      const id = prospect.run(owner, p.email, p.email, p.first, p.last, p.phone, p.title, 1 + (i % 50_000), p.zone, priority, now, now).lastInsertRowid;
      const step = Math.floor(rand() * 10);
      enrollment.run(id, owner, step, now - 5 * DAY + Math.floor(rand() * 30 * DAY), priority, step, now - 20 * DAY, now);
    }
  })();
  db.pragma('optimize');
  db.close();
  renameSync(tmp, path);
  return path;
}

export async function benchToday(n = 1_000_000): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 23, 14, 0);
  const path = await enrollmentsDb(n, now);
  const store = await openSqliteStore(path);
  const ctxs = await Promise.all(
    Array.from({ length: 10 }, (_, i) => openContext(runtimeFor(store), { as: `rep${i * 10}@example.com`, now: () => now })),
  );
  await todayQueue(ctxs[0]!); // warm-up: page cache and statement preparation
  const runs = 300;
  const today = await sample(runs, (i) => todayQueue(ctxs[i % ctxs.length]!));
  const sizes = await todayQueue(ctxs[0]!);
  await store.close();

  const base = await pointQueryBaseline(path, n, runs * 10);

  const p50 = percentile(today, 50);
  const p99 = percentile(today, 99);
  const b50 = percentile(base, 50);
  return {
    name: 'today',
    lines: [
      `today for one rep among ${fmt(n)} enrollments (${REPS} reps; ${fmt(sizes.total)} due for the rep, first ${sizes.items.length} returned): p50 ${fmt(p50, 2)} ms, p99 ${fmt(p99, 2)} ms over ${runs} runs (target p50 < 10 ms)`,
      `baseline, indexed point query (prepared, by primary key): p50 ${fmt(b50 * 1000, 1)} µs`,
      `ratio today/baseline p50: ${fmt(p50 / b50, 0)}×`,
    ],
    results: { enrollments: n, p50Ms: p50, p99Ms: p99, baselineP50Ms: b50, ratio: p50 / b50, due: sizes.total },
  };
}

/** The baseline of the read benches: an indexed point query (prepared, by primary key) on the same file, sorted times. */
export async function pointQueryBaseline(path: string, n: number, runs: number): Promise<number[]> {
  const raw = new SqliteDatabase(path, { readonly: true });
  const point = raw.prepare('select * from prospects where id = ?');
  for (let i = 0; i < 1000; i++) point.get(1 + i);
  const base = await sample(runs, (i) => point.get(1 + ((i * 7919) % n)));
  raw.close();
  return base;
}
