// The queue's page read in queue order, stopping at the page (issue 20). Queue order is overdue
// first, hottest first among them, then today's touches by due time (store/queries/due-steps.ts);
// no one index gives that order across both parts, and the (owner, status, due…) index does not even
// give due order over the two due statuses, so each read sorted all of a rep's due enrollments
// (1,854 in the `today` bench) to keep 100. Each part now has its own index of due enrollments only,
// in that part's order, and the page query reads each part from its index up to the page size:
//  - enrollments_queue_overdue: a rep's due enrollments by priority (highest first), due time, id;
//    the overdue ones come first within each priority, so the read stops after the page.
//  - enrollments_queue_upcoming: by due time, priority (highest first), id.
import { sql, type Kysely, type SqlBool } from 'kysely';
import { DUE_INDEX_PREDICATE } from './010-scheduler-events.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const due = sql.raw<SqlBool>(DUE_INDEX_PREDICATE);
  await db.schema.createIndex('enrollments_queue_overdue').on('enrollments').columns(['owner_id', 'priority desc', 'due_at', 'id']).where(due).execute();
  await db.schema.createIndex('enrollments_queue_upcoming').on('enrollments').columns(['owner_id', 'due_at', 'priority desc', 'id']).where(due).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('enrollments_queue_upcoming').execute();
  await db.schema.dropIndex('enrollments_queue_overdue').execute();
}
