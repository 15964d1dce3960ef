// The holds table without foreign keys (issue 20): a first tick writes thousands of holds, and each
// one's checks of its enrollment and workspace were a tenth of the tick's time (7–12%, the checks
// turned off in interleaved runs). The tick writes holds only for enrollments it has just read from
// their tick rows; what the keys' cascades did, deleting an enrollment's hold with it, a trigger
// does (holdCleanup), also for enrollments a cascade deletes. A hold whose enrollment went between
// the tick's read and its write is never read (holds are read through their tick row), and goes
// with the strays a tick with events clears (app/tick.ts, strayHolds).
import { sql, type Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

const COLUMNS = sql.raw('enrollment_id, workspace_id, held_until, held_rules');

async function rebuild(db: Kysely<unknown>, keys: boolean): Promise<void> {
  await db.schema
    .createTable('enrollment_holds_next')
    .addColumn('enrollment_id', 'integer', (c) => (keys ? c.primaryKey().notNull().references('enrollments.id').onDelete('cascade') : c.primaryKey().notNull()))
    .addColumn('workspace_id', 'integer', (c) => (keys ? c.notNull().references('workspaces.id').onDelete('cascade') : c.notNull()))
    // Null: never (an opt-out, a bad address for an email…).
    .addColumn('held_until', 'bigint')
    // The rules behind the hold ("min_gap,quiet_hours"), rewritten when these or held_until change.
    .addColumn('held_rules', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into enrollment_holds_next (${COLUMNS}) select ${COLUMNS} from enrollment_holds`.execute(db);
  await db.schema.dropTable('enrollment_holds').execute();
  await db.schema.alterTable('enrollment_holds_next').renameTo('enrollment_holds').execute();
}

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await rebuild(db, false);
  await d.holdCleanup.install(db);
}

export async function down(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await d.holdCleanup.remove(db);
  await rebuild(db, true);
}
