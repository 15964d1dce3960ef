// SQLite's answers to the shared migrations.
import { sql } from 'kysely';
import type { SchemaDialect } from '../migrations/dialect.ts';
import { sqliteProspectSearch } from './prospect-search.ts';
import { sqliteTickRows } from './tick-rows.ts';
import { sqliteDataVersion } from './data-version.ts';
import { sqliteHoldCleanup } from './hold-cleanup.ts';

export const sqliteSchema: SchemaDialect = { id: sql`integer`, float: sql`real`, indexesCarryRowId: true, prospectSearch: sqliteProspectSearch, clusteredTables: true, tickRows: sqliteTickRows, dataVersion: sqliteDataVersion, holdCleanup: sqliteHoldCleanup };
