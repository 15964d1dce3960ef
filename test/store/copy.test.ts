// `tally migrate` and `tally db copy`: a rep's SQLite file (the demo) into PostgreSQL, compared
// table by table and row by row, then the CLI reading the copy.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/store.ts';
import { isDataTable } from '../../src/store/engine.ts';
import { copyStore, type CopyProgress } from '../../src/store/copy.ts';
import { buildDemo } from '../../src/app/demo.ts';
import { hasStackTrace, runCli } from '../helpers/cli.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { withoutTokens } from '../helpers/db.ts';

const NOW_ISO = '2026-03-02T14:00:00Z';
const dir = tempDir('tally-copy-');
const laptop = join(dir, 'laptop.db');
let team: string;
const open: Store[] = [];

async function store(location: string): Promise<Store> {
  const s = await openStore(location);
  open.push(s);
  return s;
}

/** Every data table of a store (not the engine's own search index), each as its rows in a stable order. */
async function dump(s: Store): Promise<Record<string, Record<string, unknown>[]>> {
  const tables = (await s.db.introspection.getTables()).filter((t) => !t.isView && isDataTable(t.name));
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of tables.sort((a, b) => a.name.localeCompare(b.name))) {
    const cols = t.columns.map((c) => c.name).sort();
    const order = cols.includes('id') ? sql.ref('id') : sql.join(cols.map((c) => sql.ref(c)));
    const { rows } = await sql<Record<string, unknown>>`select ${sql.join(cols.map((c) => sql.ref(c)))} from ${sql.table(t.name)} order by ${order}`.execute(s.db);
    out[t.name] = rows;
  }
  return out;
}

beforeAll(async () => {
  team = await createTestDatabase();
  const s = await openStore(laptop);
  await buildDemo(runtimeFor(s), { now: Date.parse(NOW_ISO) });
  await s.close();
});

afterAll(async () => {
  for (const s of open) await s.close();
});

describe('tally migrate', () => {
  it('runs every migration on an empty PostgreSQL database, then has nothing to do', async () => {
    const url = await createTestDatabase();
    const first = await runCli(['--db', url, 'migrate']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Ran \d+ migrations on postgres:\/\/tally@127\.0\.0\.1:\d+\/tally_\w+:\n {2}001-foundation\n {2}002-scheduling\n/);
    // $TALLY_DATABASE_URL selects the database as well.
    const again = await runCli(['--json', 'migrate'], { env: { TALLY_DATABASE_URL: url } });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ dialect: 'postgres', ran: [] });
  });

  it('works on a SQLite file too', async () => {
    const r = await runCli(['--db', join(dir, 'fresh.db'), 'migrate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('001-foundation');
  });
});

