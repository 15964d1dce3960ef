// A statement built once and compiled, with each call's values put in its parameters: the same SQL
// and parameters as building it again, and a builder that computes with a value is refused. On
// PostgreSQL such a statement is a named one, parsed and planned once per connection.
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { compiledOnce } from '../../src/store/queries/compiled.ts';
import { openStore } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();

describe('compiledOnce', () => {
  it('gives the statement Kysely would build for the values, and refuses a value computed with', async () => {
    const store = await openStore(join(dir, 'compiled.db'));
    try {
      const { db } = store;
      const build = (v: { owner: number; until: number; limit: number }) =>
        db.selectFrom('enrollments').select('id').where('owner_id', '=', v.owner).where('due_at', '<=', v.until).orderBy('due_at').limit(v.limit);
      const once = compiledOnce(build);
      for (const v of [{ owner: 3, until: 1_000, limit: 10 }, { owner: 7, until: 5, limit: 1 }]) {
        const fresh = build(v).compile();
        expect(once(v).sql).toBe(fresh.sql);
        expect(once(v).parameters).toEqual(fresh.parameters);
      }
      expect((await db.executeQuery(once({ owner: 1, until: 0, limit: 5 }))).rows).toEqual([]);
      const computed = compiledOnce((v: { now: number }) => db.selectFrom('enrollments').select('id').where('due_at', '<=', v.now - 1));
      expect(() => computed({ now: 5 })).toThrow(/now did not become a parameter/);
    } finally {
      await store.close();
    }
  });
});

describe('statements compiled once on PostgreSQL', () => {
  it('are prepared once per connection under a name of their own, kept through errors and rollbacks; others are not', async () => {
    const store = await openStore(await createTestDatabase());
    try {
      const { db } = store;
      const plusOne = compiledOnce((v: { x: number }) => db.selectNoFrom(sql<number>`${v.x}::int + 1`.as('y')));
      const timesTwo = compiledOnce((v: { x: number }) => db.selectNoFrom(sql<number>`${v.x}::int * 2`.as('y')));
      const prepared = await db.transaction().execute(async (trx) => {
        for (const x of [1, 2, 3]) {
          expect((await trx.executeQuery(plusOne({ x }))).rows).toEqual([{ y: x + 1 }]);
          expect((await trx.executeQuery(timesTwo({ x }))).rows).toEqual([{ y: x * 2 }]);
        }
        // Built anew each time: sent unnamed, as before.
        await sql`select ${5}::int as y`.execute(trx);
        return (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements order by statement`.execute(trx)).rows;
      });
      expect(prepared.map((p) => p.statement)).toEqual([plusOne({ x: 0 }).sql, timesTwo({ x: 0 }).sql].sort());
      expect(new Set(prepared.map((p) => p.name)).size).toBe(2);
      for (const p of prepared) expect(p.name).toMatch(/^tally_[0-9a-f]{40}$/);

      // A statement that fails (a bad value) leaves the connection's statements usable; so does a rollback.
      await expect(db.transaction().execute(async (trx) => {
        expect((await trx.executeQuery(plusOne({ x: 7 }))).rows).toEqual([{ y: 8 }]);
        await trx.executeQuery(plusOne({ x: 'seven' as unknown as number }));
      })).rejects.toThrow(/invalid input syntax for type integer/);
      for (let i = 0; i < 12; i++) expect((await db.executeQuery(plusOne({ x: i }))).rows).toEqual([{ y: i + 1 }]);
    } finally {
      await store.close();
    }
  });
});
