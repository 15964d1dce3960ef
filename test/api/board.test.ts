// The board's API on a real server over a real SQLite file: filters, search, sorting and paging;
// bulk enroll, pause and resume (by ids and by the board's filter) within what the caller may see;
// the import preview; what a rep's import may and may not do; and the same answers on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNow } from '../helpers/clock.ts';
import { join } from 'node:path';
import { demoWorld, type Client, type World } from './harness.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import type { EnrollmentStatus } from '../../src/core/types.ts';
import { buildDemo } from '../../src/app/demo.ts';
import { openContext } from '../../src/app/context.ts';
import { listBoard, selectBoardIds } from '../../src/app/board.ts';
import { changeEnrollments } from '../../src/app/enrollments.ts';
import { importProspects, type ImportPreview } from '../../src/app/import-prospects.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openCsvSource } from '../../src/cli/files.ts';

let w: World;

interface Row {
  id: number;
  name: string;
  email: string;
  company: string | null;
  owner: { id: number; name: string };
  tally: number;
  tallyLine: string;
  stage: { status: string; cadence: string; cadenceId: number; step: number; steps: number } | null;
  nextStep: { name: string; channel: string } | null;
  nextDueAt: number | null;
  overdue: boolean;
  lastTouchAt: number | null;
}

beforeAll(async () => {
  w = await demoWorld();
});

