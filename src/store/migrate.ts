// Runs the shared migrations (one list for SQLite and PostgreSQL), each told the engine's dialect.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { SchemaDialect, SchemaMigration } from './migrations/dialect.ts';
import * as foundation from './migrations/001-foundation.ts';
import * as scheduling from './migrations/002-scheduling.ts';
import * as mail from './migrations/003-mail.ts';
import * as accounts from './migrations/004-accounts.ts';
import * as playbook from './migrations/005-playbook.ts';
import * as webhooks from './migrations/006-webhooks.ts';
import * as sentCopy from './migrations/007-sent-copy.ts';
import * as queueIndexId from './migrations/008-queue-index-id.ts';
import * as accountSecurity from './migrations/009-account-security.ts';
import * as schedulerEvents from './migrations/010-scheduler-events.ts';
import * as inboundSync from './migrations/011-inbound-sync.ts';
import * as senderPause from './migrations/012-sender-pause.ts';
import * as touchUndo from './migrations/013-touch-undo.ts';
import * as stepCopy from './migrations/014-step-copy.ts';
import * as sendUndo from './migrations/015-send-undo.ts';
import * as inboundReview from './migrations/016-inbound-review.ts';
import * as records from './migrations/017-records.ts';
import * as cadenceLifecycle from './migrations/018-cadence-lifecycle.ts';
import * as settings from './migrations/019-settings.ts';
import * as mailboxSignin from './migrations/020-mailbox-signin.ts';
import * as handSentIndex from './migrations/021-hand-sent-index.ts';
import * as searchScope from './migrations/022-search-scope.ts';
import * as tickRows from './migrations/023-tick-rows.ts';
import * as queuePageIndexes from './migrations/024-queue-page-indexes.ts';
import * as notes from './migrations/027-notes.ts';
import * as searchPrefixes from './migrations/029-search-prefixes.ts';
import * as dataVersion from './migrations/031-data-version.ts';
import * as holdWords from './migrations/032-hold-words.ts';
import * as holdKeys from './migrations/033-hold-keys.ts';
import * as tickRowsUnnamed from './migrations/034-tick-rows-unnamed.ts';
import * as slotFillsByProspect from './migrations/035-slot-fills-by-prospect.ts';

const MIGRATIONS: Record<string, SchemaMigration> = {
  '001-foundation': foundation,
  '002-scheduling': scheduling,
  '003-mail': mail,
  '004-accounts': accounts,
  '005-playbook': playbook,
  '006-webhooks': webhooks,
  '007-sent-copy': sentCopy,
  '008-queue-index-id': queueIndexId,
  '009-account-security': accountSecurity,
  '010-scheduler-events': schedulerEvents,
  '011-inbound-sync': inboundSync,
  '012-sender-pause': senderPause,
  '013-touch-undo': touchUndo,
  '014-step-copy': stepCopy,
  '015-send-undo': sendUndo,
  '016-inbound-review': inboundReview,
  '017-records': records,
  '018-cadence-lifecycle': cadenceLifecycle,
  '019-settings': settings,
  '020-mailbox-signin': mailboxSignin,
  '021-hand-sent-index': handSentIndex,
  '022-search-scope': searchScope,
  '023-tick-rows': tickRows,
  '024-queue-page-indexes': queuePageIndexes,
  '027-notes': notes,
  '029-search-prefixes': searchPrefixes,
  '031-data-version': dataVersion,
  '032-hold-words': holdWords,
  '033-hold-keys': holdKeys,
  '034-tick-rows-unnamed': tickRowsUnnamed,
  '035-slot-fills-by-prospect': slotFillsByProspect,
};

function provider(d: SchemaDialect): MigrationProvider {
  const withDialect = (m: SchemaMigration): Migration => ({ up: (db) => m.up(db, d), down: (db) => m.down(db, d) });
  return { getMigrations: async () => Object.fromEntries(Object.entries(MIGRATIONS).map(([name, m]) => [name, withDialect(m)])) };
}

/**
 * Whether the database has run exactly the migrations this version knows: one query, so that opening
 * an up-to-date database (every CLI command does) skips the migrator's table checks and lock.
 */
async function upToDate(db: Kysely<unknown>): Promise<boolean> {
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    const done = new Set(rows.map((r) => r.name));
    return done.size === Object.keys(MIGRATIONS).length && Object.keys(MIGRATIONS).every((name) => done.has(name));
  } catch {
    return false; // a new database: no migration table yet
  }
}

/**
 * Migrations are numbered by the branch that wrote them and may land out of number order: a database
 * that already ran 021 still takes a 015 merged after it (each migration touches only its own tables).
 */
function migrator(db: Kysely<unknown>, d: SchemaDialect): Migrator {
  return new Migrator({ db, provider: provider(d), allowUnorderedMigrations: true });
}

export async function migrateToLatest(db: Kysely<unknown>, d: SchemaDialect): Promise<string[]> {
  if (await upToDate(db)) return [];
  const { error, results } = await migrator(db, d).migrateToLatest();
  if (error) throw new Error(`database migration failed: ${error instanceof Error ? error.message : String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Runs the migrations up to and including `name` (tests of a migration's data rewrite start there). */
export async function migrateUpTo(db: Kysely<unknown>, d: SchemaDialect, name: string): Promise<void> {
  const { error } = await migrator(db, d).migrateTo(name);
  if (error) throw new Error(`database migration failed: ${error instanceof Error ? error.message : String(error)}`);
}

/** Migrations this version knows that the database has not run (readiness checks). */
export async function pendingMigrations(db: Kysely<unknown>, d: SchemaDialect): Promise<string[]> {
  const all = await migrator(db, d).getMigrations();
  return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
