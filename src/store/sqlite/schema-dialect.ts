// SQLite's answers to the shared migrations.
import { sql } from 'kysely';
import type { SchemaDialect } from '../migrations/dialect.ts';

export const sqliteSchema: SchemaDialect = { id: sql`integer`, float: sql`real`, indexesCarryRowId: true };
