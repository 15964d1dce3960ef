// The incremental scheduler tick against real SQLite files: every cause that changes an
// enrollment's situation queues an event in its own transaction, and the next tick re-evaluates
// what it touched; with random causes and clock moves, the holds the tick keeps always equal the
// holds computed from scratch (holdsFor, the queue's own check) for every touch due within the
// horizon, and no touch due later carries one.
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/app/context.ts';
import { saveCadence } from '../../src/app/cadences.ts';
import { changeEnrollment, enroll } from '../../src/app/enrollments.ts';
import { holdsFor, touchToCheck } from '../../src/app/holds.ts';
import { csvSourceOf } from '../../src/app/csv-stream.ts';
import { importProspects } from '../../src/app/import-prospects.ts';
import { HORIZON_MS, schedulerTick, type TickReport } from '../../src/app/tick.ts';
import { logTouch } from '../../src/app/touches.ts';
import { todayQueue } from '../../src/app/queue.ts';
import { optOutProspect } from '../../src/app/unsubscribe.ts';
import { findProspect } from '../../src/app/prospects.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { setSetting } from '../../src/app/workspace-settings.ts';
import { validateCadence } from '../../src/core/cadence.ts';
import { TallyError } from '../../src/core/errors.ts';
import type { SchedulerCause } from '../../src/app/ports/records.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const HOUR = 3_600_000;
const T0 = Date.parse('2026-03-02T10:00:00Z'); // a Monday; the workspace is on UTC

const PEOPLE = ['amy', 'ben', 'cat', 'dan', 'eve', 'fay', 'gus'] as const;
type Person = (typeof PEOPLE)[number];
/** amy, ben, cat, dan and fay work at Acme; eve has no company; gus is at Globex, in Tokyo. */
const COMPANY: Record<Person, string | null> = { amy: 'Acme', ben: 'Acme', cat: 'Acme', dan: 'Acme', eve: null, fay: 'Acme', gus: 'Globex' };

interface World {
  store: Store;
  clock: { now: number };
  ctx(): Promise<Context>;
  id: Record<Person, number>;
}

let worlds = 0;
const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

type Engine = 'sqlite' | 'postgres';

/** A workspace with seven prospects, two cadences ("Calls" starts now, "Later" in 4 hours) and the first five enrolled in "Calls". */
async function world(engine: Engine = 'sqlite'): Promise<World> {
  const store = await openStore(engine === 'sqlite' ? join(dir, `tick-${++worlds}.db`) : await createTestDatabase());
  opened.push(store);
  const clock = { now: T0 };
  const rt = runtimeFor(store, { now: () => clock.now });
  await initWorkspace(rt, { timezone: 'UTC', userEmail: 'me@tally.example' }, T0);
  const ctx = () => openContext(rt);
  const c = await ctx();
  const companies = new Map<string, number>();
  for (const name of ['Acme', 'Globex']) companies.set(name, await store.companies.insert({ workspace_id: c.workspace.id, name, name_key: name.toLowerCase(), domain: null, created_at: T0 }));
  const ids = await store.transaction((tx) =>
    tx.prospects.insertMany(
      PEOPLE.map((p) => ({
        workspace_id: c.workspace.id, owner_id: c.user.id, email: `${p}@example.com`, email_key: `${p}@example.com`, first_name: p, last_name: null,
        phone: null, title: null, company_id: COMPANY[p] ? companies.get(COMPANY[p])! : null, timezone: p === 'gus' ? 'Asia/Tokyo' : null, created_at: T0, updated_at: T0,
      })),
    ),
  );
  const id = Object.fromEntries(PEOPLE.map((p, i) => [p, ids[i]!])) as Record<Person, number>;
  for (const [name, first] of [['Calls', 0], ['Later', 4]] as const) {
    const steps = [first, 4, 4].map((h, i) => ({ channel: 'call', delay: `${h}h`, name: `${name} ${i + 1}`, value_item: 'the benchmark' }));
    const def = validateCadence({ name, steps });
    if (!def.ok) throw new Error('invalid test cadence');
    await saveCadence(c, def.value);
  }
  await enroll(c, [id.amy, id.ben, id.cat, id.dan, id.eve], 'Calls');
  return { store, clock, ctx, id };
}

async function tick(w: World, opts: { full?: boolean } = {}): Promise<TickReport> {
  return schedulerTick(await w.ctx(), opts);
}

function pendingCauses(w: World): Promise<{ cause: SchedulerCause; enrollment_id: number | null; prospect_id: number | null; company_id: number | null }[]> {
  return w.store.db.selectFrom('scheduler_events').select(['cause', 'enrollment_id', 'prospect_id', 'company_id']).orderBy('id').execute();
}

