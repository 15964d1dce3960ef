// Scheduling: guardrail holds found by the scheduler tick, and nurture follow-ons.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('enrollments').addColumn('held_until', 'bigint').execute();
  await db.schema.alterTable('enrollments').addColumn('held_reason', 'text').execute();
  // The rules behind the hold ("min_gap,quiet_hours"): the tick rewrites a hold only when these or
  // held_until change, not when its wording drifts with the clock ("06:05 local").
  await db.schema.alterTable('enrollments').addColumn('held_rules', 'text').execute();
  // On a finished enrollment: what the rep decided about the proposed nurture ('accepted' | 'declined').
  await db.schema.alterTable('enrollments').addColumn('nurture', 'text').execute();
  // On a nurture enrollment: the finished enrollment it follows.
  await db.schema.alterTable('enrollments').addColumn('follows_enrollment_id', 'integer').execute();
  await db.schema.createIndex('blocks_user').on('blocks').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('blocks_user').ifExists().execute();
  for (const c of ['follows_enrollment_id', 'nurture', 'held_rules', 'held_reason', 'held_until']) {
    await db.schema.alterTable('enrollments').dropColumn(c).execute();
  }
}
