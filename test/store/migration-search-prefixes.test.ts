// Migration 029-search-prefixes on a PostgreSQL database written before it: the search index is
// rebuilt with every word's prefixes as lexemes of their own, so the prospects already there are
// found as before (any case, accents ignored, prefixes, custom fields, whose they are), and the
// trigger keeps writes in it afterwards.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchWords } from '../../src/core/search-words.ts';
import { migrateToLatest, migrateUpTo } from '../../src/store/migrate.ts';
import { postgresSchema } from '../../src/store/postgres/schema-dialect.ts';
import { createTestDatabase } from '../helpers/postgres.ts';

let db: Kysely<unknown>;

/** The ids the index finds for `typed` among owner `owner`'s prospects (everyone's when none). */
async function found(typed: string, owner?: number): Promise<number[]> {
  const query = postgresSchema.prospectSearch.matching({ workspaceId: 1, ownerIds: owner === undefined ? [] : [owner] }, searchWords(typed));
  const { rows } = await sql<{ id: number }>`select id from (${query}) m order by id`.execute(db);
  return rows.map((r) => Number(r.id));
}

beforeAll(async () => {
  db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: await createTestDatabase() }) }) });
  await migrateUpTo(db, postgresSchema, '027-notes');
  await sql`insert into workspaces (id, name, timezone, created_at) values (1, 'W', 'UTC', 0)`.execute(db);
  await sql`insert into users (id, workspace_id, email, name, role, created_at) values (1, 1, 'sam@w.example', 'Sam', 'rep', 0), (2, 1, 'priya@w.example', 'Priya', 'rep', 0)`.execute(db);
  await sql`insert into companies (id, workspace_id, name, name_key, created_at) values (1, 1, 'Kranich Logistik', 'kranich logistik', 0)`.execute(db);
  await sql`insert into prospects (id, workspace_id, owner_id, email, email_key, first_name, last_name, title, company_id, custom, created_at, updated_at) values
    (1, 1, 1, 'zoe.schmidt@kranich.example', 'zoe.schmidt@kranich.example', 'Zoë', 'Schmidt', 'Vertriebsleiterin', 1, '{"Lifecycle Stage":"Evangelist"}', 0, 0),
    (2, 1, 2, 'zoe.meyer@kranich.example', 'zoe.meyer@kranich.example', 'Zoe', 'Meyer', null, null, '{}', 0, 0)`.execute(db);
  await migrateToLatest(db, postgresSchema);
});

afterAll(() => db?.destroy());

describe('029-search-prefixes', () => {
  it('finds the prospects written before it, by prefixes of any length, and keeps the index in step afterwards', async () => {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_indexes where indexname = 'prospect_search_prefixes'`.execute(db);
    expect(rows[0]!.n).toBe(1);
    expect(await found('zoe')).toEqual([1, 2]);
    expect(await found('ZOË SCHM')).toEqual([1]);
    expect(await found('kranich evangel')).toEqual([1]);
    // Up to 10 letters a word is one of the index's prefixes; longer, a prefix of its whole words.
    for (const q of ['vertriebsl', 'vertriebsle', 'vertriebsleiterin']) expect(await found(q), q).toEqual([1]);
    for (const q of ['vertriebsleiterinnen', 'vertriebsleitx']) expect(await found(q), q).toEqual([]);
    expect(await found('zoe', 2)).toEqual([2]);
    await sql`update prospects set last_name = 'Schmidt-Kranz', owner_id = 2 where id = 1`.execute(db);
    expect(await found('kranz', 2)).toEqual([1]);
    expect(await found('zoe', 1)).toEqual([]);
  });
});
