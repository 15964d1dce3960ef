// Looking straight into a Tally SQLite file from a test (read-only).
import Database from 'better-sqlite3';

export function query<T = Record<string, unknown>>(db: string, sql: string, ...params: unknown[]): T[] {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).all(...params) as T[];
  } finally {
    conn.close();
  }
}

export function count(db: string, table: string, where = '1=1', ...params: unknown[]): number {
  return query<{ n: number }>(db, `select count(*) as n from ${table} where ${where}`, ...params)[0]!.n;
}

/** Row counts of the tables an import or a command may write. */
export function snapshot(db: string): Record<string, number> {
  const tables = ['workspaces', 'users', 'companies', 'prospects', 'cadences', 'cadence_versions', 'enrollments', 'touches'];
  return Object.fromEntries(tables.map((t) => [t, count(db, t)]));
}

/**
 * A value with its unsubscribe tokens blanked: they are signed with the database's own key, so two
 * databases holding the same data draft the same mail with different tokens.
 */
export function withoutTokens<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/w\d+\.p\d+\.[\w-]{22}/g, 'TOKEN')) as T;
}
