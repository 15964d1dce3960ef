// The queue picks and orders a rep's page from the (owner, status, due, priority) index alone
// (docs/decisions.md). SQLite puts the rowid (our id) in every index entry, so it can; PostgreSQL
// does not, and without `id` in the index it visited the table once per due enrollment (one rep of
// the 1,000,000-enrollment bench, EXPLAIN ANALYZE: 1,854 heap pages and 105 ms, against 18 index
// pages and 0.8 ms with it). SQLite is left as it is: the column would only be stored twice.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  if (d.indexesCarryRowId) return;
  await db.schema.dropIndex('enrollments_queue').execute();
  await db.schema.createIndex('enrollments_queue').on('enrollments').columns(['owner_id', 'status', 'due_at', 'priority', 'id']).execute();
}

export async function down(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  if (d.indexesCarryRowId) return;
  await db.schema.dropIndex('enrollments_queue').execute();
  await db.schema.createIndex('enrollments_queue').on('enrollments').columns(['owner_id', 'status', 'due_at', 'priority']).execute();
}