describe('tally db copy', () => {
  it('copies every table of the laptop file, ids preserved, and reports row counts', async () => {
    const r = await runCli(['db', 'copy', '--from', `sqlite:${laptop}`, '--to', team]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Copied .*laptop\.db → postgres:\/\/tally@127\.0\.0\.1:\d+\/tally_\w+ in one transaction:/);
    const source = await dump(await store(laptop));
    const copy = await dump(await store(team));
    expect(Object.keys(copy)).toEqual(Object.keys(source));
    for (const [table, rows] of Object.entries(source)) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${table} +${rows.length}$`, 'm'));
      expect(copy[table]!.length, table).toBe(rows.length);
      // Row by row, value by value (numbers stay numbers on PostgreSQL).
      for (let i = 0; i < rows.length; i++) expect(copy[table]![i], `${table} row ${i}`).toEqual(rows[i]);
    }
    expect(source.prospects).toHaveLength(300);
    expect(source.touches!.length).toBeGreaterThan(100);
  });

  it('the CLI reads the copy exactly as it read the file', async () => {
    for (const args of [['today'], ['today', '--team', '--limit', '500'], ['stats', '--team'], ['show', '7'], ['cadence', 'list']]) {
      const env = { TALLY_NOW: NOW_ISO };
      const fromFile = await runCli(['--db', laptop, '--json', ...args], { env });
      const fromTeam = await runCli(['--db', team, '--json', ...args], { env });
      expect(fromTeam.stderr, args.join(' ')).toBe('');
      expect(fromTeam.code).toBe(0);
      expect(withoutTokens(JSON.parse(fromTeam.stdout)), args.join(' ')).toEqual(withoutTokens(JSON.parse(fromFile.stdout)));
    }
    const today = JSON.parse((await runCli(['--db', team, '--json', 'today', '--team'], { env: { TALLY_NOW: NOW_ISO } })).stdout) as { items: unknown[] };
    expect(today.items.length).toBeGreaterThan(0);
  });

  it('resets the sequences: new rows get the next ids', async () => {
    const s = await store(team);
    const max = await s.db.selectFrom('touches').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow();
    const logged = await runCli(['--db', team, '--json', 'log', '7', '--channel', 'call', '--outcome', 'no_answer'], { env: { TALLY_NOW: NOW_ISO } });
    expect(logged.stderr).toBe('');
    expect(JSON.parse(logged.stdout)).toMatchObject({ touchId: Number(max.m) + 1 });
  });

  it('refuses a non-empty target, and --force replaces its data', async () => {
    const refused = await runCli(['db', 'copy', '--from', laptop, '--to', team]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^tally: postgres:\/\/tally@[^ ]+ is not empty \(.*rows\): use --force to replace its data\n$/);
    // The touch logged above queued scheduler events (its person, its company, its enrollment) in its transaction.
    const queued = Number((await (await store(team)).db.selectFrom('scheduler_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const copied = Number((await (await store(laptop)).db.selectFrom('scheduler_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const forced = await runCli(['--json', 'db', 'copy', '--from', laptop, '--to', team, '--force']);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    const report = JSON.parse(forced.stdout) as { total: number; replaced: number; tables: { table: string; rows: number }[] };
    expect(report.replaced).toBe(report.total + 1 + queued - copied); // the touch logged above and its events are gone again
    expect(await dump(await store(team))).toEqual(await dump(await store(laptop)));
  });

  it('writes nothing when the copy fails midway (one transaction on the target)', async () => {
    const target = await store(await createTestDatabase());
    const source = await store(laptop);
    const real = target.engine.insertMany.bind(target.engine);
    const spy = vi.spyOn(target.engine, 'insertMany').mockImplementation(async (trx, table, rows) => {
      if (table === 'touches') throw new Error('connection lost (simulated)');
      return real(trx, table, rows);
    });
    const progress: CopyProgress[] = [];
    try {
      await expect(copyStore(source, target, { onProgress: (p) => progress.push(p) })).rejects.toThrow('connection lost (simulated)');
    } finally {
      spy.mockRestore();
    }
    expect(progress.some((p) => p.table === 'prospects' && p.done > 0)).toBe(true);
    for (const rows of Object.values(await dump(target))) expect(rows).toEqual([]);
    // And once it works, progress reaches the total.
    progress.length = 0;
    const report = await copyStore(source, target, { onProgress: (p) => progress.push(p), pageSize: 100 });
    expect(progress.at(-1)).toMatchObject({ done: report.total, total: report.total });
  });

  it('refuses a source file that does not exist (instead of copying an empty new one)', async () => {
    const r = await runCli(['db', 'copy', '--from', `sqlite:${join(dir, 'typo.db')}`, '--to', team]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('typo.db: no such file');
  });

  it('says why it cannot connect, without the password or a stack trace', async () => {
    const r = await runCli(['--db', 'postgres://bob:s3cret@127.0.0.1:1/team', 'today']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tally: cannot connect to postgres:\/\/bob@127\.0\.0\.1:1\/team: .*ECONNREFUSED/);
    expect(r.stderr).not.toContain('s3cret');
    expect(hasStackTrace(r.stderr)).toBe(false);
    const copy = await runCli(['db', 'copy', '--from', laptop, '--to', 'postgresql://bob:s3cret@127.0.0.1:1/team']);
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain('cannot connect to postgresql://bob@127.0.0.1:1/team');
    expect(copy.stderr).not.toContain('s3cret');
  });
});