/** The enrollments with the hold the tick keeps for each (nulls: none). */
const withHolds = (w: World) =>
  w.store.db
    .selectFrom('enrollments as e')
    .leftJoin('enrollment_holds as h', 'h.enrollment_id', 'e.id')
    .select(['e.id', 'e.prospect_id', 'e.status', 'e.due_at', 'h.held_until', 'h.held_rules'])
    .orderBy('e.id');

async function holdOf(w: World, person: Person) {
  const e = await withHolds(w).where('e.prospect_id', '=', w.id[person]).orderBy('e.id', 'desc').executeTakeFirstOrThrow();
  return { ...e, rules: e.held_rules?.split(',') ?? [] };
}

/**
 * The holds the store keeps are the holds computed from scratch now: for every touch due within the
 * horizon, the queue's own check at max(due, now) (its rules and lift time); none on anything else;
 * no snooze left over.
 */
async function expectHoldsCurrent(w: World): Promise<void> {
  const ctx = await w.ctx();
  const now = ctx.now();
  const due = await ctx.store.due.steps({ workspaceId: ctx.workspace.id, dueBy: now + HORIZON_MS }, {});
  const verdicts = await holdsFor(ctx, due.map((r) => touchToCheck(r, now)));
  const expected = new Map<number, { held_until: number | null; held_rules: string | null }>();
  for (const r of due) {
    const v = verdicts.get(r.enrollmentId)!;
    const held = v.at === null || v.at > Math.max(r.dueAt, now);
    expected.set(r.enrollmentId, { held_until: held ? v.at : null, held_rules: held ? v.holds.map((h) => h.rule).join(',') : null });
  }
  const rows = await withHolds(w).execute();
  for (const r of rows) {
    expect({ id: r.id, held_until: r.held_until, held_rules: r.held_rules }).toEqual({ id: r.id, ...(expected.get(r.id) ?? { held_until: null, held_rules: null }) });
    if (r.status === 'snoozed') expect(r.due_at).toBeGreaterThan(now);
  }
}

const TODAY_15 = T0 + 5 * HOUR;
const TOMORROW_15 = T0 + 29 * HOUR;

/**
 * A world after its first tick: `touched` had a call this morning (Acme's per-day cap is 3), Ben is
 * snoozed to `benUntil` (due later, inside the horizon) and not held.
 */
async function settled(engine: Engine, touched: Person[], benUntil = TODAY_15): Promise<World> {
  const w = await world(engine);
  for (const p of touched) await as(w, (c) => logTouch(c, w.id[p], { channel: 'call', outcome: 'no_answer' }));
  await as(w, (c) => changeEnrollment(c, w.id.ben, (at) => ({ type: 'snooze', at, until: benUntil })));
  const first = await tick(w);
  expect(first).toMatchObject({ full: true, checked: 5 });
  await expectHoldsCurrent(w);
  expect(await holdOf(w, 'ben')).toMatchObject({ status: 'snoozed', due_at: benUntil, held_until: null });
  w.clock.now += 60_000;
  return w;
}

/** The cause queued its event; the next tick handles it and leaves every hold as computed from scratch. */
async function expectReevaluated(w: World, cause: SchedulerCause): Promise<TickReport> {
  expect((await pendingCauses(w)).map((e) => e.cause)).toContain(cause);
  const r = await tick(w);
  expect(r.events).toBeGreaterThan(0);
  expect(await pendingCauses(w)).toEqual([]);
  await expectHoldsCurrent(w);
  return r;
}

const as = async <T>(w: World, fn: (ctx: Context) => Promise<T>): Promise<T> => fn(await w.ctx());

/** A held touch in words, as the queue words it when it shows the card (the tick keeps the rules, not the words). */
async function heldWords(w: World, person: Person): Promise<string | undefined> {
  const q = await as(w, (c) => todayQueue(c, { days: 2 }));
  return q.items.find((i) => i.prospectId === w.id[person])?.held?.reasons.join('; ');
}

