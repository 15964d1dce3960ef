// A statement built once and compiled, with each call's values put in its parameters: the same SQL
// and parameters as building it again, and a builder that computes with a value is refused.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledOnce } from '../../src/store/queries/compiled.ts';
import { openStore } from '../../src/store/store.ts';
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