async function board(c: Client, query: string): Promise<{ items: Row[]; total: number; offset: number; limit: number; owners: { id: number }[] }> {
  const res = await c.get(`/api/prospects?${query}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

const csv = (c: Client, path: string, text: string | Buffer) => c.req('POST', path, { raw: text, contentType: 'text/csv' });

async function importDone(c: Client, path: string, text: string) {
  const started = await csv(c, path, text);
  expect(started.status, started.text).toBe(202);
  for (let i = 0; i < 200; i++) {
    const job = await c.get(`/api/imports/${started.body.id}`);
    expect(job.status).toBe(200);
    if (job.body.status !== 'running') return job.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('the import job did not finish');
}

const liveOf = (ownerId: number, status: EnrollmentStatus = 'active') =>
  w.store.db
    .selectFrom('enrollments as e')
    .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
    .select(['p.id', 'e.id as enrollment_id', 'e.status', 'e.reason', 'e.updated_at'])
    .where('p.owner_id', '=', ownerId)
    .where('e.status', '=', status)
    .orderBy('p.id')
    .execute();

describe('the board', () => {
  it('pages with offset and a total, and every page fits together', async () => {
    const seen = new Set<number>();
    const totals = new Set<number>();
    for (let offset = 0; ; offset += 25) {
      const page = await board(w.manager, `sort=name&limit=25&offset=${offset}`);
      totals.add(page.total);
      expect(page.offset).toBe(offset);
      for (const r of page.items) seen.add(r.id);
      if (offset + 25 >= page.total) break;
      expect(page.items).toHaveLength(25);
    }
    expect([...totals]).toEqual([60]);
    expect(seen.size).toBe(60);
  });

  it('sorts by name, touches and next due (none last), both ways', async () => {
    const byName = (await board(w.manager, 'sort=name&limit=200')).items.map((r) => r.name.toLowerCase());
    expect(byName).toEqual([...byName].sort());
    const byNameDesc = (await board(w.manager, 'sort=name&dir=desc&limit=200')).items.map((r) => r.name.toLowerCase());
    expect(byNameDesc).toEqual([...byName].reverse());
    const touches = (await board(w.manager, 'sort=touches&dir=desc&limit=200')).items.map((r) => r.tally);
    expect(touches).toEqual([...touches].sort((a, b) => b - a));
    expect(touches[0]).toBeGreaterThan(0);
    const due = (await board(w.manager, 'sort=due&limit=200')).items.map((r) => r.nextDueAt);
    const dated = due.filter((d): d is number => d !== null);
    expect(dated.length).toBeGreaterThan(10);
    expect(due.slice(0, dated.length)).toEqual([...dated].sort((a, b) => a - b));
    expect(due.slice(dated.length).every((d) => d === null)).toBe(true);
  });

  it('shows each prospect\'s tally marks, stage, next step, owner and last touch', async () => {
    const { items } = await board(w.manager, 'sort=touches&dir=desc&limit=1');
    const top = items[0]!;
    const view = (await w.manager.get(`/api/prospects/${top.id}`)).body;
    expect(top.tallyLine).toBe(view.tally.line);
    expect(top.tally).toBe(view.tally.count);
    expect(top.lastTouchAt).toBe(Math.max(...view.timeline.filter((t: { kind: string }) => t.kind === 'touch').map((t: { at: number }) => t.at)));
    const live = (await board(w.manager, 'stage=active&limit=200')).items;
    expect(live.length).toBeGreaterThan(5);
    for (const r of live) {
      expect(r.stage!.status).toBe('active');
      expect(r.stage!.step).toBeLessThanOrEqual(r.stage!.steps);
      expect(r.nextStep).not.toBeNull();
      expect(r.nextDueAt).not.toBeNull();
    }
  });

  it('filters by stage, cadence, owner, overdue and next channel, and searches name, email and company', async () => {
    const none = await board(w.manager, 'stage=none&limit=200');
    expect(none.total).toBeGreaterThan(0);
    expect(none.items.every((r) => r.stage === null && r.nextDueAt === null)).toBe(true);

    const cadences = (await w.manager.get('/api/cadences')).body.items as { id: number; name: string }[];
    const inbound = cadences.find((c) => c.name !== 'Tally default outbound' && !/nurture/i.test(c.name))!;
    const inCadence = await board(w.manager, `cadence=${inbound.id}&limit=200`);
    expect(inCadence.total).toBeGreaterThan(0);
    expect(inCadence.items.every((r) => r.stage?.cadenceId === inbound.id && r.stage.cadence === inbound.name)).toBe(true);

    const sams = await board(w.manager, `owner=${w.ids.sam}&limit=200`);
    expect(sams.total).toBeGreaterThan(3);
    expect(sams.items.every((r) => r.owner.id === w.ids.sam)).toBe(true);

    const overdue = await board(w.manager, 'due=overdue&limit=200');
    expect(overdue.total).toBeGreaterThan(0);
    expect(overdue.items.every((r) => r.overdue && r.nextDueAt! < testNow())).toBe(true);

    const calls = await board(w.manager, 'channel=call&limit=200');
    const emails = await board(w.manager, 'channel=email&limit=200');
    expect(calls.total + emails.total).toBeGreaterThan(0);
    expect(calls.items.every((r) => r.nextStep?.channel === 'call')).toBe(true);
    expect(emails.items.every((r) => r.nextStep?.channel === 'email')).toBe(true);

    const someone = sams.items[0]!;
    const byEmail = await board(w.manager, `search=${encodeURIComponent(someone.email.toUpperCase())}`);
    expect(byEmail.items.map((r) => r.id)).toContain(someone.id);
    const company = someone.company!;
    const byCompany = await board(w.manager, `search=${encodeURIComponent(company.slice(0, 5).toLowerCase())}&limit=200`);
    expect(byCompany.items.some((r) => r.company === company)).toBe(true);
    // LIKE wildcards in the search are taken literally.
    expect((await board(w.manager, 'search=%25')).total).toBe(0);
    // Filters combine.
    const both = await board(w.manager, `owner=${w.ids.sam}&stage=active&limit=200`);
    expect(both.items.every((r) => r.owner.id === w.ids.sam && r.stage?.status === 'active')).toBe(true);
  });

  it('shows a rep their own prospects only, whatever the filter asks for', async () => {
    const mine = await board(w.sam, 'limit=200');
    expect(mine.items.every((r) => r.owner.id === w.ids.sam)).toBe(true);
    expect(mine.owners).toEqual([{ id: w.ids.sam, name: expect.any(String) }]);
    expect((await board(w.sam, `owner=${w.ids.priya}`)).total).toBe(0);
    expect((await board(w.manager, 'limit=1')).owners.map((o) => o.id).sort()).toEqual([w.ids.manager, w.ids.sam, w.ids.priya].sort());
  });

  it('refuses bad parameters naming the field', async () => {
    for (const [query, field] of [['sort=owner', 'sort'], ['channel=fax', 'channel'], ['offset=-1', 'offset'], ['stage=lost', 'stage'], ['sort=name&cursor=5', 'cursor']]) {
      const res = await w.manager.get(`/api/prospects?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.field, query).toBe(field);
    }
  });
});

