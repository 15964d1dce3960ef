// Sender-side refusals (issue 15): a mailbox whose mail keeps being refused for reasons on the
// sending side (SPF, block lists, spam filters…) is paused until someone resumes it, and each
// inbound message keeps the plain words of what it did (the warning a rep reads).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mailboxes').addColumn('paused_at', 'bigint').execute();
  await db.schema.alterTable('mailboxes').addColumn('paused_reason', 'text').execute();
  await db.schema.alterTable('inbound_messages').addColumn('detail', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('inbound_messages').dropColumn('detail').execute();
  await db.schema.alterTable('mailboxes').dropColumn('paused_reason').execute();
  await db.schema.alterTable('mailboxes').dropColumn('paused_at').execute();
}
