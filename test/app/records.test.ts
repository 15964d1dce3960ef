// Prospects managed one by one (issue 18), on SQLite and PostgreSQL with a pinned clock: search by
// several words, any case, accents ignored, prefixes, custom fields; adding and editing with errors
// in words; the meeting-booked stage; the company view and its cap; a bulk enroll that leaves out who
// answered, opted out or bounced, and its undo; and an erasure that leaves no trace of the person in
// any column of any table, only a tombstone that an import respects.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/store.ts';
import { buildDemo } from '../../src/app/demo.ts';
import { contextOf, openContext, type Context } from '../../src/app/context.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { listBoard, selectBoardIds } from '../../src/app/board.ts';
import { createProspect, updateProspect } from '../../src/app/prospect-edit.ts';
import { eraseProspect } from '../../src/app/erase.ts';
import { companyView } from '../../src/app/company-view.ts';
import { checkEnroll, changeManyUndoably, enrollSafely, undoBulkChange } from '../../src/app/bulk-changes.ts';
import { logTouch } from '../../src/app/touches.ts';
import { showProspect } from '../../src/app/prospects.ts';
import { addNote, deleteNote, editNote } from '../../src/app/notes.ts';
import { importProspects } from '../../src/app/import-prospects.ts';
import { csvSourceOf } from '../../src/app/csv-stream.ts';
import { TallyError } from '../../src/core/errors.ts';
import { exportProspects } from '../../src/app/export.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const NOW = Date.UTC(2026, 10, 24, 15, 0);
const DAY = 86_400_000;
const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
});

async function world(location: string) {
  const store = await openStore(location);
  stores.push(store);
  const rt = runtimeFor(store);
  await buildDemo(rt, { prospects: 30, now: NOW - 20 * DAY });
  const clock = { now: NOW };
  const as = (email: string) => openContext(runtimeFor(store, { now: () => clock.now }), { as: email, now: () => clock.now });
  return { store, clock, manager: await as('you@demo.tally'), sam: await as('sam@demo.tally'), priya: await as('priya@demo.tally') };
}

const refused = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof TallyError) return { code: e.code, field: e.where.field, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
};

const names = async (ctx: Context, search: string) => (await listBoard(ctx, { search }, { limit: 200, sort: 'name' })).items.map((r) => r.name);

/** The board's export (CSV) of what a search shows, as rows by header. */
async function exported(ctx: Context, search: string): Promise<Record<string, string>[]> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += String(d)));
  await exportProspects(ctx, out, await selectBoardIds(ctx, { search }));
  out.end();
  await finished(out);
  return parse(text, { columns: true }) as Record<string, string>[];
}

