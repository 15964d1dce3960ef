// Migration 033: the holds table has no foreign keys (the tick's writes skip their checks), and a
// trigger deletes an enrollment's hold with it, also when a cascade deletes the enrollment. Down and
// up again keep the holds.
import { describe, expect, it } from 'vitest';
import { migrateToLatest, migrateUpTo } from '../../src/store/migrate.ts';
import type { Store } from '../../src/store/store.ts';
import type { Kysely } from 'kysely';
import { demoStores } from '../helpers/demo-store.ts';

const demoStore = demoStores();

const holds = async (store: Store) => (await store.db.selectFrom('enrollment_holds').select(['enrollment_id', 'held_until', 'held_rules']).orderBy('enrollment_id').execute()).map((h) => ({ ...h, held_until: h.held_until === null ? null : Number(h.held_until) }));

/** Writes a hold for enrollment `id` (outside the tick: any id, to show what the table accepts). */
const hold = (store: Store, id: number) =>
  store.transaction((tx) => tx.enrollments.writeHolds([{ enrollmentId: id, workspaceId: 1, hold: { held_until: 1_000, held_rules: 'quiet_hours' } }]));

describe.each(['sqlite', 'postgres'] as const)('the holds table, on %s', (engine) => {
  it('deletes an enrollment’s hold with it (directly or by a cascade), takes any id, and keeps its holds down and up again', async () => {
    const store = await demoStore(engine, 12);
    const enrollments = await store.db.selectFrom('enrollments').select(['id', 'prospect_id']).orderBy('id').execute();
    expect(enrollments.length).toBeGreaterThan(4);
    await store.db.deleteFrom('enrollment_holds').execute();
    for (const e of enrollments) await hold(store, e.id);
    const all = await holds(store);
    expect(all).toHaveLength(enrollments.length);

    // Down to 032: the foreign keys are back and the holds kept; an orphan hold is refused.
    await migrateUpTo(store.db as Kysely<unknown>, store.engine.schema, '032-hold-words');
    expect(await holds(store)).toEqual(all);
    await expect(hold(store, 999_999)).rejects.toThrow(/foreign key/i);
    // Up again: the same holds, no key to check.
    await migrateToLatest(store.db as Kysely<unknown>, store.engine.schema);
    expect(await holds(store)).toEqual(all);
    await hold(store, 999_999);
    await store.db.deleteFrom('enrollment_holds').where('enrollment_id', '=', 999_999).execute();

    // An enrollment deleted: its hold goes with it.
    const [first, ...rest] = enrollments;
    await store.db.deleteFrom('enrollments').where('id', '=', first!.id).execute();
    // A prospect deleted: its enrollments go by their key's cascade, and their holds by the trigger.
    const prospect = rest[0]!.prospect_id;
    await store.db.deleteFrom('touches').where('prospect_id', '=', prospect).execute();
    await store.db.deleteFrom('prospects').where('id', '=', prospect).execute();
    const left = new Set(rest.filter((e) => e.prospect_id !== prospect).map((e) => e.id));
    expect((await holds(store)).map((h) => h.enrollment_id)).toEqual([...left]);
  });
});
