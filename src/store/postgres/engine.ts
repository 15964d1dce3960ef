// The PostgreSQL store: Kysely's PostgresDialect over a pg Pool, behind the same Store interface
// as SQLite, returning the same JS values (numbers for bigint columns and counts).
import { createHash } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type CompiledQuery, type Expression, type Insertable, type RawBuilder } from 'kysely';
import { TallyError } from '../../core/errors.ts';
import type { Database } from '../schema.ts';
import { isDataTable, queryLog, rowsThroughObjects, type Db, type Engine, type OpenOptions, type TableInfo } from '../engine.ts';
import { migrateToLatest } from '../migrate.ts';
import { isCompiledOnce } from '../queries/compiled.ts';
import { postgresSchema } from './schema-dialect.ts';

/** The URL without its password (or any other query parameter), for messages and `Store.location`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    const user = u.username ? `${decodeURIComponent(u.username)}@` : '';
    const socket = u.searchParams.get('host');
    return `${u.protocol}//${user}${u.host}${u.pathname}${socket ? `?host=${socket}` : ''}`;
  } catch {
    return url.replace(/^([a-z]+:\/\/)[^@/]*@/i, '$1…@');
  }
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * int8 (bigint columns, count(*), sum(int)) as a JS number, like SQLite gives it. A value beyond
 * 2^53 stays a string: never silently rounded (epoch ms and ids are far below that).
 */
