// Copying every table from one store to another (a rep's SQLite file into the team's PostgreSQL):
// ids preserved, parents before children, one transaction on the target, counts checked before commit.
import { sql, type Kysely } from 'kysely';
import { TallyError } from '../core/errors.ts';
import type { Database } from './schema.ts';
import type { Db, Store } from './store.ts';

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

interface TableInfo {
  name: string;
  columns: string[];
  hasId: boolean;
}

type Row = Record<string, unknown>;
type AnyDb = Kysely<unknown>;

/** Kysely's own bookkeeping: each side keeps its own. */
const isDataTable = (name: string) => !name.startsWith('kysely_');

async function tablesOf(store: Store): Promise<TableInfo[]> {
  let schema: string | null = null;
  if (store.dialect === 'postgres') {
    const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(store.db);
    schema = rows[0]?.s ?? 'public';
  }
  const tables = await store.db.introspection.getTables();
  return tables
    .filter((t) => !t.isView && isDataTable(t.name) && (schema === null || t.schema === schema))
    .map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name), hasId: t.columns.some((c) => c.name === 'id') }));
}

/** child table → the tables its foreign keys point at. */
async function foreignKeys(store: Store, tables: string[]): Promise<Map<string, Set<string>>> {
  const deps = new Map(tables.map((t) => [t, new Set<string>()]));
  const add = (child: string, parent: string) => {
    if (child !== parent && deps.has(parent)) deps.get(child)?.add(parent);
  };
  if (store.dialect === 'postgres') {
    const { rows } = await sql<{ child: string; parent: string }>`
      select cl.relname as child, pl.relname as parent
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_class pl on pl.oid = c.confrelid
      where c.contype = 'f' and cl.relnamespace = current_schema()::regnamespace`.execute(store.db);
    for (const r of rows) add(r.child, r.parent);
  } else {
    for (const t of tables) {
      const { rows } = await sql<{ parent: string }>`select "table" as parent from pragma_foreign_key_list(${t})`.execute(store.db);
      for (const r of rows) add(t, r.parent);
    }
  }
  return deps;
}

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

export async function copyStore(source: Store, target: Store, opts: CopyOptions = {}): Promise<CopyReport> {
  if (source.location === target.location) throw new TallyError(`--from and --to are the same database (${source.location})`, 'usage');
  const pageSize = opts.pageSize ?? 5000;
  const sourceTables = await tablesOf(source);
  const targetTables = new Map((await tablesOf(target)).map((t) => [t.name, t]));
  // Every source column must have a place on the target, or the copy would lose data.
  for (const t of sourceTables) {
    const there = targetTables.get(t.name);
    if (!there) throw new TallyError(`${target.location} has no table "${t.name}": is it running an older Tally?`, 'conflict');
    const missing = t.columns.filter((c) => !there.columns.includes(c));
    if (missing.length) throw new TallyError(`${target.location}: table "${t.name}" lacks column(s) ${missing.join(', ')}`, 'conflict');
  }
  const names = sourceTables.map((t) => t.name);
  const order = dependencyOrder(names, await foreignKeys(target, names));
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
        const all = dependencyOrder([...targetTables.keys()], await foreignKeys(target, [...targetTables.keys()]));
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
        if (target.dialect === 'postgres' && t.hasId) {
          // Loaded here so that SQLite-only runs of the CLI never load the pg driver.
          const { resetIdSequence } = await import('./postgres.ts');
          await resetIdSequence(trx, name);
        }
      }
      // Nothing commits unless every table arrived whole.
      for (const name of order) {
        const n = await countRows(trx, name);
        if (n !== counts.get(name)) throw new Error(`copy of ${name} is incomplete: ${n} of ${counts.get(name)} rows; nothing was written`);
      }
    });
    return { from: source.location, to: target.location, tables: order.map((table) => ({ table, rows: counts.get(table)! })), total, replaced };
  });
}
