// PostgreSQL's prospect search: a tsvector per prospect in prospect_search (GIN index), made by a
// trigger from the name, email, title, company and custom field values with the accents taken off
// (the unaccent extension: "Ñúñez" → "nunez"), lower-cased and split on punctuation, so the words
// are the ones SQLite's FTS5 index holds. A search asks for every word as a prefix (word:*).
//
// Whose a prospect is lives in the same tsvector, as the lexemes "#w<workspace>" and "#o<owner>":
// the words never hold a '#' (punctuation splits them), so no search word can match them, and the
// GIN index answers the scope with the words instead of each match being checked in prospects.
import { sql, type Kysely } from 'kysely';
import type { ProspectSearchDialect } from '../migrations/dialect.ts';

/** The tsvector of a prospect row `r` and its company name `company`. */
const document = (r: string, company: string) => `tally_search_words(concat_ws(' ', ${r}.first_name, ${r}.last_name, ${r}.email, ${r}.title, ${company},
        (select string_agg(j.value, ' ') from jsonb_each_text(${r}.custom::jsonb) j)))
      || array_to_tsvector(array['#w' || ${r}.workspace_id, '#o' || ${r}.owner_id])`;

export const postgresProspectSearch: ProspectSearchDialect = {
  async install(db: Kysely<unknown>) {
    await sql`create extension if not exists unaccent`.execute(db);
    await sql`create table prospect_search (prospect_id integer primary key references prospects(id) on delete cascade, doc tsvector not null)`.execute(db);
    // ASCII punctuation and spaces split words (letters of every script stay).
    await sql.raw(`create function tally_search_words(t text) returns tsvector language sql stable as $$
      select to_tsvector('simple', lower(regexp_replace(unaccent(t), '[\\s!-/:-@\\[-\`{-~]+', ' ', 'g')))
    $$`).execute(db);
    await sql.raw(`create function prospect_search_sync() returns trigger language plpgsql as $$
    begin
      insert into prospect_search (prospect_id, doc)
      values (new.id, ${document('new', '(select c.name from companies c where c.id = new.company_id)')})
      on conflict (prospect_id) do update set doc = excluded.doc;
      return null;
    end $$`).execute(db);
    await sql.raw(`create trigger prospect_search_sync after insert or update of first_name, last_name, email, title, company_id, custom, owner_id
      on prospects for each row execute function prospect_search_sync()`).execute(db);
    await sql.raw(`insert into prospect_search (prospect_id, doc)
      select p.id, ${document('p', 'c.name')}
      from prospects p left join companies c on c.id = p.company_id`).execute(db);
    // Built after the rows are in: one sorted pass instead of a million inserts into the index.
    await sql`create index prospect_search_doc on prospect_search using gin (doc)`.execute(db);
  },
  async remove(db: Kysely<unknown>) {
    await sql`drop trigger if exists prospect_search_sync on prospects`.execute(db);
    await sql`drop function if exists prospect_search_sync()`.execute(db);
    await sql`drop table if exists prospect_search`.execute(db);
    await sql`drop function if exists tally_search_words(text)`.execute(db);
  },
  matching(scope, words, slice) {
    // The scope's lexemes as they are (a tsquery literal); the words, letters and digits only
    // (core/search-words.ts), through unaccent to be the index's words.
    const tokens = [`'#w${scope.workspaceId}'`, ...scope.ownerIds.map((o) => `'#o${o}'`)].join(' & ');
    const query = words.map((w) => `${w}:*`).join(' & ');
    const where = sql`doc @@ (${tokens}::tsquery && to_tsquery('simple', lower(unaccent(${query}))))`;
    if (!slice) return sql`select prospect_id as id from prospect_search where ${where}`;
    const after = slice.after === undefined ? sql`` : sql` and prospect_id ${sql.raw(slice.desc ? '<' : '>')} ${slice.after}`;
    return sql`select prospect_id as id from prospect_search where ${where}${after} order by prospect_id ${sql.raw(slice.desc ? 'desc' : 'asc')} limit ${slice.limit} offset ${slice.offset}`;
  },
};
