// SQLite's prospect search: an FTS5 index (unicode61, diacritics removed, so "Ñúñez" and "nunez"
// are one word) keyed by the prospect id, with prefix indexes for words typed in part (2 to 6 letters). Contentless, so the index keeps no copy of the text (an
// erased prospect leaves no readable trace), with deletes allowed (contentless_delete). Triggers on
// the prospects table keep it in sync with every write, the import's bulk path included.
import { sql, type Kysely } from 'kysely';
import type { ProspectSearchDialect } from '../migrations/dialect.ts';

/** The indexed text of the prospect row `r` (new or old): name, email, title, company, custom values. */
const document = (r: 'new' | 'p') => `coalesce(${r}.first_name, '') || ' ' || coalesce(${r}.last_name, '') || ' ' || ${r}.email || ' ' || coalesce(${r}.title, '') || ' '
  || coalesce((select c.name from companies c where c.id = ${r}.company_id), '') || ' '
  || coalesce((select group_concat(j.value, ' ') from json_each(${r}.custom) j), '')`;

export const sqliteProspectSearch: ProspectSearchDialect = {
  async install(db: Kysely<unknown>) {
    // Words only (detail=none: no positions, no phrases), with prefix indexes so a word typed in part is one lookup.
    await sql`create virtual table prospect_search using fts5(body, content='', contentless_delete=1, detail=none, prefix='2 3 4 5 6', tokenize="unicode61 remove_diacritics 2")`.execute(db);
    await sql.raw(`create trigger prospect_search_insert after insert on prospects begin
      insert into prospect_search (rowid, body) values (new.id, ${document('new')});
    end`).execute(db);
    await sql.raw(`create trigger prospect_search_update after update of first_name, last_name, email, title, company_id, custom on prospects begin
      delete from prospect_search where rowid = old.id;
      insert into prospect_search (rowid, body) values (new.id, ${document('new')});
    end`).execute(db);
    await sql.raw('create trigger prospect_search_delete after delete on prospects begin delete from prospect_search where rowid = old.id; end').execute(db);
    await sql.raw(`insert into prospect_search (rowid, body) select p.id, ${document('p')} from prospects p`).execute(db);
  },
  async remove(db: Kysely<unknown>) {
    for (const t of ['prospect_search_insert', 'prospect_search_update', 'prospect_search_delete']) await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
    await sql`drop table if exists prospect_search`.execute(db);
  },
  matches(words: string[]) {
    // Each word is letters and digits only (core/search-words.ts): quoted, it is one prefix term.
    const query = words.map((w) => `"${w}"*`).join(' AND ');
    return sql<boolean>`${sql.ref('p.id')} in (select rowid from prospect_search where prospect_search match ${query})`;
  },
};
