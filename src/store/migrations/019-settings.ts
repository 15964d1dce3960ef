// Settings in the browser (issue 18): the rep's email signature, and the private calendar feed URL
// each rep can subscribe to. The feed's token is stored as its SHA-256 hash, like sessions and API
// tokens; one live feed per user (rotating replaces it, revoking deletes it).
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('signature', 'text').execute();
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', d.id, (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('calendar_feeds').execute();
  await db.schema.alterTable('users').dropColumn('signature').execute();
}