export function parseInt8(text: string): number | string {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

/** numeric (sum(bigint), avg) as a number when it has at most 15 significant digits (exact in a double). */
export function parseNumeric(text: string): number | string {
  const [whole = '', fraction = ''] = text.replace(/^[-+]/, '').split('.');
  const significant = (whole + fraction.replace(/0+$/, '')).replace(/^0+/, '');
  const n = Number(text);
  return Number.isFinite(n) && (Number.isSafeInteger(n) || significant.length <= 15) ? n : text;
}

/** Type parsers for this pool only: other pg users in the process keep pg's defaults. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === INT8) return parseInt8;
    if (format !== 'binary' && oid === NUMERIC) return parseNumeric;
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Each text's statement name: a hash of the text, so two different texts never share a name. */
const statementNames = new Map<string, string>();
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `tally_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * The pool's client: the statements compiled once (queries/compiled.ts: the queue's, sent on every
 * call) go as named statements, so each connection parses and plans one on its first use and then
 * only binds and executes it (an unnamed statement is planned on every call: 1.3–1.8 ms for the
 * queue's page). Everything else goes as it came; Kysely sends `query(text, values)`.
 */
class StatementClient extends pg.Client {}
const query = pg.Client.prototype.query as (this: pg.Client, ...args: unknown[]) => unknown;
StatementClient.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const [text, values] = args;
  const named = args.length === 2 && typeof text === 'string' && Array.isArray(values) && isCompiledOnce(text);
  return named ? query.call(this, { name: statementName(text), text, values }) : query.apply(this, args);
} as typeof pg.Client.prototype.query;

/** A bind message counts its parameters in 16 bits. */
const MAX_PARAMS = 65_535;

type Row = Record<string, unknown>;

class PostgresEngine implements Engine {
  readonly dialect = 'postgres';
  readonly schema = postgresSchema;
  /** Column name → SQL type, per table, read once from the catalog. */
  private readonly columnTypes = new Map<string, Map<string, string>>();

  constructor(
    readonly db: Db,
    readonly location: string,
  ) {}

  transaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  private async columnsOf(trx: Db, table: string): Promise<Map<string, string>> {
    let cols = this.columnTypes.get(table);
    if (!cols) {
      const { rows } = await sql<{ name: string; type: string }>`
        select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
        from pg_attribute a
        where a.attrelid = to_regclass(${table}) and a.attnum > 0 and not a.attisdropped`.execute(trx);
      cols = new Map(rows.map((r) => [r.name, r.type]));
      this.columnTypes.set(table, cols);
    }
    return cols;
  }

  /**
   * PostgreSQL: multi-row INSERT … RETURNING id, in chunks that stay under the bind-parameter
   * limit, on the transaction's connection. PostgreSQL returns the rows of an INSERT … VALUES in
   * the order of the VALUES list, so ids line up with `rows`.
   */
  async insertMany<T extends keyof Database>(trx: Db, table: T, rows: Insertable<Database[T]>[]): Promise<number[]> {
    if (!trx.isTransaction) throw new Error('insertMany must run inside a transaction');
    const first = rows[0] as Row | undefined;
    if (!first) return [];
    // Table and column names come from the typed schema, never from input.
    const columns = Object.keys(first);
    const hasId = (await this.columnsOf(trx, table)).has('id');
    const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    const ids: number[] = [];
    const head = sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values `;
    for (let i = 0; i < rows.length; i += per) {
      const values = (rows.slice(i, i + per) as Row[]).map((row) => sql`(${sql.join(columns.map((c) => row[c] ?? null))})`);
      if (hasId) {
        const { rows: out } = await sql<{ id: number }>`${head}${sql.join(values)} returning id`.execute(trx);
        for (const r of out) ids.push(r.id);
      } else {
        await sql`${head}${sql.join(values)}`.execute(trx);
      }
    }
    return ids;
  }

  /**
   * The rows as one JSON parameter, read back as the table's own row type (so each value gets its
   * column's type): one statement however many rows, nothing for the query builder to build per row.
   */
  async upsertMany<T extends keyof Database>(trx: Db, table: T, key: string, rows: Insertable<Database[T]>[]): Promise<void> {
    if (!trx.isTransaction) throw new Error('upsertMany must run inside a transaction');
    const first = rows[0] as Row | undefined;
    if (!first) return;
    // Table and column names come from the typed schema, never from input.
    const columns = Object.keys(first);
    const list = sql.join(columns.map((c) => sql.ref(c)));
    const update = sql.join(columns.filter((c) => c !== key).map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
    await sql`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)
      on conflict (${sql.ref(key)}) do update set ${update}`.execute(trx);
  }

  async tables(): Promise<TableInfo[]> {
    const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(this.db);
    const schema = rows[0]?.s ?? 'public';
    const tables = await this.db.introspection.getTables();
    return tables
      .filter((t) => !t.isView && isDataTable(t.name) && t.schema === schema)
      .map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name), hasId: t.columns.some((c) => c.name === 'id') }));
  }

  async foreignKeys(tables: string[]): Promise<Map<string, Set<string>>> {
    const deps = new Map(tables.map((t) => [t, new Set<string>()]));
    const { rows } = await sql<{ child: string; parent: string }>`
      select cl.relname as child, pl.relname as parent
      from pg_constraint c
      join pg_class cl on cl.oid = c.conrelid
      join pg_class pl on pl.oid = c.confrelid
      where c.contype = 'f' and cl.relnamespace = current_schema()::regnamespace`.execute(this.db);
    for (const r of rows) if (r.child !== r.parent && deps.has(r.parent)) deps.get(r.child)?.add(r.parent);
    return deps;
  }

  async afterExplicitIds(trx: Db, table: string): Promise<void> {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
  }

  /** pg builds its row objects in column order: their values are the columns. */
  rows(db: Db, query: CompiledQuery): Promise<unknown[][]> {
    return rowsThroughObjects(db, query);
  }

  /** pg reads a statement's rows whole: handed over one by one once read. */
  async forEachRow(db: Db, query: CompiledQuery, each: (row: unknown[]) => void): Promise<void> {
    for (const r of await this.rows(db, query)) each(r);
  }

  listOf(value: Expression<unknown>): RawBuilder<string | null> {
    return sql<string | null>`string_agg(${value}::text, ',')`;
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

/** Why a connection failed, in a few words (pg's errors may be AggregateErrors with no message). */
function reason(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length) return reason(err.errors[0]);
  if (err instanceof Error) return err.message || (err as NodeJS.ErrnoException).code || err.name;
  return String(err);
}

export async function openPostgresEngine(url: string, opts: OpenOptions = {}): Promise<Engine> {
  const location = redactUrl(url);
  const pool = new pg.Pool({ connectionString: url, types, connectionTimeoutMillis: 10_000, application_name: 'tally', Client: StatementClient });
  // An idle client whose server went away must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: queryLog(opts) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw new TallyError(`cannot connect to ${location}: ${reason(err)}`, 'unavailable');
  }
  try {
    if (opts.migrate !== false) await migrateToLatest(db as Kysely<unknown>, postgresSchema);
  } catch (err) {
    await db.destroy().catch(() => undefined);
    throw err;
  }
  return new PostgresEngine(db, location);
}
