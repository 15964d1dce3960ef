// The queue's drafts count, per cadence step, the mails a rep reviewed and sent by hand (a step's
// first ones wait for review). Found while measuring `today` (docs/benchmarks.md): SQLite, with no
// statistics on a young outbox, answered that count from the rep's side, probing the outbox once
// per enrollment the rep owns (10,000 a rep in the 1,000,000-enrollment bench: 106 ms a call).
// Hand-sent mails are few, whatever the outbox holds: this partial index lists only them, and the
// query reads from it (src/store/queries/mail.ts handSent).
import { sql, type Kysely, type SqlBool } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('outbox_hand_sent').on('outbox').columns(['enrollment_id', 'step_index']).where(sql.raw<SqlBool>("by_hand = 1 and status = 'sent'")).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('outbox_hand_sent').execute();
}
