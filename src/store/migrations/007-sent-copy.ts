// Whether Tally files a copy of each sent mail into the mailbox's Sent folder itself (servers that
// do not do it, unlike Gmail or Microsoft 365). It also tells the sender what a mail missing from
// Sent means after an interrupted send (docs/reliability.md).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // 0: the server files what it accepts into Sent (a missing copy proves it was not accepted);
  // 1: Tally appends its copy after acceptance (a missing copy proves nothing).
  await db.schema.alterTable('mailboxes').addColumn('append_sent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mailboxes').dropColumn('append_sent').execute();
}
