// The store and every service against both engines: a SQLite file and a PostgreSQL database.
// The same scenario runs on each, and the last test checks both engines gave the same answers.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openStore, type Store } from '../../src/store/store.ts';
import { openContext, type Context } from '../../src/app/context.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { importProspects } from '../../src/app/import-prospects.ts';
import { enroll, changeEnrollment } from '../../src/app/enrollments.ts';
import { logTouch } from '../../src/app/touches.ts';
import { todayQueue, type Queue } from '../../src/app/queue.ts';
import { showProspect } from '../../src/app/prospects.ts';
import { followUpReport } from '../../src/app/stats.ts';
import { exportProspects } from '../../src/app/export.ts';
import { getCadence, listCadences, saveCadence, stepsLoader } from '../../src/app/cadences.ts';
import { selectProspectIds } from '../../src/app/selection.ts';
import { schedulerTick } from '../../src/app/tick.ts';
import { nurtureProposals } from '../../src/app/nurture.ts';
import { planRep } from '../../src/app/plan.ts';
import { dailyDigestFor } from '../../src/app/digest.ts';
import { addBlock, listBlocks, removeBlock } from '../../src/app/blocks.ts';
import { validateCadence } from '../../src/core/cadence.ts';
import { DEFAULT_CADENCES, DEFAULT_CADENCE_NAME, NURTURE_CADENCE_NAME } from '../../src/core/default-cadences.ts';
import type { CadenceDefinition } from '../../src/core/types.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openCsvSource } from '../../src/cli/files.ts';
import { withoutTokens } from '../helpers/db.ts';

const dir = tempDir('tally-store-');
const NOW = Date.parse('2026-03-02T14:00:00Z'); // a Monday
const HOUR = 3_600_000;
const TABLES = ['workspaces', 'users', 'companies', 'prospects', 'cadences', 'cadence_versions', 'cadence_steps', 'enrollments', 'touches', 'blocks'];

const PEOPLE = `email,first_name,last_name,company,title,priority,phone,source
amy@acme.example,Amy,Adams,Acme,VP Sales,0,+1 555 0101,Webinar
ben@acme.example,Ben,Brown,Acme,CFO,2,,Trade show
cal@globex.example,Cal,Cole,Globex,CTO,0,,webinar
dee@net.example,Dee,Diaz,Net_Works,COO,1,,referral
not-an-email,Eve,Ent,Initech,,0,,
AMY@acme.example,Amy,Duplicate,Acme,,0,,
fay@towers.example,Fay,Ford,Nettowers Ltd,Analyst,3,,website
gil@umbrella.example,Gil,Gray,Umbrella,CEO,0,,
ida@umbrella.example,Ida,Ives,Umbrella,CTO,1,,50% off
`;

const UPDATE = `Email,Title,Priority
amy@ACME.example,Chief Revenue Officer,1
hal@hooli.example,,0
`;

/** What each engine answered, compared at the end. */
const answers: Record<string, Record<string, unknown>> = {};

const engines: { name: 'sqlite' | 'postgres'; location: () => Promise<string> }[] = [
  { name: 'sqlite', location: async () => join(dir, 'services.db') },
  { name: 'postgres', location: () => createTestDatabase() },
];

async function rowCounts(store: Store): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const r = await store.db.selectFrom(t as 'blocks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = r.n;
  }
  return out;
}

function csvOf(ctx: Context): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return exportProspects(ctx, out).then(() => Buffer.concat(chunks).toString('utf8'));
}

