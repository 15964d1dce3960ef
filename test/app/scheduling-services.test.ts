// Service-level tests of the scheduling wiring against a real SQLite file: the touch history the
// guardrails read, holdsFor's keyed verdicts, the tick in small batches, plans without blocks
// (the tick's incremental rules: test/app/tick.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/store.ts';
import { openContext, type Context } from '../../src/app/context.ts';
import { holdsFor, touchHistory, type TouchToCheck } from '../../src/app/holds.ts';
import { schedulerTick } from '../../src/app/tick.ts';
import { planRep } from '../../src/app/plan.ts';
import { setSetting } from '../../src/app/workspace-settings.ts';
import { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const dir = tempDir();
const ms = (iso: string) => Date.parse(iso);
const NOW = ms('2026-03-02T10:00:00Z'); // Monday

const PEOPLE = `email,first_name,last_name,company,timezone
amy@acme.example,Amy,Adams,Acme,
ben@acme.example,Ben,Brown,Acme,
cal@globex.example,Cal,Cole,Globex,America/New_York
dee@solo.example,Dee,Diaz,,
`;
const CADENCE = `name: Quick
steps:
  - { channel: email, delay: 0, name: Hello, value_item: a benchmark }
  - { channel: call, delay: 4h, name: Call, value_item: the benchmark walked through }
`;

let cli: TallyCli;
let store: Store;
let id: Record<string, number>;
let company: Record<string, number>;

async function context(now = NOW): Promise<Context> {
  return openContext(runtimeFor(store), { now: () => now });
}

beforeAll(async () => {
  cli = new TallyCli(join(dir, 'services.db'), '2026-02-02T10:00:00Z');
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example', '--user-name', 'Me');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', PEOPLE));
  await cli.ok('cadence', 'add', writeFile(dir, 'quick.yaml', CADENCE));
  // An old touch (outside every look-back) and recent ones.
  await cli.ok('log', 'amy@acme.example', '--channel', 'email', '--outcome', 'sent');
  cli.at('2026-03-02T09:00:00Z');
  await cli.ok('log', 'amy@acme.example', '--channel', 'call', '--outcome', 'no_answer');
  await cli.ok('log', 'ben@acme.example', '--channel', 'email', '--outcome', 'sent');
  await cli.ok('log', 'dee@solo.example', '--channel', 'email', '--outcome', 'sent');
  cli.at('2026-03-02T10:00:00Z');
  await cli.ok('enroll', 'amy@acme.example', 'ben@acme.example', 'cal@globex.example', 'dee@solo.example', '--cadence', 'Quick');
  id = Object.fromEntries(query<{ id: number; email: string }>(cli.db, 'select id, email from prospects').map((r) => [r.email.split('@')[0]!, r.id]));
  company = Object.fromEntries(query<{ id: number; name: string }>(cli.db, 'select id, name from companies').map((r) => [r.name, r.id]));
  store = await openStore(cli.db);
});

afterAll(async () => {
  await store?.close();
});

function check(over: Partial<TouchToCheck> & Pick<TouchToCheck, 'key' | 'prospectId'>): TouchToCheck {
  return {
    name: 'Someone',
    timezone: null,
    companyId: null,
    companyName: null,
    channel: 'email',
    at: NOW,
    flags: { optedOut: false, doNotContact: false, emailBad: false },
    ...over,
  };
}

describe('touchHistory', () => {
  it('returns touch times per prospect and per company since the given instant', async () => {
    const ctx = await context();
    const h = await touchHistory(ctx, [id.amy!, id.ben!, id.cal!], [company.Acme!, company.Globex!, null], ms('2026-02-20T00:00:00Z'));
    expect(h.byProspect.get(id.amy!)).toEqual([ms('2026-03-02T09:00:00Z')]); // the February 2 touch is too old
    expect(h.byProspect.get(id.ben!)).toEqual([ms('2026-03-02T09:00:00Z')]);
    expect(h.byProspect.has(id.cal!)).toBe(false);
    expect(h.byCompany.get(company.Acme!)?.sort()).toEqual([ms('2026-03-02T09:00:00Z'), ms('2026-03-02T09:00:00Z')]);
    expect(h.byCompany.has(company.Globex!)).toBe(false);
    const all = await touchHistory(ctx, [id.amy!], [], 0);
    expect(all.byProspect.get(id.amy!)).toHaveLength(2);
    expect(all.byCompany.size).toBe(0);
  });
});

