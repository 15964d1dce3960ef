// Copying every table from one store to another (a rep's SQLite file into the team's PostgreSQL):
// ids preserved, parents before children, one transaction on the target, counts checked before commit.
import { sql, type Kysely } from 'kysely';
import { TallyError } from '../core/errors.ts';
import type { Database } from './schema.ts';
import type { Store } from './store.ts';
import type { Db, TableInfo } from './engine.ts';

export interface CopyProgress {
  table: string;
  /** Rows copied so far, over all tables. */
  done: number;
  total: number;
}

export interface CopyOptions {
  /** Replace what the target holds (deleted in the same transaction) instead of refusing. */
  force?: boolean;
  /** Rows read from the source per query. */
  pageSize?: number;
  onProgress?: (p: CopyProgress) => void;
}

export interface CopyReport {
  from: string;
  to: string;
  tables: { table: string; rows: number }[];
  total: number;
  /** Rows the target held before and that --force replaced. */
  replaced: number;
}

type Row = Record<string, unknown>;
type AnyDb = Kysely<unknown>;

/** Parents before children (stable: otherwise in the order given). */
export function dependencyOrder(tables: string[], deps: Map<string, Set<string>>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: string, path: string[]) => {
    if (state.get(t) === 'done') return;
    if (state.get(t) === 'visiting') throw new Error(`foreign keys form a cycle: ${[...path, t].join(' → ')}`);
    state.set(t, 'visiting');
    for (const p of deps.get(t) ?? []) visit(p, [...path, t]);
    state.set(t, 'done');
    order.push(t);
  };
  for (const t of tables) visit(t, []);
  return order;
}

async function countRows(db: Db | AnyDb, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** One page of a table in a stable order: by id after `after`, or by every column with an offset. */
async function readPage(db: Db, t: TableInfo, after: number, offset: number, size: number): Promise<Row[]> {
  const cols = sql.join(t.columns.map((c) => sql.ref(c)));
  const q = t.hasId
    ? sql<Row>`select ${cols} from ${sql.table(t.name)} where id > ${after} order by id limit ${size}`
    : sql<Row>`select ${cols} from ${sql.table(t.name)} order by ${cols} limit ${size} offset ${offset}`;
  return (await q.execute(db)).rows;
}

export async function copyStore(from: Store, to: Store, opts: CopyOptions = {}): Promise<CopyReport> {
  const source = from.engine;
  const target = to.engine;
  if (source.location === target.location) throw new TallyError(`--from and --to are the same database (${source.location})`, 'usage');
  const pageSize = opts.pageSize ?? 5000;
  const sourceTables = await source.tables();
  const targetTables = new Map((await target.tables()).map((t) => [t.name, t]));
  // Every source column must have a place on the target, or the copy would lose data.
  for (const t of sourceTables) {
    const there = targetTables.get(t.name);
    if (!there) throw new TallyError(`${target.location} has no table "${t.name}": is it running an older Tally?`, 'conflict');
    const missing = t.columns.filter((c) => !there.columns.includes(c));
    if (missing.length) throw new TallyError(`${target.location}: table "${t.name}" lacks column(s) ${missing.join(', ')}`, 'conflict');
  }
  const names = sourceTables.map((t) => t.name);
  const order = dependencyOrder(names, await target.foreignKeys(names));
  const info = new Map(sourceTables.map((t) => [t.name, t]));

  const occupied: string[] = [];
  let replaced = 0;
  for (const name of targetTables.keys()) {
    const n = await countRows(target.db, name);
    if (n > 0) occupied.push(`${n} in ${name}`);
    replaced += n;
  }
  if (occupied.length && !opts.force) {
    throw new TallyError(`${target.location} is not empty (${occupied.join(', ')} rows): use --force to replace its data`, 'conflict');
  }

  // A read transaction on the source: a consistent snapshot even if the rep keeps working.
  return source.transaction(async (src) => {
    const counts = new Map<string, number>();
    for (const name of order) counts.set(name, await countRows(src, name));
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    let done = 0;
    await target.transaction(async (trx) => {
      if (opts.force) {
        const all = dependencyOrder([...targetTables.keys()], await target.foreignKeys([...targetTables.keys()]));
        for (const name of all.reverse()) await sql`delete from ${sql.table(name)}`.execute(trx);
      }
      for (const name of order) {
        const t = info.get(name)!;
        opts.onProgress?.({ table: name, done, total });
        let after = -Infinity;
        let offset = 0;
        for (;;) {
          const rows = await readPage(src, t, after === -Infinity ? Number.MIN_SAFE_INTEGER : after, offset, pageSize);
          if (rows.length === 0) break;
          // Table names come from the source's catalog, checked against the target's above.
          await target.insertMany(trx, name as keyof Database, rows as never[]);
          done += rows.length;
          offset += rows.length;
          if (t.hasId) after = Number(rows[rows.length - 1]!.id);
          opts.onProgress?.({ table: name, done, total });
          if (rows.length < pageSize) break;
        }
        if (t.hasId) await target.afterExplicitIds(trx, name);
      }
      // The triggers of migration 031 moved each workspace's data version on as its playbook and
      // mailboxes arrived: the copy keeps the source's.
      const versions = await sql<{ id: number; data_version: number }>`select id, data_version from workspaces`.execute(src);
      for (const v of versions.rows) await sql`update workspaces set data_version = ${v.data_version} where id = ${v.id}`.execute(trx);
      // Nothing commits unless every table arrived whole.
      for (const name of order) {
        const n = await countRows(trx, name);
        if (n !== counts.get(name)) throw new Error(`copy of ${name} is incomplete: ${n} of ${counts.get(name)} rows; nothing was written`);
      }
    });
    return { from: source.location, to: target.location, tables: order.map((table) => ({ table, rows: counts.get(table)! })), total, replaced };
  });
}