describe.each(engines)('store and services on $name', ({ name, location }) => {
  let store: Store;
  let ctx: Context;
  const id: Record<string, number> = {};
  const seen: Record<string, unknown> = (answers[name] = {});

  beforeAll(async () => {
    store = await openStore(await location());
    expect(store.dialect).toBe(name);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('migrates an empty database to the full schema, once', async () => {
    const tables = (await store.db.introspection.getTables()).map((t) => t.name);
    for (const t of TABLES) expect(tables).toContain(t);
    expect(await store.migrate()).toEqual([]);
    const steps = (await store.db.introspection.getTables()).find((t) => t.name === 'cadence_steps')!;
    const delay = steps.columns.find((c) => c.name === 'delay_amount')!;
    expect(delay.dataType).toMatch(name === 'postgres' ? /^float8$/ : /^real$/i);
  });

  it('creates the workspace, its user and the built-in cadences', async () => {
    const r = await initWorkspace(runtimeFor(store), { workspaceName: 'Test', timezone: 'UTC', userEmail: 'Me@Tally.example', userName: 'Me' }, NOW - 10 * 86_400_000);
    expect(r.created).toBe(true);
    expect(typeof r.workspace.created_at).toBe('number');
    expect((await initWorkspace(runtimeFor(store), {}, NOW)).created).toBe(false);
    ctx = await openContext(runtimeFor(store), { now: () => NOW });
    expect(ctx.user.email).toBe('me@tally.example');
    const cadences = await listCadences(ctx);
    expect(cadences.map((c) => c.name)).toEqual(DEFAULT_CADENCES.map((d) => d.name));
    for (const c of cadences) {
      expect(typeof c.steps).toBe('number');
      expect(c.live).toBe(0);
    }
    seen.cadences = cadences;
  });

  it('imports a CSV: companies, dedupe, a rejected row, then an update by email', async () => {
    const first = await importProspects(ctx, openCsvSource(writeFile(dir, `people-${name}.csv`, PEOPLE)));
    expect(first).toMatchObject({ rows: 9, inserted: 7, updated: 0, companiesCreated: 5 });
    expect(first.rejected).toEqual([{ line: 6, reason: 'invalid email "not-an-email"', field: 'email' }]);
    expect(first.duplicates).toEqual([{ line: 7, email: 'AMY@acme.example', firstLine: 2 }]);
    const second = await importProspects(ctx, openCsvSource(writeFile(dir, `update-${name}.csv`, UPDATE)));
    expect(second).toMatchObject({ rows: 2, inserted: 1, updated: 1 });
    const rows = await store.db.selectFrom('prospects').select(['id', 'email_key', 'title', 'priority', 'custom']).orderBy('id').execute();
    for (const r of rows) id[r.email_key.split('@')[0]!] = r.id;
    expect(rows.find((r) => r.email_key === 'amy@acme.example')).toMatchObject({ title: 'Chief Revenue Officer', priority: 1, custom: '{"source":"Webinar"}' });
    seen.prospects = rows;
  });

  it('a failing import writes nothing (one transaction)', async () => {
    const before = await rowCounts(store);
    const lines = ['email,company'];
    for (let i = 0; i < 1500; i++) lines.push(`bulk${i}@bulk.example,Bulk ${i % 7}`);
    const path = writeFile(dir, `bulk-${name}.csv`, `${lines.join('\n')}\n`);
    const real = store.engine.insertMany.bind(store.engine);
    let prospectBatches = 0;
    const spy = vi.spyOn(store.engine, 'insertMany').mockImplementation(async (trx, table, rows) => {
      if (table === 'prospects' && ++prospectBatches === 2) throw new Error('disk full (simulated)');
      return real(trx, table, rows);
    });
    try {
      await expect(importProspects(ctx, openCsvSource(path))).rejects.toThrow('disk full (simulated)');
    } finally {
      spy.mockRestore();
    }
    expect(prospectBatches).toBe(2); // the first batch of 1000 was written, then rolled back
    expect(await rowCounts(store)).toEqual(before);
    // A dry run reports what it would do and writes nothing either.
    const dry = await importProspects(ctx, openCsvSource(path), { dryRun: true });
    expect(dry.inserted).toBe(1500);
    expect(await rowCounts(store)).toEqual(before);
  });

  it('insertMany returns the ids in order, past the bind-parameter limit, inside the transaction', async () => {
    const before = await rowCounts(store);
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ workspace_id: ctx.workspace.id, name: `Co ${i}`, name_key: `co ${i}`, domain: null, created_at: NOW }));
    const rollback = new Error('rollback');
    await expect(
      store.engine.transaction(async (trx) => {
        const ids = await store.engine.insertMany(trx, 'companies', rows);
        expect(ids).toHaveLength(rows.length);
        for (let i = 1; i < ids.length; i++) expect(ids[i]).toBe(ids[0]! + i);
        const back = await trx.selectFrom('companies').select(['id', 'name']).where('id', 'in', [ids[0]!, ids[13_107]!, ids[19_999]!]).orderBy('id').execute();
        expect(back).toEqual([{ id: ids[0], name: 'Co 0' }, { id: ids[13_107], name: 'Co 13107' }, { id: ids[19_999], name: 'Co 19999' }]);
        await expect(store.engine.insertMany(store.db, 'companies', rows.slice(0, 1))).rejects.toThrow('inside a transaction');
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await rowCounts(store)).toEqual(before);
  });

  it('selects prospects by filter the same way on both engines', async () => {
    const pick = async (...where: string[]) => selectProspectIds(ctx, { where });
    expect(await pick('company=ACME')).toEqual([id.amy, id.ben]);
    expect(await pick('company~t_w')).toEqual([id.dee]); // "_" is a character here, not a wildcard
    expect(await pick('custom.source=webinar')).toEqual([id.amy, id.cal]);
    expect(await pick('custom.source~50%')).toEqual([id.ida]);
    expect(await pick('title~cto')).toEqual([id.cal, id.ida]);
    expect(await pick('email=GIL@umbrella.example')).toEqual([id.gil]);
    expect(await pick('priority=1')).toEqual([id.amy, id.dee, id.ida]);
  });

  it('enrolls prospects, and skips those already in a cadence', async () => {
    const all = Object.values(id);
    const r = await enroll(ctx, all, DEFAULT_CADENCE_NAME);
    expect(r.enrolled).toHaveLength(all.length);
    expect(r.skipped).toEqual([]);
    for (const e of r.enrolled) expect(typeof e.dueAt).toBe('number');
    const again = await enroll(ctx, [id.amy!], NURTURE_CADENCE_NAME);
    expect(again.skipped).toEqual([{ prospectId: id.amy, reason: `already in cadence "${DEFAULT_CADENCE_NAME}"` }]);
    seen.enrolled = r;
  });

  it('logs touches: a touch advances, a reply ends, an opt-out holds everywhere', async () => {
    const t1 = await logTouch(ctx, 'amy@acme.example', { channel: 'email', outcome: 'sent', at: NOW - 2 * HOUR, note: 'opening email' });
    expect(t1.tally).toBe(1);
    expect(t1.enrollment?.after).toMatchObject({ status: 'active', stepIndex: 1, touches: 1 });
    const t2 = await logTouch(ctx, id.ben!, { channel: 'call', outcome: 'meeting_booked', at: NOW - HOUR });
    expect(t2.enrollment?.after).toMatchObject({ status: 'replied', dueAt: null });
    const t3 = await logTouch(ctx, id.cal!, { channel: 'email', outcome: 'opted_out', at: NOW - HOUR });
    expect(t3.enrollment?.after.status).toBe('opted_out');
    const cal = await store.db.selectFrom('prospects').select(['opted_out_at']).where('id', '=', id.cal!).executeTakeFirstOrThrow();
    expect(cal.opted_out_at).toBe(NOW - HOUR);
    const live = await store.db.selectFrom('enrollments').select('status').where('prospect_id', '=', id.cal!).execute();
    expect(live).toEqual([{ status: 'opted_out' }]);
    expect((await enroll(ctx, [id.cal!], NURTURE_CADENCE_NAME)).skipped).toEqual([{ prospectId: id.cal, reason: 'opted out' }]);
    await changeEnrollment(ctx, id.gil!, (now) => ({ type: 'snooze', until: now + 48 * HOUR, at: now }));
    seen.touches = [t1, t2, t3];
  });

  it('orders the queue: overdue first (hottest first), then today by time', async () => {
    // Spread due times around now so every ordering rule matters.
    const due: Record<string, number> = { amy: NOW - 3 * HOUR, dee: NOW - 3 * HOUR, fay: NOW - HOUR, ida: NOW + 2 * HOUR, hal: NOW + HOUR };
    for (const [who, at] of Object.entries(due)) {
      await store.db.updateTable('enrollments').set({ due_at: at }).where('prospect_id', '=', id[who]!).where('status', '=', 'active').execute();
    }
    const q = await todayQueue(ctx, { team: true });
    expect(q.total).toBe(5);
    expect(q.overdue).toBe(3);
    expect(typeof q.total).toBe('number');
    // fay (priority 3) and then amy, dee (priority 1, same time: by id); then hal, ida by time.
    expect(q.items.map((i) => i.prospectId)).toEqual([id.fay, id.amy, id.dee, id.hal, id.ida]);
    expect(q.items[0]).toMatchObject({ overdue: true, priority: 3, touches: 0, steps: DEFAULT_CADENCES[0]!.steps.length });
    expect(q.items.find((i) => i.prospectId === id.amy)).toMatchObject({ touches: 1, step: 2 });
    expect(q.items.find((i) => i.prospectId === id.amy)?.held?.reasons.length).toBeGreaterThan(0);
    seen.queue = q;
  });

  it('reads a page of any size as the start of the queue order (each part read up to the page from its own index)', async () => {
    const full = (await todayQueue(ctx, { team: true })).items.map((i) => i.prospectId);
    for (let limit = 1; limit <= full.length; limit++) {
      expect((await todayQueue(ctx, { team: true, limit })).items.map((i) => i.prospectId)).toEqual(full.slice(0, limit));
    }
  });

  it('shows a prospect: timeline, tally and enrollments', async () => {
    const v = await showProspect(ctx, 'amy@acme.example');
    expect(v.tally.count).toBe(1);
    expect(v.prospect).toMatchObject({ company: 'Acme', custom_fields: { source: 'Webinar' }, priority: 1 });
    expect(v.enrollments).toHaveLength(1);
    expect(v.enrollments[0]).toMatchObject({ cadence: DEFAULT_CADENCE_NAME, version: 1, status: 'active', step: 2 });
    expect(typeof v.enrollments[0]!.steps).toBe('number');
    expect(v.timeline.map((t) => t.kind)).toEqual(['touch', 'enrolled']); // the email went out before the enrollment
    await expect(showProspect(ctx, '99999999999')).rejects.toThrow('unknown prospect "99999999999"');
    seen.show = v;
    seen.showBen = await showProspect(ctx, id.ben!);
  });

  it('keeps cadence versions: an edit makes v2, running enrollments stay on v1', async () => {
    const v1 = await getCadence(ctx, DEFAULT_CADENCE_NAME);
    const def = structuredClone(v1.definition) as CadenceDefinition;
    def.steps[0]!.reason = 'a sharper benchmark';
    expect((await saveCadence(ctx, def)).change).toBe('new_version');
    expect((await saveCadence(ctx, def)).change).toBe('unchanged');
    const v2 = await getCadence(ctx, DEFAULT_CADENCE_NAME);
    expect(v2.version).toBe(2);
    expect((await getCadence(ctx, DEFAULT_CADENCE_NAME, 1)).definition.steps[0]!.reason).toBe(v1.definition.steps[0]!.reason);
    const running = await store.db.selectFrom('enrollments').select('cadence_version_id').distinct().execute();
    expect(running).toEqual([{ cadence_version_id: v1.versionId }]);
    // Fractional hours survive the round trip exactly (double precision on PostgreSQL).
    const quick = validateCadence({ name: 'Quick', steps: [{ channel: 'call', delay: { amount: 0.1, unit: 'hours' }, name: 'Call', value_item: 'x' }] });
    if (!quick.ok) throw new Error('invalid test cadence');
    const saved = await saveCadence(ctx, quick.value);
    expect((await stepsLoader(store)(saved.cadence.versionId))[0]!.delay).toEqual({ amount: 0.1, unit: 'hours' });
    seen.cadenceList = await listCadences(ctx);
  });

  it('reports stats and exports CSV', async () => {
    const s = await followUpReport(ctx, { team: true });
    expect(s).toMatchObject({ prospects: 8, touched: 3, totalTouches: 3, replies: 1 });
    seen.stats = s;
    const csv = await csvOf(ctx);
    const lines = csv.trim().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('id,email,first_name,last_name,phone,title,linkedin_url,company,timezone,owner,priority,touches,cadence,status,next_due,opted_out,email_status,source');
    expect(lines.find((l) => l.startsWith(`${id.cal},`))).toContain(',opted_out,');
    seen.csv = csv;
  });

  it('runs the scheduler tick (bulk updates), blocks, plan, nurture and digest', async () => {
    const tick = await schedulerTick({ ...ctx, now: () => NOW + 72 * HOUR });
    expect(tick.woken).toBe(1); // gil's snooze ended
    expect(tick.checked).toBeGreaterThan(0);
    const after = await store.db
      .selectFrom('enrollments as e')
      .leftJoin('enrollment_holds as h', 'h.enrollment_id', 'e.id')
      .select(['e.id', 'e.status', 'h.held_until', 'h.held_rules', 'e.updated_at'])
      .orderBy('e.id')
      .execute();
    expect(after.find((e) => e.status === 'snoozed')).toBeUndefined();
    seen.tick = { tick: { ...tick, ms: 0 }, after };
    const block = await addBlock(ctx, { weekday: 1, start: '15:00', minutes: 60 });
    await addBlock(ctx, { weekday: 1, start: '09:00', minutes: 30 });
    expect((await listBlocks(ctx)).map((b) => b.start)).toEqual(['09:00', '15:00']);
    const plan = await planRep(ctx, { days: 1 });
    expect(plan.hasBlocks).toBe(true);
    const digest = await dailyDigestFor(ctx);
    await removeBlock(ctx, block.id);
    seen.plan = plan;
    seen.digest = digest;
    seen.nurture = await nurtureProposals(ctx);
  });
});

describe('both engines', () => {
  it('gave the same answers to every service', () => {
    const [a, b] = [answers.sqlite!, answers.postgres!];
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const key of Object.keys(a)) expect(withoutTokens({ [key]: b[key] })).toEqual(withoutTokens({ [key]: a[key] }));
    expect((a.queue as Queue).items.length).toBeGreaterThan(0);
  });
});