describe('holdsFor', () => {
  it('answers per key: allowed, held with the lift time, and never', async () => {
    const ctx = await context();
    expect((await holdsFor(ctx, [])).size).toBe(0);
    const verdicts = await holdsFor(ctx, [
      check({ key: 1, prospectId: id.amy!, name: 'Amy Adams', companyId: company.Acme!, companyName: 'Acme' }),
      check({ key: 2, prospectId: id.cal!, name: 'Cal Cole', timezone: 'America/New_York', companyId: company.Globex!, companyName: 'Globex', channel: 'call' }),
      check({ key: 3, prospectId: id.cal!, name: 'Cal Cole', flags: { optedOut: true, doNotContact: false, emailBad: false } }),
      check({ key: 4, prospectId: id.dee!, name: 'Dee Diaz', channel: 'email', flags: { optedOut: false, doNotContact: false, emailBad: true } }),
      check({ key: 5, prospectId: id.dee!, name: 'Dee Diaz', channel: 'call', at: ms('2026-03-05T10:00:00Z') }),
    ]);
    expect([...verdicts.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(verdicts.get(1)).toEqual({
      at: ms('2026-03-04T08:00:00Z'),
      holds: [
        { rule: 'min_gap', explanation: 'held: last touch to Amy Adams 0 business days ago (minimum 2)', until: ms('2026-03-04T00:00:00Z') },
        expect.objectContaining({ rule: 'sending_window' }),
        expect.objectContaining({ rule: 'quiet_hours' }),
      ],
    });
    // 05:00 in New York: the call waits for the window there (09:00 local = 14:00 UTC).
    expect(verdicts.get(2)).toEqual({
      at: ms('2026-03-02T14:00:00Z'),
      holds: [
        { rule: 'sending_window', explanation: 'held: outside the call window in America/New_York (05:00 local; window 09:00–17:00)', until: ms('2026-03-02T14:00:00Z') },
        { rule: 'quiet_hours', explanation: 'held: quiet hours in America/New_York (05:00 local)', until: ms('2026-03-02T13:00:00Z') },
      ],
    });
    expect(verdicts.get(3)).toEqual({ at: null, holds: [{ rule: 'opted_out', explanation: 'never: Cal Cole opted out', until: null }] });
    expect(verdicts.get(4)).toEqual({ at: null, holds: [{ rule: 'bad_email', explanation: "never by email: Dee Diaz's email address is marked bad", until: null }] });
    expect(verdicts.get(5)).toEqual({ at: ms('2026-03-05T10:00:00Z'), holds: [] }); // gap passed, no company
  });

  it('uses the workspace guardrail settings of the context', async () => {
    const ctx = await context();
    const view = await setSetting(ctx, 'guardrails.minGapBusinessDays', '0');
    expect(view.settings.guardrails.minGapBusinessDays).toBe(0);
    const fresh = await context();
    const verdicts = await holdsFor(fresh, [check({ key: 1, prospectId: id.amy!, name: 'Amy Adams' })]);
    expect(verdicts.get(1)).toEqual({ at: NOW, holds: [] });
    await setSetting(fresh, 'guardrails.minGapBusinessDays', '2');
  });
});

describe('schedulerTick', () => {
  it('checks every enrollment due within the horizon on its first tick, in batches, then what is due', async () => {
    const progress: number[] = [];
    const r = await schedulerTick(await context(), { batch: 3, onProgress: (n) => progress.push(n) });
    expect(progress).toEqual([3, 4]);
    // Amy (gap), Ben (gap and Acme's two touches are under the cap), Dee (gap); Cal, due at 07:00 in New York, waits for the end of quiet hours there.
    expect(r).toMatchObject({ checked: 4, held: 4, released: 0, woken: 0 });
    const rows = query<{ prospect_id: number; held_until: number | null; held_rules: string | null }>(cli.db, 'select e.prospect_id, h.held_until, h.held_rules from enrollments e left join enrollment_holds h on h.enrollment_id = e.id order by e.prospect_id');
    expect(rows.find((x) => x.prospect_id === id.cal)).toEqual({
      prospect_id: id.cal,
      held_until: ms('2026-03-02T13:00:00Z'),
      held_rules: 'quiet_hours', // due 07:00 there, when the email window opens
    });
    expect(rows.find((x) => x.prospect_id === id.dee)?.held_rules).toMatch(/^min_gap\b/);
    // Next tick: the three due now are checked again (their check time is now); Cal's touch, due later, stands.
    expect(await schedulerTick(await context(), { batch: 2 })).toMatchObject({ checked: 3, held: 0, released: 0, woken: 0, full: false, events: 0 });
    // Later the same day in New York's window: Cal is due and his hold is released.
    expect(await schedulerTick(await context(ms('2026-03-02T14:00:00Z')))).toMatchObject({ checked: 4, held: 0, released: 1 });
  });
});

describe('planRep', () => {
  it('without blocks: nothing placed, each due touch says it is after the last block', async () => {
    const r = await planRep(await context(), { days: 2 });
    expect(r).toMatchObject({ zone: 'UTC', from: NOW, to: NOW + 2 * 86_400_000, hasBlocks: false });
    expect(r.plan.blocks).toEqual([]);
    expect(r.plan.overload).toBeNull();
    expect(r.plan.unplaced.map((u) => u.reason).sort()).toEqual(['not_due_in_plan', 'not_due_in_plan', 'not_due_in_plan', 'not_due_in_plan']);
  });
});
