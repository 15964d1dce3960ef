// The queue's page reads each card's slot fills by step and prospect (store/queries/due-steps.ts
// fillsOf): 014's index puts the slot before the prospect, so each card's lookup read every fill of
// its step, a cost growing with the fills of a step times the page's cards. This index finds a
// prospect's fills of a step, and the step's own (prospect null), directly.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('slot_fills_prospect').on('slot_fills').columns(['cadence_id', 'step_index', 'prospect_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('slot_fills_prospect').ifExists().execute();
}