describe.each(['sqlite', 'postgres'] as const)('schedulerTick, incremental, on %s', (engine) => {
  it('with nothing changed, reads only what is due: Ben, due later today, is not read again', async () => {
    const w = await settled(engine, ['amy', 'cat']);
    const r = await tick(w);
    // dan and eve are due now; amy and cat are due again in 4 hours, Ben at 15:00: their checks stand.
    expect(r).toMatchObject({ full: false, events: 0, checked: 2, held: 0, released: 0 });
    expect(r.horizon).toBe(w.clock.now + HORIZON_MS);
    await expectHoldsCurrent(w);
  });

  it('a touch to someone at the same company: everyone there is checked again (the per-company cap)', async () => {
    const w = await settled(engine, ['amy', 'cat']);
    await as(w, (c) => logTouch(c, w.id.dan, { channel: 'call', outcome: 'no_answer' }));
    expect(await pendingCauses(w)).toContainEqual({ cause: 'touch', enrollment_id: null, prospect_id: null, company_id: expect.any(Number) });
    await expectReevaluated(w, 'touch');
    const ben = await holdOf(w, 'ben');
    expect(ben.rules).toContain('company_per_day');
    expect(await heldWords(w, 'ben')).toMatch(/^held: 3rd touch to Acme today;/);
  });

  it('a touch to the person: their next touch is checked against the minimum gap', async () => {
    const w = await settled(engine, [], TOMORROW_15);
    await as(w, (c) => logTouch(c, w.id.ben, { channel: 'call', outcome: 'left_voicemail' }));
    await expectReevaluated(w, 'touch');
    const ben = await holdOf(w, 'ben');
    expect(ben.rules).toContain('min_gap');
    expect(await heldWords(w, 'ben')).toContain('last touch to ben 0 business days ago');
  });

  /** Ben due at 15:00 today, held: Acme had its three calls this morning. */
  async function benHeld(): Promise<World> {
    const w = await settled(engine, ['amy', 'cat']);
    await as(w, (c) => logTouch(c, w.id.dan, { channel: 'call', outcome: 'no_answer' }));
    await tick(w);
    expect((await holdOf(w, 'ben')).rules).toContain('company_per_day');
    return w;
  }

  it('a pause, a resume, a snooze and an unenroll', async () => {
    const w = await benHeld();
    await as(w, (c) => changeEnrollment(c, w.id.ben, (at) => ({ type: 'pause', at })));
    expect((await expectReevaluated(w, 'enrollment')).released).toBe(1);
    expect(await holdOf(w, 'ben')).toMatchObject({ status: 'paused', held_until: null, held_rules: null });
    await as(w, (c) => changeEnrollment(c, w.id.ben, (at) => ({ type: 'resume', at })));
    expect((await expectReevaluated(w, 'enrollment')).held).toBe(1);
    expect(await holdOf(w, 'ben')).toMatchObject({ status: 'active', due_at: TODAY_15, held_until: Date.parse('2026-03-03T09:00:00Z') });
    await as(w, (c) => changeEnrollment(c, w.id.ben, (at) => ({ type: 'snooze', at, until: TOMORROW_15 })));
    expect((await expectReevaluated(w, 'enrollment')).released).toBe(1);
    expect(await holdOf(w, 'ben')).toMatchObject({ status: 'snoozed', due_at: TOMORROW_15, held_rules: null });
    await as(w, (c) => changeEnrollment(c, w.id.ben, (at) => ({ type: 'unenroll', at })));
    await expectReevaluated(w, 'enrollment');
  });

  it('an opt-out stops the enrollment and its hold goes', async () => {
    const w = await benHeld();
    await as(w, async (c) => {
      const prospect = await findProspect(c, w.id.ben);
      await c.store.transaction((tx) => optOutProspect({ ...c, store: tx }, tx, prospect, 'asked to stop'));
    });
    await expectReevaluated(w, 'prospect');
    expect(await holdOf(w, 'ben')).toMatchObject({ status: 'opted_out', held_rules: null });
  });

  it("a prospect's time zone changed by an import", async () => {
    const w = await settled(engine, []);
    await as(w, (c) => importProspects(c, csvSourceOf('zones.csv', Buffer.from('email,timezone\nben@example.com,Asia/Tokyo\n'))));
    await expectReevaluated(w, 'prospect');
    // 15:00 UTC is midnight in Tokyo.
    expect((await holdOf(w, 'ben')).rules).toEqual(['sending_window', 'quiet_hours']);
  });

  it('a settings change checks the whole horizon again', async () => {
    const w = await settled(engine, []);
    await as(w, (c) => setSetting(c, 'windows.call', '09:00-12:00'));
    const r = await expectReevaluated(w, 'settings');
    expect(r).toMatchObject({ full: true, checked: 5 });
    expect((await holdOf(w, 'ben')).rules).toEqual(['sending_window']);
  });

  it("the workspace's time zone", async () => {
    const w = await settled(engine, []);
    await as(w, (c) => setSetting(c, 'timezone', 'Asia/Tokyo'));
    expect((await expectReevaluated(w, 'settings')).full).toBe(true);
    expect((await holdOf(w, 'ben')).rules).toContain('quiet_hours');
  });

  it('a new enrollment due later is checked on the next tick, not when it falls due', async () => {
    const w = await settled(engine, ['amy', 'cat', 'dan'], TOMORROW_15);
    await as(w, (c) => enroll(c, [w.id.fay], 'Later'));
    await expectReevaluated(w, 'enrollment');
    expect(await holdOf(w, 'fay')).toMatchObject({ due_at: w.clock.now + 4 * HOUR });
    expect((await holdOf(w, 'fay')).rules).toContain('company_per_day');
  });

  it('a touch entering the horizon gets its hold; a snooze that is over wakes', async () => {
    const w = await settled(engine, ['amy']);
    await as(w, (c) => setSetting(c, 'guardrails.minGapBusinessDays', '5'));
    // Friday 10:00, four business days after this morning's call: held by the 5-day gap, but past the horizon for now.
    await as(w, (c) => changeEnrollment(c, w.id.amy, (at) => ({ type: 'snooze', at, until: T0 + 4 * 24 * HOUR })));
    await tick(w);
    expect(await holdOf(w, 'amy')).toMatchObject({ status: 'snoozed', held_until: null });
    w.clock.now = T0 + 2 * 24 * HOUR + HOUR; // Wednesday 11:00: the horizon reaches Friday 13:00
    const entered = await tick(w);
    expect(entered).toMatchObject({ full: false, events: 0, held: 1 });
    expect((await holdOf(w, 'amy')).rules).toContain('min_gap');
    await expectHoldsCurrent(w);
    for (const step of [HOUR, 30 * HOUR, 40 * HOUR]) {
      w.clock.now += step;
      await tick(w);
      await expectHoldsCurrent(w);
    }
    expect(await holdOf(w, 'amy')).toMatchObject({ status: 'active' });
  });
});

