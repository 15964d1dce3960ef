// SQLite's prospect search: an FTS5 index (unicode61, diacritics removed, so "Ñúñez" and "nunez"
// are one word) keyed by the prospect id. Contentless, so the index keeps no copy of the text (an
// erased prospect leaves no readable trace), with deletes allowed (contentless_delete). Triggers on
// the prospects table keep it in sync with every write, the import's bulk path included.
//
// Whose a prospect is lives in the index too, as the tokens "#w<workspace>" and "#o<owner>": '#' is
// a word character of this index only (it is taken out of the indexed text, and a typed word never
// holds one), so no search word can match them, and MATCH itself narrows a search to a rep's own
// prospects instead of checking every match against the prospects table (issue 18: 5,000 probes
// of 1,000,000 rows cost 50 ms, the whole budget).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { ProspectSearchDialect, SearchScope } from '../migrations/dialect.ts';

/** The indexed text of the prospect row `r` (new or old): its scope tokens, then name, email, title, company, custom values. */
const document = (r: 'new' | 'p') => `'#w' || ${r}.workspace_id || ' #o' || ${r}.owner_id || ' ' || replace(coalesce(${r}.first_name, '') || ' ' || coalesce(${r}.last_name, '') || ' ' || ${r}.email || ' ' || coalesce(${r}.title, '') || ' '
  || coalesce((select c.name from companies c where c.id = ${r}.company_id), '') || ' '
  || coalesce((select group_concat(j.value, ' ') from json_each(${r}.custom) j), ''), '#', ' ')`;

/**
 * The MATCH expression. Each word is letters and digits only (core/search-words.ts): quoted, it is
 * one prefix term. The workspace token is left out while the database holds one workspace (the
 * usual install): it would narrow nothing, and reading its list of every prospect costs more than
 * the rest of the search. Owners belong to one workspace, but an owner filter is the caller's id,
 * so with several workspaces the workspace token stays beside it.
 */
function matchExpression(scope: SearchScope, words: string[]): RawBuilder<string> {
  const terms = [...scope.ownerIds.map((o) => `"#o${o}"`), ...words.map((w) => `"${w}"*`)].join(' AND ');
  return sql<string>`(case when (select count(*) from workspaces) > 1 then ${`"#w${scope.workspaceId}" AND `} else '' end) || ${terms}`;
}

export const sqliteProspectSearch: ProspectSearchDialect = {
  changedBy: '022-search-scope',
  async install(db: Kysely<unknown>) {
    // Words only (detail=none: no positions, no phrases). Prefix indexes up to 10 letters make a word
    // typed in part, or in full, one list to read: a prefix past them merges the lists of every
    // word it starts (5 to 10× slower for "schmidt" among 1,000,000).
    await sql`create virtual table prospect_search using fts5(body, content='', contentless_delete=1, detail=none, prefix='1 2 3 4 5 6 7 8 9 10', tokenize="unicode61 remove_diacritics 2 tokenchars '#'")`.execute(db);
    await sql.raw(`create trigger prospect_search_insert after insert on prospects begin
      insert into prospect_search (rowid, body) values (new.id, ${document('new')});
    end`).execute(db);
    await sql.raw(`create trigger prospect_search_update after update of first_name, last_name, email, title, company_id, custom, owner_id on prospects begin
      delete from prospect_search where rowid = old.id;
      insert into prospect_search (rowid, body) values (new.id, ${document('new')});
    end`).execute(db);
    await sql.raw('create trigger prospect_search_delete after delete on prospects begin delete from prospect_search where rowid = old.id; end').execute(db);
    await sql.raw(`insert into prospect_search (rowid, body) select p.id, ${document('p')} from prospects p`).execute(db);
    // One b-tree instead of the many segments of a bulk insert: fewer lists to merge per word.
    await sql`insert into prospect_search (prospect_search) values ('optimize')`.execute(db);
  },
  async remove(db: Kysely<unknown>) {
    for (const t of ['prospect_search_insert', 'prospect_search_update', 'prospect_search_delete']) await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
    await sql`drop table if exists prospect_search`.execute(db);
  },
  matching(scope, words) {
    return sql`select rowid as id from prospect_search where prospect_search match ${matchExpression(scope, words)}`;
  },
};
