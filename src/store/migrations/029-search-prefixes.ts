// PostgreSQL's search index rebuilt with every word's prefixes as lexemes of their own (issue 18:
// search fast on PostgreSQL at 1,000,000 prospects; see postgres/prospect-search.ts). A typed word
// was a prefix query that gathered the rows of every word it starts before intersecting: 240 ms
// a search among a million prospects. SQLite's FTS5 index has held its prefixes since 022: it is
// left as it is.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  if (d.prospectSearch.changedBy !== '029-search-prefixes') return;
  await d.prospectSearch.remove(db);
  await d.prospectSearch.install(db);
}

/** A Tally older than 029 refuses a database that ran it (the migrator knows no such migration): nothing reads the old index again. */
export async function down(): Promise<void> {}