// ---------------------------------------------------------------------------------------------
// Random causes and clock moves: the kept holds always equal holds computed from scratch.

type Op =
  | { kind: 'touch'; who: Person; outcome: 'no_answer' | 'left_voicemail' | 'replied' | 'opted_out' }
  | { kind: 'snooze'; who: Person; hours: number }
  | { kind: 'pause' | 'resume' | 'unenroll'; who: Person }
  | { kind: 'enroll'; who: Person; cadence: 'Calls' | 'Later' }
  | { kind: 'setting'; path: string; value: string }
  | { kind: 'wait'; minutes: number }
  | { kind: 'tick' };

const person = fc.constantFrom(...PEOPLE);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('touch' as const), who: person, outcome: fc.constantFrom('no_answer' as const, 'left_voicemail' as const, 'replied' as const, 'opted_out' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('snooze' as const), who: person, hours: fc.integer({ min: 1, max: 80 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('pause' as const, 'resume' as const, 'unenroll' as const), who: person }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('enroll' as const), who: person, cadence: fc.constantFrom('Calls' as const, 'Later' as const) }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { kind: 'setting' as const, path: 'guardrails.maxTouchesPerCompanyPerDay', value: '2' },
      { kind: 'setting' as const, path: 'guardrails.minGapBusinessDays', value: '0' },
      { kind: 'setting' as const, path: 'guardrails.minGapBusinessDays', value: '6' },
      { kind: 'setting' as const, path: 'guardrails.maxTouchesPerPerson7Days', value: '1' },
      { kind: 'setting' as const, path: 'windows.call', value: '08:00-20:00' },
      { kind: 'setting' as const, path: 'timezone', value: 'America/New_York' },
    ),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), minutes: fc.oneof(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 60, max: 3000 })) }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'tick' as const }) },
);

async function apply(w: World, o: Op): Promise<void> {
  const c = await w.ctx();
  try {
    if (o.kind === 'touch') await logTouch(c, w.id[o.who], { channel: 'call', outcome: o.outcome });
    else if (o.kind === 'snooze') await changeEnrollment(c, w.id[o.who], (at) => ({ type: 'snooze', at, until: at + o.hours * HOUR }));
    else if (o.kind === 'pause' || o.kind === 'resume' || o.kind === 'unenroll') await changeEnrollment(c, w.id[o.who], (at) => ({ type: o.kind, at }));
    else if (o.kind === 'enroll') await enroll(c, [w.id[o.who]], o.cadence);
    else if (o.kind === 'setting') await setSetting(c, o.path, o.value);
    else if (o.kind === 'wait') w.clock.now += o.minutes * 60_000;
    else {
      await schedulerTick(c);
      await expectHoldsCurrent(w);
    }
  } catch (err) {
    if (!(err instanceof TallyError)) throw err; // not in a cadence, cannot resume an active one…: refused, nothing written
  }
}

describe('schedulerTick, property', () => {
  it('after every tick, the kept holds are the holds computed from scratch', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 24 }), async (ops) => {
        const w = await world();
        for (const o of [{ kind: 'tick' } as const, ...ops, { kind: 'tick' } as const]) await apply(w, o);
        await opened.pop()?.close();
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
