// The scheduler bench's workspaces: `n` live enrollments (one per prospect, 100 reps, about 20
// prospects per company), of which the same `due` number fall within the tick's horizon whatever
// `n` is — half already due, half later within the next two days, picked at random across the id
// space — and the rest due 3 to 30 days ahead. Every prospect past its first step has had a touch in
// the ten days before the earlier of now and two days before its next one is due, so the guardrails
// work from real history (about 3.6 touches per company of 20 in any two days).
// Built once per size and cached in bench/.data (5,000,000 enrollments: about 3 GB, minutes to build).
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { seeded } from '../src/app/demo.ts';
import { initWorkspace } from '../src/app/workspace.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';
import { sqliteTickRows } from '../src/store/sqlite/tick-rows.ts';
import { openSqliteStore } from '../src/store/store.ts';
import { prospectRow } from './fixtures.ts';
import { dataDir, fmt, log } from './lib.ts';

export const TICK_REPS = 100;
const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Data tables the load fills, whose indexes are dropped during the load and built after (much faster). */
const LOADED = ['prospects', 'enrollments', 'touches', 'companies'];

/** Bumped when the schema a cached fixture was built with changes (2: holds in enrollment_holds; a cached one is migrated when opened). */
const FIXTURE_VERSION = 2;

export function tickDbPath(n: number, due: number): string {
  return join(dataDir(), `tick-v${FIXTURE_VERSION}-${n}-${due}.db`);
}

export async function tickDb(n: number, due: number, now: number): Promise<string> {
  const path = tickDbPath(n, due);
  if (existsSync(path)) return path;
  const tmp = `${path}.tmp`;
  rmSync(tmp, { force: true });
  log(`building ${fmt(n)} live enrollments (${fmt(due)} due within the horizon) for ${TICK_REPS} reps`);
  const store = await openSqliteStore(tmp);
  await initWorkspace(runtimeFor(store), { timezone: 'America/New_York', userEmail: 'rep0@example.com' }, now);
  await store.close();
  const db = new SqliteDatabase(tmp);
  // Out of WAL, then the journal in memory: asked for OFF, better-sqlite3's SQLite (defensive) keeps the mode it has,
  // and in WAL the 5,000,000 load wrote 37 GB to its WAL over 50 minutes.
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const indexes = db.prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${LOADED.map(() => '?').join(', ')})`).all(...LOADED) as { name: string; sql: string }[];
  for (const i of indexes) db.exec(`drop index ${i.name}`);
  // The tick rows' triggers would look up each row's history without the indexes: filled after instead.
  const triggers = db.prepare("select name, sql from sqlite_master where type = 'trigger' and name like 'tick_rows_%'").all() as { name: string; sql: string }[];
  for (const t of triggers) db.exec(`drop trigger ${t.name}`);
  load(db, n, due, now);
  log(`indexing ${indexes.length} indexes`);
  for (const i of indexes) db.exec(i.sql);
  log('filling the tick rows');
  db.exec(sqliteTickRows.fill);
  for (const t of triggers) db.exec(t.sql);
  db.exec('analyze');
  db.pragma('journal_mode = WAL');
  db.close();
  renameSync(tmp, path);
  return path;
}

/** Which enrollments are due within the horizon: `due` distinct positions, uniformly spread. */
function duePositions(n: number, due: number, rand: () => number): Set<number> {
  const picked = new Set<number>();
  while (picked.size < Math.min(due, n)) picked.add(Math.floor(rand() * n));
  return picked;
}

function load(db: SqliteDatabase.Database, n: number, due: number, now: number): void {
  const rand = seeded(23);
  const companies = Math.max(1, Math.round(n / 20));
  const inHorizon = duePositions(n, due, rand);
  db.transaction(() => {
    const user = db.prepare("insert into users (workspace_id, email, name, role, created_at) values (1, ?, ?, 'rep', ?)");
    for (let r = 1; r < TICK_REPS; r++) user.run(`rep${r}@example.com`, `Rep ${r}`, now);
    const company = db.prepare('insert into companies (workspace_id, name, name_key, created_at) values (1, ?, ?, ?)');
    for (let c = 1; c <= companies; c++) company.run(`Company ${c}`, `company ${c}`, now);
    const prospect = db.prepare(
      `insert into prospects (workspace_id, owner_id, email, email_key, first_name, last_name, phone, title, company_id, timezone, priority, custom, created_at, updated_at)
       values (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '{}', ?, ?)`,
    );
    const enrollment = db.prepare(
      `insert into enrollments (workspace_id, prospect_id, cadence_id, cadence_version_id, owner_id, status, step_index, due_at, priority, touches, last_touch_at, started_at, updated_at)
       values (1, ?, 1, 1, ?, 'active', ?, ?, 0, ?, ?, ?, ?)`,
    );
    const touch = db.prepare(
      `insert into touches (workspace_id, prospect_id, company_id, enrollment_id, step_index, user_id, channel, outcome, occurred_at, created_at)
       values (1, ?, ?, ?, ?, ?, 'email', 'sent', ?, ?)`,
    );
    for (let i = 0; i < n; i++) {
      const p = prospectRow(i, rand, companies);
      const owner = (i % TICK_REPS) + 1;
      const companyId = 1 + Math.floor(rand() * companies);
      const id = prospect.run(owner, p.email, p.email, p.first, p.last, p.phone, p.title, companyId, p.zone, now, now).lastInsertRowid;
      // Due within the horizon: from 2 days ago to 2 days ahead (half already due); else 3 to 30 days ahead.
      const dueAt = inHorizon.has(i) ? now - 2 * DAY + Math.floor(rand() * 4 * DAY) : now + 3 * DAY + Math.floor(rand() * 27 * DAY);
      const step = Math.floor(rand() * 10);
      const lastTouch = step > 0 ? Math.min(now, dueAt - 2 * DAY) - HOUR - Math.floor(rand() * 10 * DAY) : null;
      const e = enrollment.run(id, owner, step, dueAt, step, lastTouch, now - 40 * DAY, now).lastInsertRowid;
      if (lastTouch !== null) touch.run(id, companyId, e, step - 1, owner, lastTouch, lastTouch);
      if (i % 500_000 === 499_999) log(`${fmt(i + 1)} of ${fmt(n)}`);
    }
  })();
}
