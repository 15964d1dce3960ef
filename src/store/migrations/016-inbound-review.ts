// "Needs a look" and replies first (issue 15 and 17): an inbound message keeps the classifier's
// reading, the headers that decided it and its new text; what it waits for (a decision, or the
// rep's acknowledgement of a reply or meeting) and the rep's decision: who, when, what. The
// company-wide stop tells the owners of the cadences it paused through notices.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  // JSON: class, confidence, summary, the decision it suggests, evidence (core/inbound/review.ts Reading).
  await db.schema.alterTable('inbound_messages').addColumn('reading', 'text').execute();
  // JSON: the headers a labelled example keeps.
  await db.schema.alterTable('inbound_messages').addColumn('headers', 'text').execute();
  // The message's new text (quoted history and signature cut), for the rep to read.
  await db.schema.alterTable('inbound_messages').addColumn('text', 'text').execute();
  // needs_look | reply | meeting: waits for the rep until decided_at is set; null: nothing to wait for.
  await db.schema.alterTable('inbound_messages').addColumn('review', 'text').execute();
  // A decision (core REVIEW_DECISIONS) or "confirmed" for an acknowledged reply or meeting.
  await db.schema.alterTable('inbound_messages').addColumn('decision', 'text').execute();
  // The user who decided (no reference: SQLite cannot drop a referencing column on the way down).
  await db.schema.alterTable('inbound_messages').addColumn('decided_by', 'integer').execute();
  await db.schema.alterTable('inbound_messages').addColumn('decided_at', 'bigint').execute();
  await db.schema.createIndex('inbound_messages_review').on('inbound_messages').columns(['workspace_id', 'review', 'decided_at']).execute();
  await db.schema
    .createTable('inbound_notices')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('workspace_id', 'integer', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    // The owner told.
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    // The prospect whose cadence was paused, and the message that caused it.
    .addColumn('prospect_id', 'integer', (c) => c.notNull().references('prospects.id').onDelete('cascade'))
    .addColumn('inbound_id', 'integer', (c) => c.notNull().references('inbound_messages.id').onDelete('cascade'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('seen_at', 'bigint')
    .execute();
  await db.schema.createIndex('inbound_notices_user').on('inbound_notices').columns(['user_id', 'seen_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inbound_notices').execute();
  await db.schema.dropIndex('inbound_messages_review').execute();
  for (const column of ['decided_at', 'decided_by', 'decision', 'review', 'text', 'headers', 'reading']) {
    await db.schema.alterTable('inbound_messages').dropColumn(column).execute();
  }
}
