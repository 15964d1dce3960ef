// Migration 034: the tick rows lose the names they kept for the holds' words. Down puts the columns
// back filled from the prospects and companies; up drops them again, reinstalls the triggers, and
// leaves every other column of every row as it was; the triggers keep the rows in step afterwards.
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo } from '../../src/store/migrate.ts';
import type { Store } from '../../src/store/store.ts';
import { testNow } from '../helpers/clock.ts';
import { demoStores } from '../helpers/demo-store.ts';

const demoStore = demoStores();

const rows = async (store: Store) => (await store.db.selectFrom('tick_rows').selectAll().orderBy('enrollment_id').execute()).map((r) => ({ ...r, due_at: Number(r.due_at) }));
const columns = async (store: Store) => new Set((await store.db.introspection.getTables()).find((t) => t.name === 'tick_rows')!.columns.map((c) => c.name));

describe.each(['sqlite', 'postgres'] as const)('034-tick-rows-unnamed, on %s', (engine) => {
  it('drops the names and keeps the rows and their triggers; down fills the names back', async () => {
    const store = await demoStore(engine, 20);
    const before = await rows(store);
    expect(before.length).toBeGreaterThan(5);
    expect(await columns(store)).not.toContain('first_name');

    await migrateUpTo(store.db as Kysely<unknown>, store.engine.schema, '033-hold-keys');
    // Down: the names are back, as the prospects and companies have them.
    const { rows: named } = await sql<{ kept: string; theirs: string }>`
      select coalesce(t.first_name, '') || '|' || coalesce(t.last_name, '') || '|' || t.email || '|' || coalesce(t.company, '') as kept,
             coalesce(p.first_name, '') || '|' || coalesce(p.last_name, '') || '|' || p.email || '|' || coalesce(c.name, '') as theirs
      from tick_rows t join prospects p on p.id = t.prospect_id left join companies c on c.id = p.company_id`.execute(store.db);
    expect(named).toHaveLength(before.length);
    for (const r of named) expect(r.kept).toBe(r.theirs);

    await migrateToLatest(store.db as Kysely<unknown>, store.engine.schema);
    expect([...(await columns(store))].filter((c) => ['first_name', 'last_name', 'email', 'company'].includes(c))).toEqual([]);
    expect(await rows(store)).toEqual(before);
    // The triggers are back: a touch logged shows in its prospect's tick row.
    const first = before[0]!;
    const at = testNow();
    await store.db
      .insertInto('touches')
      .values({ workspace_id: first.workspace_id, prospect_id: first.prospect_id, company_id: first.company_id, user_id: 1, channel: 'call', outcome: 'no_answer', occurred_at: at, created_at: at } as never)
      .execute();
    const after = (await rows(store)).find((r) => r.enrollment_id === first.enrollment_id)!;
    expect(after.touches?.split(',').map(Number)).toContain(at);
  });
});
