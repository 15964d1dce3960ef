// The tick rows' fill (migration 023, a bulk load without the triggers) builds the same rows the
// triggers keep write by write: the fill groups the touch times per prospect and company in one
// pass, the triggers look them up per row, and both must keep the same times.
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { demoStores } from '../helpers/demo-store.ts';

const demoStore = demoStores();

/** Every tick row, its touch lists as sorted numbers (an aggregate's order is the engine's). */
async function tickRows(store: Store) {
  const rows = await store.db.selectFrom('tick_rows').selectAll().orderBy('enrollment_id').execute();
  const times = (list: string | null) => (list === null ? null : list.split(',').map(Number).sort((a, b) => a - b));
  return rows.map((r) => ({ ...r, due_at: Number(r.due_at), touches: times(r.touches), company_touches: times(r.company_touches) }));
}

describe.each(['sqlite', 'postgres'] as const)('the tick rows fill, on %s', (engine) => {
  it('builds the rows the triggers keep, touch times included', async () => {
    const store = await demoStore(engine, 60);
    const kept = await tickRows(store);
    expect(kept.filter((r) => r.touches !== null).length).toBeGreaterThan(5);
    expect(kept.filter((r) => r.company_touches !== null && r.company_touches.length > 1).length).toBeGreaterThan(0);
    await store.db.deleteFrom('tick_rows').execute();
    await sql.raw(store.engine.schema.tickRows.fill).execute(store.db);
    expect(await tickRows(store)).toEqual(kept);
  });
});
