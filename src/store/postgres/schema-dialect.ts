// PostgreSQL's answers to the shared migrations.
import { sql } from 'kysely';
import type { SchemaDialect } from '../migrations/dialect.ts';
import { postgresProspectSearch } from './prospect-search.ts';
import { postgresTickRows } from './tick-rows.ts';
import { postgresDataVersion } from './data-version.ts';
import { postgresHoldCleanup } from './hold-cleanup.ts';

export const postgresSchema: SchemaDialect = { id: sql`serial`, float: sql`double precision`, indexesCarryRowId: false, prospectSearch: postgresProspectSearch, clusteredTables: false, tickRows: postgresTickRows, dataVersion: postgresDataVersion, holdCleanup: postgresHoldCleanup };
