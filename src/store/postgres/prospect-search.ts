// PostgreSQL's prospect search: the words of each prospect in prospect_search.words (one line of
// lexemes), made by a trigger from the name, email, title, company and custom field values with the
// accents taken off (the unaccent extension: "Ñúñez" → "nunez"), lower-cased and split on
// punctuation, so the words are the ones SQLite's FTS5 index holds.
//
// The GIN index holds every word's prefixes of 1 to 10 letters as lexemes of their own (migration
// 029), as SQLite's FTS5 prefix indexes do: a typed word of up to 10 letters is then one exact
// lexeme, and GIN intersects the posting lists of exact lexemes by skipping through them. Asked as
// a prefix ("zoe:*"), each word made GIN gather the rows of every lexeme it starts (62,000 for
// "zoe" among 1,000,000 prospects) before intersecting: 240 ms a search. A word longer than 10
// letters stays a prefix query, matched against the whole words of more than 10 letters the index
// holds too (few rows start with so long a prefix). The prefixes are computed from the words by the
// index expression, so the table keeps the short line of words and not the prefixes as well.
//
// Whose a prospect is lives in the same lexemes, as "#w<workspace>" and "#o<owner>": the words never
// hold a '#' (punctuation splits them), so no search word can match them, and the GIN index answers
// the scope with the words instead of each match being checked in prospects.
import { sql, type Kysely } from 'kysely';
import type { ProspectSearchDialect } from '../migrations/dialect.ts';

/** The line of words of a prospect row `r` and its company name `company`, its scope lexemes first. */
const document = (r: string, company: string) => `concat_ws(' ', '#w' || ${r}.workspace_id, '#o' || ${r}.owner_id,
        array_to_string(tsvector_to_array(tally_search_words(concat_ws(' ', ${r}.first_name, ${r}.last_name, ${r}.email, ${r}.title, ${company},
          (select string_agg(j.value, ' ') from jsonb_each_text(${r}.custom::jsonb) j)))), ' '))`;

export const postgresProspectSearch: ProspectSearchDialect = {
  changedBy: '029-search-prefixes',
  async install(db: Kysely<unknown>) {
    await sql`create extension if not exists unaccent`.execute(db);
    await sql`create table prospect_search (prospect_id integer primary key references prospects(id) on delete cascade, words text not null)`.execute(db);
    // ASCII punctuation and spaces split words (letters of every script stay). A lexeme of the
    // 'simple' parser is letters and digits only: never a space, so a line of words splits back on ' '.
    await sql.raw(`create function tally_search_words(t text) returns tsvector language sql stable as $$
      select to_tsvector('simple', lower(regexp_replace(unaccent(t), '[\\s!-/:-@\\[-\`{-~]+', ' ', 'g')))
    $$`).execute(db);
    // The index's lexemes: each word's prefixes up to 10 letters, and the word itself when longer;
    // the scope lexemes whole. Its cost tells the planner to leave it to the index, never to
    // compute it row by row (walking the table in id order to fill a page of a common search).
    await sql.raw(`create function tally_search_prefixes(words text) returns tsvector language sql immutable parallel safe cost 1000 as $$
      select array_to_tsvector(array(
        select left(w, n) from unnest(string_to_array(words, ' ')) w,
          generate_series(case when w like '#%' then length(w) else 1 end, length(w)) n
        where n <= 10 or n = length(w)))
    $$`).execute(db);
    // A search as the index's lexemes: every word's prefix as one lexeme (a longer word as a
    // prefix query), and the scope. The workspace is left out while the database holds one (the
    // usual install), as on SQLite: it would narrow nothing, and skipping through its list of every
    // prospect costs more than the rest of the search. Words that leave no lexeme match nobody
    // (the lexeme '#', which no prospect has).
    await sql.raw(`create function tally_search_query(workspace integer, owners integer[], typed text) returns tsquery language sql stable as $$
      select (case when count(*) filter (where word) = 0 then '''#''' else string_agg(lexeme, ' & ') end)::tsquery from (
        select '''#w' || workspace || '''', false from workspaces having count(*) > 1
        union all select '''#o' || o || '''', false from unnest(owners) o
        union all select '''' || w || '''' || case when length(w) > 10 then ':*' else '' end, true
          from unnest(tsvector_to_array(tally_search_words(typed))) w
      ) q(lexeme, word)
    $$`).execute(db);
    await sql.raw(`create function prospect_search_sync() returns trigger language plpgsql as $$
    begin
      insert into prospect_search (prospect_id, words)
      values (new.id, ${document('new', '(select c.name from companies c where c.id = new.company_id)')})
      on conflict (prospect_id) do update set words = excluded.words;
      return null;
    end $$`).execute(db);
    await sql.raw(`create trigger prospect_search_sync after insert or update of first_name, last_name, email, title, company_id, custom, owner_id
      on prospects for each row execute function prospect_search_sync()`).execute(db);
    await sql.raw(`insert into prospect_search (prospect_id, words)
      select p.id, ${document('p', 'c.name')}
      from prospects p left join companies c on c.id = p.company_id`).execute(db);
    // Built after the rows are in: one sorted pass instead of a million inserts into the index.
    await sql`create index prospect_search_prefixes on prospect_search using gin (tally_search_prefixes(words))`.execute(db);
  },
  async remove(db: Kysely<unknown>) {
    await sql`drop trigger if exists prospect_search_sync on prospects`.execute(db);
    await sql`drop function if exists prospect_search_sync()`.execute(db);
    await sql`drop table if exists prospect_search`.execute(db);
    await sql`drop function if exists tally_search_query(integer, integer[], text)`.execute(db);
    await sql`drop function if exists tally_search_prefixes(text)`.execute(db);
    await sql`drop function if exists tally_search_words(text)`.execute(db);
  },
  matching(scope, words) {
    // The words are letters and digits only (core/search-words.ts); the function takes them
    // through unaccent and the parser to be the index's words.
    return sql`select prospect_id as id from prospect_search
      where tally_search_prefixes(words) @@ tally_search_query(${scope.workspaceId}, ${scope.ownerIds}::integer[], ${words.join(' ')})`;
  },
};