describe('bulk moves', () => {
  it('a rep pauses their own prospects; a teammate\'s id is skipped exactly like one that does not exist', async () => {
    const mine = (await liveOf(w.ids.sam)).slice(0, 3);
    const priyas = await liveOf(w.ids.priya);
    expect(mine).toHaveLength(3);
    const before = JSON.stringify(priyas);
    const res = await w.sam.post('/api/enrollments/pause', { prospectIds: [...mine.map((m) => m.id), priyas[0]!.id, 99_999], reason: 'conference week' });
    expect(res.status, res.text).toBe(200);
    expect(res.body.changed.map((c: { prospectId: number }) => c.prospectId)).toEqual(mine.map((m) => m.id));
    expect(res.body.skipped).toEqual([{ prospectId: priyas[0]!.id, reason: 'unknown prospect' }, { prospectId: 99_999, reason: 'unknown prospect' }]);
    expect(res.body.counts).toEqual({ paused: 3, 'unknown prospect': 2 });
    expect(JSON.stringify(await liveOf(w.ids.priya))).toBe(before);
    const paused = await w.store.db.selectFrom('enrollments').select(['status', 'reason']).where('id', 'in', mine.map((m) => m.enrollment_id)).execute();
    expect(paused).toEqual(mine.map(() => ({ status: 'paused', reason: 'paused: conference week' })));

    const again = await w.sam.post('/api/enrollments/pause', { prospectIds: [mine[0]!.id] });
    expect(again.body.counts).toEqual({ 'already paused': 1 });
  });

  it('resumes by the board\'s filter, touching only what the caller may see', async () => {
    const priyaLive = await liveOf(w.ids.priya);
    const p = await w.priya.post('/api/enrollments/pause', { prospectIds: [priyaLive[0]!.id] });
    expect(p.body.counts).toEqual({ paused: 1 });
    const samPaused = await liveOf(w.ids.sam, 'paused');
    expect(samPaused.length).toBeGreaterThanOrEqual(3);

    const res = await w.sam.post('/api/enrollments/resume', { board: { stage: 'paused' } });
    expect(res.status, res.text).toBe(200);
    expect(res.body.changed.map((c: { prospectId: number }) => c.prospectId).sort()).toEqual(samPaused.map((s) => s.id).sort());
    expect(res.body.counts).toEqual({ active: samPaused.length });
    expect(await liveOf(w.ids.sam, 'paused')).toEqual([]);
    expect((await liveOf(w.ids.priya, 'paused')).map((e) => e.id)).toEqual([priyaLive[0]!.id]);
    // Resuming someone active says why not.
    const active = await w.sam.post('/api/enrollments/resume', { prospectIds: [samPaused[0]!.id] });
    expect(active.body.skipped[0].reason).toBe('not paused or snoozed');
  });

  it('pauses "all N matching" the board\'s filter as a manager, across the team', async () => {
    const match = await board(w.manager, 'channel=call&stage=active&limit=200');
    expect(match.total).toBeGreaterThan(0);
    const res = await w.manager.post('/api/enrollments/pause', { board: { channel: 'call', stage: 'active' } });
    expect(res.body.counts).toEqual({ paused: match.total });
    expect((await board(w.manager, 'channel=call&stage=active')).total).toBe(0);
    const back = await w.manager.post('/api/enrollments/resume', { board: { channel: 'call', stage: 'paused' } });
    expect(back.body.counts.active).toBeGreaterThanOrEqual(match.total);
  });

  it('enrolls by the board\'s filter or by ids, saying who was skipped and why', async () => {
    const unenrolled = await board(w.sam, 'stage=none&limit=200');
    const live = (await liveOf(w.ids.sam))[0]!;
    expect(unenrolled.total).toBeGreaterThan(0);
    const res = await w.sam.post('/api/enrollments', { cadence: 'Tally default outbound', board: { stage: 'none' } });
    expect(res.status, res.text).toBe(201);
    expect(res.body.enrolled.map((e: { prospectId: number }) => e.prospectId).sort()).toEqual(unenrolled.items.map((r) => r.id).sort());
    expect((await board(w.sam, 'stage=none')).total).toBe(0);

    const priyas = (await liveOf(w.ids.priya))[0]!;
    const ids = await w.sam.post('/api/enrollments', { cadence: 'Tally default outbound', prospectIds: [live.id, priyas.id] });
    expect(ids.body.enrolled).toEqual([]);
    expect(ids.body.skipped).toEqual([
      { prospectId: live.id, reason: expect.stringMatching(/^already in cadence/) },
      { prospectId: priyas.id, reason: 'unknown prospect' },
    ]);
  });

  it('wants exactly one selection', async () => {
    for (const body of [{}, { prospectIds: [1], board: {} }]) {
      const res = await w.sam.post('/api/enrollments/pause', body);
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe('prospectIds');
    }
    const both = await w.sam.post('/api/enrollments', { cadence: 'Tally default outbound', prospectIds: [1], board: { stage: 'none' } });
    expect(both.status).toBe(400);
    const unknownKey = await w.sam.post('/api/enrollments/pause', { board: { owner_email: 'x' } });
    expect(unknownKey.status).toBe(400);
  });
});

