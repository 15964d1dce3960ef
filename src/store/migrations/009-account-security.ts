// Access that can be taken away, and sign-in that resists guessing: deactivated users, sessions
// that say where they were made and when they were last used, API tokens with an expiry, password
// resets (single-use, expiring, stored as hashes), sign-in failures per account and per address,
// and the one-time setup code an unowned server's first sign-up must give.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('deactivated_at', 'bigint').execute();
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'bigint').execute();
  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('expires_at', 'bigint').execute();

  await db.schema
    .createTable('password_resets')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('password_resets_token').on('password_resets').column('token_hash').unique().execute();

  // key: "account:<email>" or "address:<ip>"; the lock lifts at locked_until.
  await db.schema
    .createTable('sign_in_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('setup_codes')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('setup_codes').execute();
  await db.schema.dropTable('sign_in_failures').execute();
  await db.schema.dropTable('password_resets').execute();
  await db.schema.alterTable('api_tokens').dropColumn('expires_at').execute();
  await db.schema.alterTable('sessions').dropColumn('user_agent').execute();
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
  await db.schema.alterTable('users').dropColumn('deactivated_at').execute();
}
