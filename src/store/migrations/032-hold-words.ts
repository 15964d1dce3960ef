// A hold's words are no longer kept (issue 20): the tick records which rules hold a touch and until
// when, and whoever shows the hold (the queue, the planner, `tally today`) words it then, with the
// names and clock of that moment. Nothing read the kept words, and writing them was a third of a
// first tick's cost: a sentence of ~150 bytes per held touch, and a read of names to put in it.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('enrollment_holds').dropColumn('held_reason').execute();
}

/** The column comes back with no words; an older version words each hold its tick rewrites. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('enrollment_holds').addColumn('held_reason', 'text', (c) => c.notNull().defaultTo('')).execute();
}
