// PostgreSQL's prospect search: a tsvector per prospect in prospect_search (GIN index), made by a
// trigger from the name, email, title, company and custom field values with the accents taken off
// (the unaccent extension: "Ñúñez" → "nunez"), lower-cased and split on punctuation, so the words
// are the ones SQLite's FTS5 index holds. A search asks for every word as a prefix (word:*).
import { sql, type Kysely } from 'kysely';
import type { ProspectSearchDialect } from '../migrations/dialect.ts';

export const postgresProspectSearch: ProspectSearchDialect = {
  async install(db: Kysely<unknown>) {
    await sql`create extension if not exists unaccent`.execute(db);
    await sql`create table prospect_search (prospect_id integer primary key references prospects(id) on delete cascade, doc tsvector not null)`.execute(db);
    await sql`create index prospect_search_doc on prospect_search using gin (doc)`.execute(db);
    // ASCII punctuation and spaces split words (letters of every script stay).
    await sql.raw(`create function tally_search_words(t text) returns tsvector language sql stable as $$
      select to_tsvector('simple', lower(regexp_replace(unaccent(t), '[\\s!-/:-@\\[-\`{-~]+', ' ', 'g')))
    $$`).execute(db);
    await sql.raw(`create function prospect_search_sync() returns trigger language plpgsql as $$
    begin
      insert into prospect_search (prospect_id, doc)
      values (new.id, tally_search_words(concat_ws(' ', new.first_name, new.last_name, new.email, new.title,
        (select c.name from companies c where c.id = new.company_id),
        (select string_agg(j.value, ' ') from jsonb_each_text(new.custom::jsonb) j))))
      on conflict (prospect_id) do update set doc = excluded.doc;
      return null;
    end $$`).execute(db);
    await sql.raw(`create trigger prospect_search_sync after insert or update of first_name, last_name, email, title, company_id, custom
      on prospects for each row execute function prospect_search_sync()`).execute(db);
    await sql.raw(`insert into prospect_search (prospect_id, doc)
      select p.id, tally_search_words(concat_ws(' ', p.first_name, p.last_name, p.email, p.title, c.name,
        (select string_agg(j.value, ' ') from jsonb_each_text(p.custom::jsonb) j)))
      from prospects p left join companies c on c.id = p.company_id`).execute(db);
  },
  async remove(db: Kysely<unknown>) {
    await sql`drop trigger if exists prospect_search_sync on prospects`.execute(db);
    await sql`drop function if exists prospect_search_sync()`.execute(db);
    await sql`drop table if exists prospect_search`.execute(db);
    await sql`drop function if exists tally_search_words(text)`.execute(db);
  },
  matches(words: string[]) {
    // Words are letters and digits only (core/search-words.ts); unaccent makes them the index's words.
    const query = words.map((w) => `${w}:*`).join(' & ');
    return sql<boolean>`${sql.ref('p.id')} in (select prospect_id from prospect_search where doc @@ to_tsquery('simple', lower(unaccent(${query}))))`;
  },
};
