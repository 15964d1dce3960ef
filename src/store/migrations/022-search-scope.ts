// The prospect search index rebuilt with whose each prospect is (issue 18: search at 1,000,000
// prospects). 017's index held the words only, so a search checked every match against the
// prospects table for the workspace and owner: 5,000 probes for two common words, 50 ms. The
// index now holds the workspace and owner as tokens no typed word matches (see the engines'
// prospect-search.ts), SQLite's prefix indexes reach 10 letters, and PostgreSQL's GIN index is
// built after its rows. Existing prospects are indexed again here.
import type { Kysely } from 'kysely';
import type { SchemaDialect } from './dialect.ts';

export async function up(db: Kysely<unknown>, d: SchemaDialect): Promise<void> {
  await d.prospectSearch.remove(db);
  await d.prospectSearch.install(db);
}

/** 017's queries read this index as well (its scope tokens are words they never ask for): it stays. */
export async function down(): Promise<void> {}