describe('import preview', () => {
  const count = async () => Number((await w.store.db.selectFrom('prospects').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('shows the columns and their mapping, the first rows as they would be imported, rejected rows and counts, and writes nothing', async () => {
    const existing = (await w.store.db.selectFrom('prospects').select('email').where('owner_id', '=', w.ids.manager).orderBy('id').executeTakeFirstOrThrow()).email;
    const rows = Array.from({ length: 12 }, (_, i) => `Pat ${i} Doe,pat${i}@preview.example,Preview Co,gold`);
    const text = ['Contact,Work Mail,Org,Tier', ...rows, 'No Email,,Preview Co,gold', `Old Friend,${existing},Preview Co,silver`, 'Bad Mail,not-an-email,Preview Co,'].join('\n');
    const before = await count();
    const res = await csv(w.manager, `/api/imports/preview?file=leads.csv&map=${encodeURIComponent('Work Mail=email')}&map=${encodeURIComponent('Tier=ignore')}`, text);
    expect(res.status, res.text).toBe(200);
    expect(res.body.columns).toEqual([
      { header: 'Contact', target: 'name' },
      { header: 'Work Mail', target: 'email' },
      { header: 'Org', target: 'custom.Org' },
      { header: 'Tier', target: 'ignore' },
    ]);
    expect(res.body.problem).toBeNull();
    expect(res.body.rows).toHaveLength(10);
    expect(res.body.rows[0]).toEqual({
      line: 2, action: 'new', email: 'pat0@preview.example', first_name: 'Pat 0', last_name: 'Doe', phone: null, title: null, linkedin_url: null, company: null,
      timezone: null, owner: 'you@demo.tally', priority: 0, custom: { Org: 'Preview Co' }, zoneInferred: false,
    });
    expect(res.body.counts).toEqual({ rows: 15, new: 12, updated: 1, duplicates: 0, rejected: 2 });
    expect(res.body.report.rejected).toEqual([
      { line: 14, reason: 'missing email', field: 'email' },
      { line: 16, reason: 'invalid email "not-an-email"', field: 'email' },
    ]);
    expect(res.body.fields).toContain('owner');
    expect(await count()).toBe(before);
  });

  it('marks a row that updates a known prospect', async () => {
    const existing = (await w.store.db.selectFrom('prospects').select('email').where('owner_id', '=', w.ids.manager).orderBy('id').executeTakeFirstOrThrow()).email;
    const res = await csv(w.manager, '/api/imports/preview', `email,title\n${existing},CEO\n`);
    expect(res.body.rows).toEqual([expect.objectContaining({ line: 2, action: 'update', email: existing, title: 'CEO' })]);
  });

  it('answers a file with no email column with its columns and the problem, so the mapping can be fixed', async () => {
    const text = 'Name,Company,Mail\nMax Mustermann,Acme,max@acme.example\n';
    const res = await csv(w.manager, '/api/imports/preview?file=no-email.csv', text);
    expect(res.status).toBe(200);
    expect(res.body.columns.map((c: { target: string }) => c.target)).toEqual(['name', 'company', 'email']);
    const bad = await csv(w.manager, '/api/imports/preview?file=no-email.csv', 'Name,Company,Contact Mail\nMax Mustermann,Acme,max@acme.example\n');
    expect(bad.status).toBe(200);
    expect(bad.body.columns.map((c: { target: string }) => c.target)).toEqual(['name', 'company', 'custom.Contact Mail']);
    expect(bad.body.problem).toMatchObject({ code: 'missing_column', field: 'email', line: 1 });
    expect(bad.body.problem.message).toMatch(/no email column: found "Name", "Company", "Contact Mail"/);
    expect(bad.body.rows).toEqual([]);
    expect(bad.body.counts).toBeNull();
    const fixed = await csv(w.manager, `/api/imports/preview?map=${encodeURIComponent('Contact Mail=email')}`, 'Name,Company,Contact Mail\nMax Mustermann,Acme,max@acme.example\n');
    expect(fixed.body.counts.new).toBe(1);
  });

  it('refuses a file in the wrong encoding with the line of the first bad byte', async () => {
    const latin1 = Buffer.concat([Buffer.from('email,first_name\nana@x.example,Ana\nzoe@x.example,Zo'), Buffer.from([0xeb]), Buffer.from('\n')]);
    const res = await csv(w.manager, '/api/imports/preview?file=excel.csv', latin1);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_encoding');
    expect(res.body.error.message).toMatch(/^line 3: not valid UTF-8 \(byte 0xEB/);
    const ok = await csv(w.manager, '/api/imports/preview?file=excel.csv&encoding=windows-1252', latin1);
    expect(ok.status).toBe(200);
    expect(ok.body.rows[1].first_name).toBe('Zoë');
  });

  it('keeps line numbers right across quoted newlines, and names the line of an unclosed quote', async () => {
    const text = 'email,first_name,notes\na@q.example,A,"two\nlines"\nb@q.example,B,plain\nbroken,C,"three\nline\nnote"\nd@q.example,D,x\n';
    const res = await csv(w.manager, '/api/imports/preview', text);
    expect(res.status, res.text).toBe(200);
    expect(res.body.rows.map((r: { line: number; custom: object }) => [r.line, r.custom])).toEqual([[2, { notes: 'two\nlines' }], [4, { notes: 'plain' }], [8, { notes: 'x' }]]);
    expect(res.body.report.rejected).toEqual([{ line: 5, reason: 'invalid email "broken"', field: 'email' }]);
    const open = await csv(w.manager, '/api/imports/preview', 'email,first_name\nok@q.example,Ok\nkim@q.example,"Kim\n');
    expect(open.status).toBe(400);
    expect(open.body.error.message).toMatch(/^line 3: /);
  });

  it('refuses an empty body or a bad mapping naming the field', async () => {
    const empty = await w.manager.req('POST', '/api/imports/preview', { body: { csv: 'email' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'unsupported_media_type', field: 'body' });
    const map = await csv(w.manager, '/api/imports/preview?map=Work%20Mail', 'email\na@b.example\n');
    expect(map.status).toBe(400);
    expect(map.body.error.field).toBe('map');
  });
});

describe('a rep\'s import', () => {
  it('makes every row theirs, rejects another owner and a teammate\'s prospect, and updates their own', async () => {
    const own = (await liveOf(w.ids.sam))[0]!;
    const ownEmail = (await w.store.db.selectFrom('prospects').select('email').where('id', '=', own.id).executeTakeFirstOrThrow()).email;
    const priyas = await w.store.db.selectFrom('prospects').selectAll().where('owner_id', '=', w.ids.priya).orderBy('id').executeTakeFirstOrThrow();
    const text = [
      'email,first_name,title,owner',
      'new.one@rep-import.example,New,CTO,',
      'new.two@rep-import.example,Two,CFO,sam@demo.tally',
      'new.three@rep-import.example,Three,COO,priya@demo.tally',
      `${priyas.email},Hijacked,CEO,`,
      `${ownEmail},,VP Sales,`,
    ].join('\n');
    const preview = await csv(w.sam, '/api/imports/preview', text);
    expect(preview.body.fields).not.toContain('owner');
    expect(preview.body.counts).toEqual({ rows: 5, new: 2, updated: 1, duplicates: 0, rejected: 2 });

    const job = await importDone(w.sam, '/api/imports?file=mine.csv', text);
    expect(job.status).toBe('done');
    expect(job.report).toMatchObject({ inserted: 2, updated: 1 });
    expect(job.report.rejected).toEqual([
      { line: 4, field: 'owner', reason: expect.stringContaining('only a manager can give prospects another owner') },
      { line: 5, field: 'email', reason: 'this email is already a prospect of another rep: ask a manager to import or reassign it' },
    ]);
    const made = await w.store.db.selectFrom('prospects').select(['email', 'owner_id']).where('email', 'like', '%@rep-import.example').orderBy('email').execute();
    expect(made).toEqual([{ email: 'new.one@rep-import.example', owner_id: w.ids.sam }, { email: 'new.two@rep-import.example', owner_id: w.ids.sam }]);
    expect(await w.store.db.selectFrom('prospects').selectAll().where('id', '=', priyas.id).executeTakeFirstOrThrow()).toEqual(priyas);
    expect((await w.store.db.selectFrom('prospects').select('title').where('id', '=', own.id).executeTakeFirstOrThrow()).title).toBe('VP Sales');

    // The job is sam's alone.
    expect((await w.priya.get(`/api/imports/${job.id}`)).status).toBe(404);
  });

  it('cannot give the whole file another owner', async () => {
    for (const path of ['/api/imports?owner=priya%40demo.tally', '/api/imports/preview?owner=priya%40demo.tally']) {
      const res = await csv(w.sam, path, 'email\nsomeone@rep-import.example\n');
      expect(res.status, path).toBe(403);
      expect(res.body.error).toMatchObject({ code: 'forbidden', field: 'owner' });
    }
  });

  it('a manager keeps the owner column', async () => {
    const job = await importDone(w.manager, '/api/imports', 'email,owner\nfor.priya@mgr-import.example,priya@demo.tally\n');
    expect(job.report.inserted).toBe(1);
    const p = await w.store.db.selectFrom('prospects').select('owner_id').where('email', '=', 'for.priya@mgr-import.example').executeTakeFirstOrThrow();
    expect(p.owner_id).toBe(w.ids.priya);
  });
});

describe('the same board on SQLite and PostgreSQL', () => {
  const NOW = Date.UTC(2026, 10, 24, 15, 0);
  const engines = { sqlite: async () => join(tempDir(), 'board.db'), postgres: () => createTestDatabase() };
  const stores: Store[] = [];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  /** Everything the board's services answer for one engine, to compare across engines. */
  async function answers(location: string) {
    const store = await openStore(location);
    stores.push(store);
    await buildDemo(runtimeFor(store), { prospects: 60, now: NOW });
    const manager = await openContext(runtimeFor(store), { as: 'you@demo.tally', now: () => NOW });
    const sam = await openContext(runtimeFor(store), { as: 'sam@demo.tally', now: () => NOW });
    const out: Record<string, unknown> = {};
    for (const sort of ['id', 'due', 'name', 'touches'] as const) {
      for (const dir of ['asc', 'desc'] as const) out[`${sort}-${dir}`] = await listBoard(manager, {}, { sort, dir, limit: 20, offset: 10 });
    }
    out.filtered = await listBoard(manager, { search: 'CO', stage: 'active', channel: 'email', due: 'overdue' }, { sort: 'due' });
    out.cadence = await listBoard(manager, { cadenceId: 1, stage: 'none' });
    out.rep = await listBoard(sam, { search: 'a' }, { sort: 'name', limit: 200 });
    const samIds = await selectBoardIds(sam, { stage: 'active' });
    out.paused = await changeEnrollments(sam, [...samIds, 1, 2, 3], (at) => ({ type: 'pause', at }));
    out.resumed = await changeEnrollments(sam, samIds.slice(0, 2), (at) => ({ type: 'resume', at }));
    const dir = tempDir();
    const theirs = (await store.db.selectFrom('prospects').select('email').where('owner_id', '!=', sam.user.id).orderBy('id').executeTakeFirstOrThrow()).email;
    const preview: ImportPreview = { limit: 10, columns: null, rows: [] };
    out.import = await importProspects(sam, openCsvSource(writeFile(dir, 'rep.csv', `Mail,owner\nnew@x.example,\n${theirs},\nother@x.example,you@demo.tally\n`)), {
      map: ['Mail=email'], dryRun: true, preview,
    });
    out.preview = preview;
    return out;
  }

  it('answers the same on both engines', async () => {
    const sqlite = await answers(await engines.sqlite());
    const postgres = await answers(await engines.postgres());
    expect((sqlite.paused as { changed: unknown[] }).changed.length).toBeGreaterThan(0);
    expect((sqlite.import as { rejected: unknown[] }).rejected).toHaveLength(2);
    expect(postgres).toEqual(sqlite);
  }, 120_000);
});
