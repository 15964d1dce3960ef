// Mailboxes as reps have them (issue 19):
// - `auth`: how the mailbox signs in: 'password' (the secret is the password) or an OAuth2 provider
//   ('google', 'microsoft': the secret is the sealed token set, refreshed before it expires);
// - `paused_kind`: why sending is paused, next to the reason's words: 'sender' (refusals on the
//   sending side), 'complaints', 'grant' (the provider's sign-in was revoked or expired) or 'hand';
// - `dkim`: an optional DKIM key (JSON: domain and selector, the private key sealed) for relays that do not sign;
// - `warmup_from`: when a new mailbox's warm-up started (its daily limit ramps up from there); null: none;
// - workspaces.oauth_clients: the admin's own OAuth client ids and secrets (sealed JSON per provider).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('mailboxes').addColumn('auth', 'text', (c) => c.notNull().defaultTo('password')).execute();
  await db.schema.alterTable('mailboxes').addColumn('paused_kind', 'text').execute();
  await db.schema.alterTable('mailboxes').addColumn('dkim', 'text').execute();
  await db.schema.alterTable('mailboxes').addColumn('warmup_from', 'bigint').execute();
  await db.schema.alterTable('workspaces').addColumn('oauth_clients', 'text').execute();
  // Pauses from before this migration were all for refusals on the sending side.
  await db.updateTable('mailboxes' as never).set({ paused_kind: 'sender' } as never).where('paused_at' as never, 'is not', null).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspaces').dropColumn('oauth_clients').execute();
  await db.schema.alterTable('mailboxes').dropColumn('warmup_from').execute();
  await db.schema.alterTable('mailboxes').dropColumn('dkim').execute();
  await db.schema.alterTable('mailboxes').dropColumn('paused_kind').execute();
  await db.schema.alterTable('mailboxes').dropColumn('auth').execute();
}