/** Every column of every table (the search index's shadow tables too) that holds `needle`, as "table.column". */
async function traces(store: Store, needle: string): Promise<string[]> {
  const found: string[] = [];
  const db = store.db;
  const pattern = `%${needle.toLowerCase()}%`;
  const columns = store.dialect === 'sqlite'
    ? (await sql<{ t: string; c: string }>`select m.name as t, p.name as c from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table'`.execute(db)).rows
    : (await sql<{ t: string; c: string }>`select table_name as t, column_name as c from information_schema.columns where table_schema = current_schema()`.execute(db)).rows;
  for (const { t, c } of columns) {
    const cast = store.dialect === 'sqlite' ? sql`lower(cast(${sql.ref(c)} as text))` : sql`lower(${sql.ref(c)}::text)`;
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(t)} where ${cast} like ${pattern}`.execute(db);
    if (Number(rows[0]!.n) > 0) found.push(`${t}.${c}`);
  }
  return found;
}

const engines = { sqlite: async () => join(tempDir(), 'records.db'), postgres: () => createTestDatabase() };

describe.each(Object.keys(engines) as (keyof typeof engines)[])('on %s', (engine) => {
  it('adds, edits and finds prospects by several words, any case, accents ignored, prefixes and custom fields', async () => {
    const w = await world(await engines[engine]());
    const zoe = await createProspect(w.sam, { email: 'zoe.schmidt@kranich.example', firstName: 'Zoë', lastName: 'Schmidt', company: 'Kranich Logistik', title: 'Head of Fleet', custom: { 'Lifecycle Stage': 'Evangelist' } });
    await createProspect(w.sam, { email: 'zoe.meyer@kranich.example', firstName: 'Zoe', lastName: 'Meyer', company: 'Kranich Logistik' });
    await createProspect(w.sam, { email: 'ana@cordoba.example', firstName: 'Ana', lastName: 'Ñúñez', linkedinUrl: 'https://www.linkedin.com/in/ana-nunez' });
    expect(await names(w.sam, 'Zoe Schmidt')).toEqual(['Zoë Schmidt']);
    expect(await names(w.sam, 'zoe')).toEqual(['Zoe Meyer', 'Zoë Schmidt']);
    expect(await names(w.sam, 'SCHM zo')).toEqual(['Zoë Schmidt']);
    for (const q of ['Ñúñez', 'nunez', 'NUÑ', 'ñúñEZ ana']) expect(await names(w.sam, q), q).toEqual(['Ana Ñúñez']);
    expect(await names(w.sam, 'evangel')).toEqual(['Zoë Schmidt']);
    // Past 10 letters a word is a prefix still (the indexes hold prefixes of up to 10 letters, and longer words whole).
    await createProspect(w.sam, { email: 'lena@hafen.example', firstName: 'Lena', lastName: 'Vogt', title: 'Vertriebsleiterin' });
    for (const q of ['vertriebsl', 'Vertriebsle', 'VERTRIEBSLEITERIN', 'lena vertriebsleit']) expect(await names(w.sam, q), q).toEqual(['Lena Vogt']);
    for (const q of ['vertriebsleiterinnen', 'vertriebsleitx']) expect(await names(w.sam, q), q).toEqual([]);
    expect(await names(w.sam, 'fleet kranich')).toEqual(['Zoë Schmidt']);
    expect(await names(w.sam, 'zoe.schmidt@kranich')).toEqual(['Zoë Schmidt']);
    expect(await names(w.sam, '%')).toEqual([]);
    // The export of the board's view has the LinkedIn profile and the custom fields.
    expect(await exported(w.sam, 'zoe schmidt')).toMatchObject([{ email: 'zoe.schmidt@kranich.example', linkedin_url: '', 'Lifecycle Stage': 'Evangelist' }]);
    expect(await exported(w.sam, 'nunez')).toMatchObject([{ email: 'ana@cordoba.example', linkedin_url: 'https://www.linkedin.com/in/ana-nunez' }]);
    // A rep's search never reaches a teammate's prospects.
    expect(await names(w.priya, 'Zoe')).toEqual([]);

    // Edits are searched at once; the custom fields are replaced as given.
    await updateProspect(w.sam, zoe.id, { lastName: 'Schmidt-Kranz', custom: { 'Mailing Country': 'Österreich' } });
    expect(await names(w.sam, 'kranz osterreich')).toEqual(['Zoë Schmidt-Kranz']);
    expect(await names(w.sam, 'evangelist')).toEqual([]);
    const view = await showProspect(w.sam, zoe.id);
    expect(view.prospect.custom_fields).toEqual({ 'Mailing Country': 'Österreich' });

    // Errors say what and where, in words, and write nothing.
    expect(await refused(createProspect(w.sam, { email: 'not an email' }))).toMatchObject({ code: 'invalid', field: 'email', message: '"not an email" is not an email address (write it as name@company.com)' });
    expect(await refused(createProspect(w.sam, { email: 'x@y.example', timezone: 'Mars/Olympus' }))).toMatchObject({ field: 'timezone', message: expect.stringMatching(/^unknown time zone "Mars\/Olympus"/) });
    expect(await refused(createProspect(w.sam, { email: 'x@y.example', linkedinUrl: 'javascript:alert(1)' }))).toMatchObject({ field: 'linkedinUrl' });
    expect(await refused(createProspect(w.sam, { email: 'ZOE.SCHMIDT@kranich.example' }))).toMatchObject({ code: 'conflict', field: 'email' });
    expect(await refused(createProspect(w.sam, { email: 'x@y.example', ownerId: w.priya.user.id }))).toMatchObject({ code: 'forbidden', field: 'ownerId' });
    expect(await refused(updateProspect(w.priya, zoe.id, { title: 'CEO' }))).toMatchObject({ code: 'not_found' });
    expect(await names(w.sam, 'x')).toEqual([]);

    // A manager reassigns: the prospect and their live cadence move to the new owner.
    await enrollSafely(w.sam, [zoe.id], 'Tally default outbound');
    await updateProspect(w.manager, zoe.id, { ownerId: w.priya.user.id });
    expect(await names(w.priya, 'zoe')).toEqual(['Zoë Schmidt-Kranz']);
    const e = await w.store.db.selectFrom('enrollments').select('owner_id').where('prospect_id', '=', zoe.id).executeTakeFirstOrThrow();
    expect(e.owner_id).toBe(w.priya.user.id);
  }, 120_000);

  it('keeps a search to the workspace and owner asked for, whatever the text holds, and pages its matches in id order', async () => {
    const w = await world(await engines[engine]());
    // A second workspace in the same database: its prospect shares the first one's words, and holds
    // the index's scope tokens for the first workspace and Sam in a custom field.
    const ws = await w.store.workspaces.insert({ name: 'Elsewhere', timezone: 'Europe/Berlin', settings: '{}', created_at: NOW });
    const boss = await w.store.users.insert({ workspace_id: ws.id, email: 'boss@elsewhere.example', name: 'Boss', role: 'manager', password_hash: null, timezone: null, created_at: NOW });
    const elsewhere = contextOf(runtimeFor(w.store), ws, boss, () => NOW);
    await createProspect(elsewhere, { email: 'zoe@elsewhere.example', firstName: 'Zoe', lastName: 'Pager', custom: { Tag: `#w${w.manager.workspace.id} #o${w.sam.user.id}` } });
    const pagers: number[] = [];
    for (let i = 1; i <= 7; i++) pagers.push((await createProspect(w.sam, { email: `pager${i}@kranich.example`, firstName: 'Zoe', lastName: `Pager ${i}` })).id);
    await createProspect(w.priya, { email: 'pager@priya.example', firstName: 'Zoe', lastName: 'Pager' });

    expect(await names(elsewhere, 'zoe pager')).toEqual(['Zoe Pager']);
    expect((await listBoard(w.manager, { search: 'zoe pager' })).total).toBe(8);
    expect((await listBoard(w.sam, { search: 'zoe pager' })).total).toBe(7);
    // A manager's owner filter naming someone of another workspace finds nobody.
    expect((await listBoard(w.manager, { search: 'zoe', ownerId: boss.id })).total).toBe(0);
    expect(await selectBoardIds(w.manager, { search: 'zoe', ownerId: boss.id })).toEqual([]);
    // The scope tokens are no words: typed, they find nothing.
    expect(await names(w.manager, `#w${ws.id}`)).toEqual([]);
    expect(await names(w.sam, `o${w.sam.user.id}`)).toEqual([]);

    // Pages in id order come off the index: both ways, with an offset and with the cursor.
    const page = (o: Parameters<typeof listBoard>[2]) => listBoard(w.sam, { search: 'PAGER zo' }, o);
    const first = await page({ limit: 3 });
    expect(first.items.map((r) => r.id)).toEqual(pagers.slice(0, 3));
    expect(first.total).toBe(7);
    expect((await page({ limit: 3, after: first.nextCursor! })).items.map((r) => r.id)).toEqual(pagers.slice(3, 6));
    expect((await page({ limit: 3, offset: 6 })).items.map((r) => r.id)).toEqual(pagers.slice(6));
    // Past the last match the page is empty, and the count still counts every match.
    expect(await page({ limit: 3, offset: 9 })).toMatchObject({ items: [], total: 7 });
    expect(await page({ limit: 3, after: pagers[6] })).toMatchObject({ items: [], total: 7, nextCursor: null });
    expect((await page({ limit: 2, offset: 1, sort: 'id', dir: 'desc' })).items.map((r) => r.id)).toEqual([pagers[5], pagers[4]]);
    expect((await page({ limit: 2, after: pagers[2], dir: 'desc' })).items.map((r) => r.id)).toEqual([pagers[1], pagers[0]]);
    expect(await selectBoardIds(w.sam, { search: 'pager' })).toEqual(pagers);

    // Reassigned, a prospect moves to the new owner's searches at once.
    await updateProspect(w.manager, pagers[0]!, { ownerId: w.priya.user.id });
    expect((await listBoard(w.priya, { search: 'zoe pager' })).total).toBe(2);
    expect((await listBoard(w.sam, { search: 'zoe pager' })).total).toBe(6);
  }, 120_000);

  it('shows a booked meeting as its own stage, and a company with its people and today\'s cap', async () => {
    const w = await world(await engines[engine]());
    const a = await createProspect(w.sam, { email: 'a@gleis.example', firstName: 'Alma', company: 'Gleis Nord' });
    const b = await createProspect(w.sam, { email: 'b@gleis.example', firstName: 'Bert', company: 'Gleis Nord' });
    const c = await createProspect(w.priya, { email: 'c@gleis.example', firstName: 'Cleo', company: 'Gleis Nord' });
    await enrollSafely(w.sam, [a.id, b.id], 'Tally default outbound');
    await logTouch(w.sam, a.id, { channel: 'call', outcome: 'meeting_booked' });
    await logTouch(w.sam, b.id, { channel: 'email', outcome: 'replied' });
    await logTouch(w.priya, c.id, { channel: 'call', outcome: 'no_answer' });
    const rows = (await listBoard(w.sam, { search: 'gleis' }, { sort: 'name' })).items;
    expect(rows.map((r) => [r.name, r.stage?.status, r.stage?.kind])).toEqual([['Alma', 'replied', 'meeting_booked'], ['Bert', 'replied', 'replied']]);
    expect((await listBoard(w.sam, { search: 'gleis', stage: 'meeting_booked' })).items.map((r) => r.name)).toEqual(['Alma']);
    expect((await listBoard(w.sam, { search: 'gleis', stage: 'replied' })).items.map((r) => r.name)).toEqual(['Bert']);

    const companyId = (await showProspect(w.sam, a.id)).prospect.company_id!;
    const view = await companyView(w.sam, companyId);
    expect(view.company.name).toBe('Gleis Nord');
    expect(view.people.map((p) => [p.name, p.stage])).toEqual([['Alma', 'meeting_booked'], ['Bert', 'replied']]);
    expect(view.others).toBe(1);
    expect(view.cap).toMatchObject({ max: 3, touchesToday: 3, left: 0 });
    expect(view.cap.explanation).toMatch(/per company|at one company/);
    expect((await companyView(w.manager, companyId)).people).toHaveLength(3);
    // A rep with nobody at a company does not learn of it.
    const other = await createProspect(w.sam, { email: 'd@solo.example', company: 'Solo Werk' });
    expect(await refused(companyView(w.priya, (await showProspect(w.sam, other.id)).prospect.company_id!))).toMatchObject({ code: 'not_found' });
  }, 120_000);

  it('enrolls in bulk leaving out who answered, opted out, bounced or is in a cadence, and undoes it within 10 seconds', async () => {
    const w = await world(await engines[engine]());
    const make = async (n: number) => (await createProspect(w.sam, { email: `bulk${n}@bulk.example`, firstName: `Bulk${n}`, company: 'Bulk Co' })).id;
    const ids = [];
    for (let i = 0; i < 8; i++) ids.push(await make(i));
    w.clock.now = NOW - 3 * DAY;
    await logTouch(w.sam, ids[0]!, { channel: 'email', outcome: 'replied' });
    await logTouch(w.sam, ids[1]!, { channel: 'call', outcome: 'meeting_booked' });
    await logTouch(w.sam, ids[2]!, { channel: 'call', outcome: 'not_interested' });
    await logTouch(w.sam, ids[3]!, { channel: 'email', outcome: 'opted_out' });
    w.clock.now = NOW - 40 * DAY;
    await logTouch(w.sam, ids[4]!, { channel: 'email', outcome: 'replied' }); // long ago: enrolled again
    w.clock.now = NOW;
    await w.store.prospects.update(ids[5]!, { email_status: 'bad' });
    await enrollSafely(w.sam, [ids[6]!], 'Tally default outbound');

    const check = await checkEnroll(w.sam, ids);
    expect(check.enroll).toEqual([ids[4], ids[7]]);
    expect(check.groups.map((g) => [g.reason, g.count, g.includable])).toEqual([
      ['opted_out', 1, false], ['bounced', 1, false], ['live', 1, false], ['meeting_booked', 1, true], ['not_interested', 1, true], ['replied', 1, true],
    ]);
    expect(check.groups.find((g) => g.reason === 'replied')!.words).toBe('who replied in the last 30 days');
    const withReplied = await checkEnroll(w.sam, ids, ['replied']);
    expect(withReplied.enroll).toEqual([ids[0], ids[4], ids[7]]);
    expect(withReplied.included.map((g) => [g.reason, g.count])).toEqual([['replied', 1]]);

    const done = await enrollSafely(w.sam, ids, 'Tally default outbound');
    expect(done.enrolled.map((e) => e.prospectId)).toEqual([ids[4], ids[7]]);
    expect(done.skipped).toContainEqual({ prospectId: ids[0], reason: 'left out: replied in the last 30 days' });
    expect(done.skipped).toContainEqual({ prospectId: ids[6], reason: 'already in cadence "Tally default outbound"' });
    expect(done.undoUntil).toBe(NOW + 10_000);
    // Another rep cannot undo it; its author can, once.
    expect(await refused(undoBulkChange(w.priya, done.bulkChangeId))).toMatchObject({ code: 'not_found' });
    w.clock.now = NOW + 5_000;
    expect(await undoBulkChange(w.sam, done.bulkChangeId)).toEqual({ action: 'enroll', undone: 2, kept: 0 });
    expect(await w.store.db.selectFrom('enrollments').select('id').where('prospect_id', 'in', [ids[4]!, ids[7]!]).execute()).toEqual([]);
    expect(await refused(undoBulkChange(w.sam, done.bulkChangeId))).toMatchObject({ code: 'conflict' });

    // A bulk pause goes back as it was; after the window it stays.
    const paused = await changeManyUndoably(w.sam, 'pause', [ids[6]!], (at) => ({ type: 'pause', at }));
    expect(paused.changed.map((c) => c.status)).toEqual(['paused']);
    expect(await undoBulkChange(w.sam, paused.bulkChangeId)).toEqual({ action: 'pause', undone: 1, kept: 0 });
    const live = await w.store.db.selectFrom('enrollments').select('status').where('prospect_id', '=', ids[6]!).executeTakeFirstOrThrow();
    expect(live.status).toBe('active');
    const again = await changeManyUndoably(w.sam, 'pause', [ids[6]!], (at) => ({ type: 'pause', at }));
    w.clock.now += 10_001;
    expect(await refused(undoBulkChange(w.sam, again.bulkChangeId))).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^too late to undo/) });
  }, 120_000);

  it('erases a prospect leaving no trace in any column of any table, only a tombstone the import and the add form respect', async () => {
    const w = await world(await engines[engine]());
    const email = 'Wilhelmina.Quaxley@quaxley-solo.example';
    const p = await createProspect(w.sam, {
      email, firstName: 'Wilhelmina', lastName: 'Quaxley', phone: '+49 30 5550199', company: 'Quaxley Solo', title: 'Owner',
      linkedinUrl: 'https://www.linkedin.com/in/wquaxley', custom: { Hobby: 'Zitherquaxing' },
    });
    await enrollSafely(w.sam, [p.id], 'Tally default outbound');
    const t = await logTouch(w.sam, p.id, { channel: 'call', outcome: 'left_voicemail', note: 'Quaxley asked to call back' });
    await w.store.touches.recordChange({ workspace_id: w.sam.workspace.id, touch_id: t.touchId, prospect_id: p.id, user_id: w.sam.user.id, action: 'corrected', before: JSON.stringify({ note: 'Wilhelmina said later' }), after: null, at: NOW });
    // A note, edited (the old text kept in its history) and another deleted (its record kept): all of it goes.
    const note = await addNote(w.sam, p.id, 'Wilhelmina Quaxley runs it alone.\nZitherquaxing on Fridays.');
    await editNote(w.manager, note.noteId, 'Quaxley runs it alone.');
    await deleteNote(w.sam, (await addNote(w.sam, email, 'call Wilhelmina back')).noteId);
    const needles = ['wilhelmina', 'quaxley', '5550199', 'zitherquaxing', 'wquaxley'];
    for (const n of needles) expect((await traces(w.store, n)).length, n).toBeGreaterThan(0);

    const report = await eraseProspect(w.sam, p.id);
    expect(report.erased).toMatchObject({ prospects: 1, touches: 1, touch_changes: 1, notes: 1, note_changes: 2, enrollments: 1, companies: 1 });
    for (const n of needles) expect(await traces(w.store, n), n).toEqual([]);
    expect(await names(w.sam, 'wilhelmina')).toEqual([]);
    const tombstones = await w.store.db.selectFrom('erased_prospects').selectAll().execute();
    expect(tombstones).toHaveLength(1);
    expect(tombstones[0]!.email_hash).toMatch(/^[0-9a-f]{64}$/);

    // Never back: the import leaves them out in words, the form refuses.
    const csv = `email,first_name\n${email.toUpperCase()},Wilhelmina\nsomeone.new@quaxley-solo.example,Someone\n`;
    const imported = await importProspects(w.sam, csvSourceOf('crm.csv', new TextEncoder().encode(csv)));
    expect(imported.inserted).toBe(1);
    expect(imported.rejected).toEqual([{ line: 2, reason: 'left out: erased on request', field: 'email' }]);
    expect(await refused(createProspect(w.manager, { email }))).toMatchObject({ code: 'conflict', message: 'this person was erased on request: they cannot be added again' });
    // Only the owner (or a manager) erases.
    const other = await createProspect(w.sam, { email: 'kept@kept.example' });
    expect(await refused(eraseProspect(w.priya, other.id))).toMatchObject({ code: 'not_found' });
    expect(await selectBoardIds(w.sam, { search: 'kept' })).toEqual([other.id]);
  }, 120_000);
});
