// Integration tests of the scheduling wiring through the CLI: guardrail holds and their
// explanations, follow-up blocks, the planner, today's grouping, the calendar feed, the digest and
// the scheduler tick — all in-process against real SQLite files with a pinned clock.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import type { StoredBlock } from '../../src/app/blocks.ts';
import type { EnrollReport } from '../../src/app/enrollments.ts';
import type { PlanReport } from '../../src/app/plan.ts';
import type { Queue, QueueItem } from '../../src/app/queue.ts';
import type { TickReport } from '../../src/app/tick.ts';
import type { Digest } from '../../src/core/digest.ts';
import { hasStackTrace, TallyCli } from '../helpers/cli.ts';
import { count, query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();
const ms = (iso: string) => Date.parse(iso);

const QUICK = `name: Quick
steps:
  - { channel: email, delay: 0, name: Hello, value_item: a benchmark of their team }
  - { channel: call, delay: 4h, name: Call, value_item: the benchmark walked through }
  - { channel: email, delay: 1, name: Last, value_item: a resource }
`;

type TodayJson = Queue & {
  blocks: { start: number; end: number; usedMinutes: number; freeMinutes: number; enrollmentIds: number[] }[];
  overload: string | null;
};

/** A fresh workspace (UTC unless said otherwise) with the people imported and the Quick cadence. */
async function workspace(name: string, now: string, people: string, timezone = 'UTC'): Promise<TallyCli> {
  const cli = new TallyCli(join(dir, `${name}.db`), now);
  await cli.ok('init', '--timezone', timezone, '--email', 'me@tally.example', '--user-name', 'Me');
  await cli.ok('import', 'prospects', writeFile(dir, `${name}.csv`, people));
  await cli.ok('cadence', 'add', writeFile(dir, `${name}-quick.yaml`, QUICK));
  return cli;
}

function ids(cli: TallyCli): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of query<{ id: number; email: string }>(cli.db, 'select id, email from prospects')) out[r.email.split('@')[0]!] = r.id;
  return out;
}

function item(q: Queue, email: string): QueueItem {
  const found = q.items.find((i) => i.email === email);
  if (!found) throw new Error(`${email} is not in the queue: ${q.items.map((i) => i.email).join(', ')}`);
  return found;
}

describe('guardrails explained to the rep', () => {
  const PEOPLE = `email,first_name,last_name,company,timezone
amy@acme.example,Amy,Adams,Acme,
ben@acme.example,Ben,Brown,Acme,
cal@acme.example,Cal,Cole,Acme,
dan@dunn.example,Dan,Dunn,Dunn Ltd,
kei@nippon.example,Kei,Kato,Nippon,Asia/Tokyo
oli@out.example,Oli,Owen,Out Inc,
`;
  let cli: TallyCli;
  let id: Record<string, number>;

  it('holds the next touch to a company whose daily cap is reached, with the cap from the settings', async () => {
    // Monday 2 March 2026, 10:00 UTC.
    cli = await workspace('guardrails', '2026-03-02T10:00:00Z', PEOPLE);
    id = ids(cli);
    await cli.ok('settings', 'set', 'guardrails.maxTouchesPerCompanyPerDay', '2');
    await cli.ok('enroll', 'cal@acme.example', '--cadence', 'Quick');
    // Two people at Acme touched today (outside any cadence).
    await cli.ok('log', 'amy@acme.example', '--channel', 'email', '--outcome', 'sent');
    await cli.ok('log', 'ben@acme.example', '--channel', 'call', '--outcome', 'no_answer');

    let cal = item(await cli.json<Queue>('today'), 'cal@acme.example');
    expect(cal.dueAt).toBe(ms('2026-03-02T10:00:00Z'));
    // Lifts at local midnight, then waits for the end of quiet hours (20:00–08:00).
    expect(cal.held).toEqual({
      until: ms('2026-03-03T08:00:00Z'),
      reasons: [
        'held: 2nd touch to Acme today',
        'held: outside the email window in UTC (00:00 local; window 07:00–19:00)',
        'held: quiet hours in UTC (00:00 local)',
      ],
    });
    const text = await cli.ok('today');
    expect(text).toContain('held: 2nd touch to Acme today → not before Tue 3 Mar 08:00');

    // The default cap (3): two touches do not hold; a third does, in the README's words.
    await cli.ok('settings', 'set', 'guardrails.maxTouchesPerCompanyPerDay', '3');
    expect(item(await cli.json<Queue>('today'), 'cal@acme.example').held).toBeNull();
    await cli.ok('log', 'amy@acme.example', '--channel', 'call', '--outcome', 'no_answer');
    cal = item(await cli.json<Queue>('today'), 'cal@acme.example');
    expect(cal.held?.reasons[0]).toBe('held: 3rd touch to Acme today');
    expect(await cli.ok('today')).toContain('held: 3rd touch to Acme today → not before Tue 3 Mar 08:00');
  });

  it('holds a touch too soon after the last one (minimum gap), longer when the setting grows', async () => {
    cli.at('2026-03-02T10:00:00Z');
    await cli.ok('enroll', 'dan@dunn.example', '--cadence', 'Quick');
    await cli.ok('log', 'dan@dunn.example', '--channel', 'email', '--outcome', 'sent');
    // Step 2 is a call 4 hours later: due 14:00, but the last touch was today.
    cli.at('2026-03-02T14:00:00Z');
    let dan = item(await cli.json<Queue>('today'), 'dan@dunn.example');
    expect(dan).toMatchObject({ dueAt: ms('2026-03-02T14:00:00Z'), channel: 'call', stepName: 'Call' });
    expect(dan.held).toEqual({
      until: ms('2026-03-04T09:00:00Z'), // two business days on, when the call window opens
      reasons: [
        'held: last touch to Dan Dunn 0 business days ago (minimum 2)',
        'held: outside the call window in UTC (00:00 local; window 09:00–17:00)',
        'held: quiet hours in UTC (00:00 local)',
      ],
    });
    expect(await cli.ok('today')).toContain('held: last touch to Dan Dunn 0 business days ago (minimum 2) → not before Wed 4 Mar 09:00');

    await cli.ok('settings', 'set', 'guardrails.minGapBusinessDays', '4');
    dan = item(await cli.json<Queue>('today'), 'dan@dunn.example');
    expect(dan.held?.reasons[0]).toBe('held: last touch to Dan Dunn 0 business days ago (minimum 4)');
    expect(dan.held?.until).toBe(ms('2026-03-06T09:00:00Z'));
    await cli.ok('settings', 'set', 'guardrails.minGapBusinessDays', '2');
  });

  it('holds a touch during quiet hours in the prospect\'s own zone', async () => {
    cli.at('2026-03-02T10:00:00Z'); // 19:00 in Tokyo: the email goes out when the window opens there
    const r = await cli.json<EnrollReport>('enroll', 'kei@nippon.example', '--cadence', 'Quick');
    expect(r.enrolled[0]!.dueAt).toBe(ms('2026-03-02T22:00:00Z')); // Tuesday 07:00 in Tokyo
    cli.at('2026-03-02T22:00:00Z');
    const kei = item(await cli.json<Queue>('today'), 'kei@nippon.example');
    // 07:00 is inside the email window but still inside the default quiet hours (until 08:00 local).
    expect(kei.held).toEqual({ until: ms('2026-03-02T23:00:00Z'), reasons: ['held: quiet hours in Asia/Tokyo (07:00 local)'] });
    expect(await cli.ok('today')).toContain('held: quiet hours in Asia/Tokyo (07:00 local) → not before Mon 2 Mar 23:00');
    // Quiet hours are a workspace setting too.
    await cli.ok('settings', 'set', 'guardrails.quietHours', '21:00-06:00');
    expect(item(await cli.json<Queue>('today'), 'kei@nippon.example').held).toBeNull();
    await cli.ok('settings', 'set', 'guardrails.quietHours', '20:00-08:00');
  });

  it('never queues or plans an opted-out prospect', async () => {
    cli.at('2026-03-02T10:00:00Z');
    await cli.ok('enroll', 'oli@out.example', '--cadence', 'Quick');
    await cli.ok('blocks', 'add', 'tue', '09:00', '60');
    expect((await cli.json<PlanReport>('plan')).plan.blocks[0]!.touches.map((t) => t.item.prospectId)).toContain(String(id.oli));

    await cli.ok('log', 'oli@out.example', '--channel', 'email', '--outcome', 'opted_out');
    expect(query(cli.db, 'select status, reason, due_at from enrollments where prospect_id = ?', id.oli)).toEqual([
      { status: 'opted_out', reason: 'opted out', due_at: null },
    ]);
    const again = await cli.json<EnrollReport>('enroll', 'oli@out.example', '--cadence', 'Quick');
    expect(again).toMatchObject({ enrolled: [], skipped: [{ prospectId: id.oli, reason: 'opted out' }] });
    const nurtureCadence = await cli.json<EnrollReport>('enroll', 'oli@out.example', '--cadence', 'Tally nurture');
    expect(nurtureCadence.enrolled).toEqual([]);
    expect(count(cli.db, 'enrollments', "prospect_id = ? and status in ('active', 'paused', 'snoozed')", id.oli)).toBe(0);

    const q = await cli.json<TodayJson>('today', '--days', '7');
    expect(q.items.map((i) => i.prospectId)).not.toContain(id.oli);
    const plan = await cli.json<PlanReport>('plan');
    const planned = [...plan.plan.blocks.flatMap((b) => b.touches.map((t) => t.item)), ...plan.plan.unplaced.map((u) => u.item)];
    expect(planned.map((i) => i.prospectId)).not.toContain(String(id.oli));
    expect(await cli.ok('today', '--days', '7')).not.toContain('Oli');
  });
});

describe('tally blocks', () => {
  let cli: TallyCli;

  it('adds, lists (text and --json) and removes blocks', async () => {
    cli = await workspace('blocks', '2026-03-02T10:00:00Z', 'email\nx@example.com\n', 'America/New_York');
    expect(await cli.ok('blocks')).toContain('No follow-up blocks yet');
    expect(await cli.ok('blocks', 'add', 'tue', '9:00', '60')).toBe('Added block #1: Tue 09:00 for 60 min (America/New_York).\n');
    const b = await cli.json<StoredBlock>('blocks', 'add', 'Thursday', '14:30', '45');
    expect(b).toEqual({ id: 2, weekday: 4, start: '14:30', minutes: 45 });
    await cli.ok('blocks', 'add', '1', '08:00', '30');
    expect(await cli.json<StoredBlock[]>('blocks', 'list')).toEqual([
      { id: 3, weekday: 1, start: '08:00', minutes: 30 },
      { id: 1, weekday: 2, start: '09:00', minutes: 60 },
      { id: 2, weekday: 4, start: '14:30', minutes: 45 },
    ]);
    expect(await cli.ok('blocks', 'list')).toBe('#3  Mon 08:00 for 30 min\n#1  Tue 09:00 for 60 min\n#2  Thu 14:30 for 45 min\n');
    expect(await cli.ok('blocks', 'remove', '1')).toBe('Removed block #1.\n');
    expect((await cli.json<StoredBlock[]>('blocks')).map((x) => x.id)).toEqual([3, 2]);
  });

  it.each([
    [['add', 'xyz', '09:00', '30'], 2, /field weekday: unknown weekday "xyz"/],
    [['add', '8', '09:00', '30'], 2, /field weekday: unknown weekday "8"/],
    [['add', 'tue', '25:00', '30'], 2, /field start: invalid block: expected a local time "HH:mm"/],
    [['add', 'tue', '9h', '30'], 2, /field start: invalid block/],
    [['add', 'tue', '09:00', '3'], 2, /field minutes: invalid block: .*>=5/],
    [['add', 'tue', '09:00', '721'], 2, /field minutes: invalid block: .*<=720/],
    [['add', 'tue', '09:00', 'abc'], 2, /minutes must be a whole number, got "abc"/],
    [['add', 'tue', '09:00', '7.5'], 2, /minutes must be a whole number/],
    [['remove', '99'], 1, /you have no block #99/],
    [['remove', 'abc'], 2, /block id must be a whole number, got "abc"/],
  ])('blocks %j → exit %i', async (args, code, message) => {
    const before = count(cli.db, 'blocks');
    const r = await cli.run('blocks', ...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(count(cli.db, 'blocks')).toBe(before);
  });
});

describe('tally plan and tally today with blocks', () => {
  // Thirteen emails due Monday 08:00; Pam has priority and was touched this morning.
  const PEOPLE = ['email,first_name,last_name,company,priority', 'pam@p.example,Pam,Page,Page Co,5']
    .concat(Array.from({ length: 12 }, (_, i) => `f${i + 1}@f${i + 1}.example,Fay${i + 1},Field,Field ${i + 1},0`))
    .join('\n');
  let cli: TallyCli;
  let id: Record<string, number>;

  it('fills blocks up to their capacity, says why the rest is not planned, and warns of overload', async () => {
    cli = await workspace('plan', '2026-03-02T07:00:00Z', `${PEOPLE}\n`);
    id = ids(cli);
    await cli.ok('log', 'pam@p.example', '--channel', 'call', '--outcome', 'no_answer');
    cli.at('2026-03-02T08:00:00Z');
    const emails = ['pam@p.example', ...Array.from({ length: 12 }, (_, i) => `f${i + 1}@f${i + 1}.example`)];
    await cli.ok('enroll', ...emails, '--cadence', 'Quick');
    await cli.ok('blocks', 'add', 'mon', '09:00', '15');
    await cli.ok('blocks', 'add', 'tue', '09:00', '10');

    const r = await cli.json<PlanReport>('plan');
    expect(r).toMatchObject({ zone: 'UTC', from: ms('2026-03-02T08:00:00Z'), to: ms('2026-03-09T08:00:00Z'), hasBlocks: true });
    expect(r.plan.blocks.map((b) => [b.occurrence.start, b.capacityMinutes, b.usedMinutes, b.freeMinutes, b.touches.length])).toEqual([
      [ms('2026-03-02T09:00:00Z'), 15, 15, 0, 5],
      [ms('2026-03-03T09:00:00Z'), 10, 9, 1, 3],
    ]);
    for (const b of r.plan.blocks) {
      expect(b.usedMinutes).toBeLessThanOrEqual(b.capacityMinutes);
      expect(b.touches.reduce((n, t) => n + t.minutes, 0)).toBe(b.usedMinutes);
      for (const t of b.touches) {
        expect(t.at).toBeGreaterThanOrEqual(b.occurrence.start);
        expect(t.at + t.minutes * 60_000).toBeLessThanOrEqual(b.occurrence.end);
      }
    }
    // Back to back, 3 minutes per email.
    expect(r.plan.blocks[0]!.touches.map((t) => [t.at, t.minutes, t.item.channel, t.item.stepName])).toEqual(
      [0, 1, 2, 3, 4].map((k) => [ms('2026-03-02T09:00:00Z') + k * 180_000, 3, 'email', 'Hello']),
    );
    const planned = r.plan.blocks.flatMap((b) => b.touches.map((t) => t.item.prospectName));
    // Pam goes first (priority 5) but the minimum gap holds her in both blocks; four do not fit.
    expect(r.plan.unplaced.map((u) => [u.item.prospectName === 'Pam Page', u.reason, u.explanation])).toEqual([
      [true, 'held', 'held: last touch to Pam Page 0 business days ago (minimum 2)'],
      ...[1, 2, 3, 4].map(() => [false, 'no_capacity', 'no room: every block from its due time on is full']),
    ]);
    const unplacedNames = r.plan.unplaced.map((u) => u.item.prospectName);
    expect(new Set([...planned, ...unplacedNames]).size).toBe(13); // each due touch exactly once
    expect(r.plan.unplaced[0]!.hold).toMatchObject({ rule: 'min_gap', until: ms('2026-03-04T00:00:00Z') });
    expect(r.plan.overload).toEqual({
      blocks: 2,
      capacityTouches: 8,
      dueTouches: 13,
      message: 'next 2 blocks hold 8 touches; 13 are due: add a block or lighten a cadence',
    });

    const text = await cli.ok('plan');
    expect(text).toContain('Mon 2 Mar 09:00–09:15  5 touches, 15/15 min');
    const second = r.plan.blocks[0]!.touches[1]!.item;
    expect(text).toContain(`  09:03  #${second.prospectId} ${second.prospectName} (${second.companyName}) · email · Hello`);
    expect(text).toContain('Tue 3 Mar 09:00–09:10  3 touches, 9/10 min');
    expect(text).toContain('Not planned (5):');
    expect(text).toContain(`  #${id.pam} Pam Page · email: held: last touch to Pam Page 0 business days ago (minimum 2)`);
    const last = r.plan.unplaced[4]!.item;
    expect(text).toContain(`  #${last.prospectId} ${last.prospectName} · email: no room: every block from its due time on is full`);
    expect(text).toContain('next 2 blocks hold 8 touches; 13 are due: add a block or lighten a cadence');
  });

  it.each([
    ['plan', '--days', 'abc'],
    ['plan', '--days', '0'],
    ['calendar', '--days', '-1'],
  ])('%s %s %s → exit 2', async (...args) => {
    const r = await cli.run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`option '--days <n>' argument '${args[2]}' is invalid`);
  });

  it('plans with the workspace\'s minutes per channel', async () => {
    await cli.ok('settings', 'set', 'minutesPerChannel.email', '5');
    const r = await cli.json<PlanReport>('plan');
    expect(r.plan.minutesPerChannel.email).toBe(5);
    expect(r.plan.blocks.map((b) => [b.touches.length, b.usedMinutes])).toEqual([
      [3, 15],
      [2, 10],
    ]);
    expect(r.plan.overload?.message).toBe('next 2 blocks hold 5 touches; 13 are due: add a block or lighten a cadence');
    await cli.ok('settings', 'set', 'minutesPerChannel.email', '3');
  });

  it('today groups the queue by today\'s blocks, with held lines, and --json carries blocks and overload', async () => {
    const monday = (await cli.json<PlanReport>('plan')).plan.blocks[0]!.touches.map((t) => Number(t.item.enrollmentId));
    const q = await cli.json<TodayJson>('today');
    expect(q.total).toBe(13);
    expect(q.blocks).toEqual([
      {
        start: ms('2026-03-02T09:00:00Z'),
        end: ms('2026-03-02T09:15:00Z'),
        usedMinutes: 15,
        freeMinutes: 0,
        enrollmentIds: monday,
      },
    ]);
    expect(q.overload).toBe('next 1 block holds 5 touches; 13 are due: add a block or lighten a cadence');
    expect(item(q, 'pam@p.example').held).toEqual({
      until: ms('2026-03-04T08:00:00Z'), // gap lifts Wednesday, quiet hours end at 08:00
      reasons: ['held: last touch to Pam Page 0 business days ago (minimum 2)', 'held: outside the email window in UTC (00:00 local; window 07:00–19:00)', 'held: quiet hours in UTC (00:00 local)'],
    });
    expect(q.items.filter((i) => i.held !== null).map((i) => i.email)).toEqual(['pam@p.example']);

    const text = await cli.ok('today');
    const block = text.indexOf('== Follow-up block Mon 2 Mar 09:00–09:15: 5 touches, 15 min planned, 0 min free');
    const rest = text.indexOf('== Not in a block today');
    expect(block).toBeGreaterThan(0);
    expect(rest).toBeGreaterThan(block);
    for (const i of q.items) {
      const at = text.indexOf(`#${i.prospectId} ${i.name} @ ${i.company}`);
      if (monday.includes(i.enrollmentId)) {
        expect(at, `${i.name} in the block`).toBeGreaterThan(block);
        expect(at).toBeLessThan(rest);
      } else {
        expect(at, `${i.name} after the block`).toBeGreaterThan(rest);
      }
    }
    const pam = text.indexOf(`#${id.pam} Pam Page @ Page Co`);
    expect(pam).toBeGreaterThan(rest);
    expect(text.slice(pam)).toMatch(/^#\d+ Pam Page @ Page Co.*\n.*\n.*\n {3}held: last touch to Pam Page 0 business days ago \(minimum 2\) → not before Wed 4 Mar 08:00\n/);
    expect(text).toContain('next 1 block holds');
  });
});

describe('tally calendar', () => {
  it('writes an iCalendar file that ical.js reads: one event per block, in the rep\'s zone, listing the touches, stable UIDs', async () => {
    // Monday 23 March 2026 in Paris; clocks go forward on Sunday 29 March.
    const cli = await workspace('calendar', '2026-03-23T08:00:00Z', 'email,first_name,last_name,company\nana@a.example,Ana,Alba,Alba SA\nbo@b.example,Bo,Berg,\n', 'Europe/Paris');
    await cli.ok('enroll', 'ana@a.example', 'bo@b.example', '--cadence', 'Quick');
    await cli.ok('blocks', 'add', 'thu', '11:00', '30');
    await cli.ok('blocks', 'add', 'fri', '09:00', '20');
    const out = join(dir, 'blocks.ics');
    const r = await cli.run('calendar', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`Wrote 4 block events to ${out}.\n`);

    const read = () => {
      const cal = new ICAL.Component(ICAL.parse(readFileSync(out, 'utf8')));
      return cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    };
    const events = read();
    expect(events).toHaveLength(4);
    expect(events.map((e) => [e.startDate.toString(), e.startDate.zone.tzid, e.endDate.toString(), e.startDate.toJSDate().toISOString()])).toEqual([
      ['2026-03-26T11:00:00', 'Europe/Paris', '2026-03-26T11:30:00', '2026-03-26T10:00:00.000Z'],
      ['2026-03-27T09:00:00', 'Europe/Paris', '2026-03-27T09:20:00', '2026-03-27T08:00:00.000Z'],
      ['2026-04-02T11:00:00', 'Europe/Paris', '2026-04-02T11:30:00', '2026-04-02T09:00:00.000Z'], // summer time
      ['2026-04-03T09:00:00', 'Europe/Paris', '2026-04-03T09:20:00', '2026-04-03T07:00:00.000Z'],
    ]);
    expect(events[0]!.summary).toBe('Follow-up block: 2 touches');
    expect(events[0]!.description).toBe('11:00 Ana Alba (Alba SA) · email · Hello\n11:03 Bo Berg · email · Hello\n6 of 30 minutes planned, 24 free.');
    expect(events[1]!.summary).toBe('Follow-up block: 0 touches');
    expect(events[1]!.description).toBe('No touches planned yet (20 minutes free).');

    const uids = events.map((e) => e.uid);
    expect(new Set(uids).size).toBe(4);
    cli.at('2026-03-23T09:30:00Z');
    await cli.ok('calendar', '--out', out);
    expect(read().map((e) => e.uid)).toEqual(uids);
    // Without --out the document goes to standard output.
    expect(await cli.ok('calendar')).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*END:VCALENDAR\r?\n?$/);
  });
});

describe('tally digest', () => {
  it('lists the day\'s blocks, overdue, held and replies; the HTML escapes names', async () => {
    const xss = '<script>alert(1)</script> & Co';
    const cli = await workspace(
      'digest',
      '2026-03-02T08:00:00Z',
      `email,name,company\nx@evil.example,"${xss}",Evil & Sons\nrae@r.example,Rae Reed,Reed\nsam@s.example,Sam Sun,Sun\n`,
    );
    await cli.ok('enroll', 'x@evil.example', 'rae@r.example', 'sam@s.example', '--cadence', 'Quick');
    await cli.ok('blocks', 'add', 'mon', '11:00', '30');
    await cli.ok('log', 'rae@r.example', '--channel', 'email', '--outcome', 'replied', '--note', 'Send me <pricing>');
    await cli.ok('log', 'sam@s.example', '--channel', 'email', '--outcome', 'sent'); // step 2 due 12:00, held by the gap
    cli.at('2026-03-02T12:30:00Z');

    const d = await cli.json<Digest>('digest');
    // Rae's reply was logged by the rep: it waits for nothing (only inbound mail waits for a decision).
    expect(d.subject).toBe('Tally for Me: 0 touches in 0 blocks today, 2 overdue, 0 replies waiting');
    cli.at('2026-03-02T10:00:00Z');
    const text = await cli.ok('digest');
    expect(text).toMatch(/^Subject: Tally for Me: 1 touch in 1 block today, 1 overdue, 0 replies waiting\n/);
    expect(text).toContain(`${xss} (Evil & Sons) · email · Hello`);
    cli.at('2026-03-02T12:30:00Z');
    const later = await cli.ok('digest');
    expect(later).toContain('Held back (1)');
    expect(later).toContain('Sam Sun (Sun) · call · Call: held: last touch to Sam Sun 0 business days ago (minimum 2)');
    expect(later).toContain('Replies waiting (0)\n  No replies waiting.');

    const html = await cli.ok('digest', '--html');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co (Evil &amp; Sons)');
    expect(html).not.toContain('<pricing>');
    expect(html).toMatch(/^<!doctype html>/);
  });
});

describe('tally tick', () => {
  const PEOPLE = `email,first_name,last_name,company
amy@acme.example,Amy,Adams,Acme
ben@acme.example,Ben,Brown,Acme
cal@acme.example,Cal,Cole,Acme
dan@dunn.example,Dan,Dunn,Dunn Ltd
eve@eve.example,Eve,Ebb,Eve Co
`;
  let cli: TallyCli;
  let id: Record<string, number>;
  const enrollmentOf = (prospect: number) =>
    query<{ status: string; reason: string | null; held_until: number | null; held_rules: string | null }>(
      cli.db,
      `select e.status, e.reason, h.held_until, h.held_rules from enrollments e left join enrollment_holds h on h.enrollment_id = e.id
       where e.prospect_id = ? order by e.id desc limit 1`,
      prospect,
    )[0]!;

  it('records which rules hold touches and until when, as today explains them', async () => {
    cli = await workspace('tick', '2026-03-02T10:00:00Z', PEOPLE);
    id = ids(cli);
    await cli.ok('enroll', 'cal@acme.example', 'dan@dunn.example', 'eve@eve.example', '--cadence', 'Quick');
    for (const who of ['amy', 'ben', 'amy']) await cli.ok('log', `${who}@acme.example`, '--channel', 'email', '--outcome', 'sent');
    await cli.ok('log', 'dan@dunn.example', '--channel', 'email', '--outcome', 'sent');
    await cli.ok('snooze', 'eve@eve.example', '--until', '2026-03-03T10:00');
    cli.at('2026-03-02T14:00:00Z');

    const r = await cli.json<TickReport>('tick');
    expect(r).toMatchObject({ checked: 3, held: 2, released: 0, woken: 0 });
    const q = await cli.json<Queue>('today');
    const cal = enrollmentOf(id.cal!);
    expect(cal.held_until).toBe(ms('2026-03-03T08:00:00Z'));
    expect(cal.held_rules).toBe('company_per_day,sending_window,quiet_hours');
    // The kept hold is the one today shows: the same lift time, a reason per rule.
    const calHeld = item(q, 'cal@acme.example').held!;
    expect(calHeld.until).toBe(cal.held_until);
    expect(calHeld.reasons).toHaveLength(3);
    expect(calHeld.reasons[0]).toBe('held: 3rd touch to Acme today');
    const dan = enrollmentOf(id.dan!);
    expect(dan.held_until).toBe(ms('2026-03-04T09:00:00Z'));
    expect(dan.held_rules?.split(',')[0]).toBe('min_gap');
    const danHeld = item(q, 'dan@dunn.example').held!;
    expect(danHeld.until).toBe(dan.held_until);
    expect(danHeld.reasons).toHaveLength(dan.held_rules!.split(',').length);
    expect(danHeld.reasons[0]).toMatch(/^held: last touch to Dan Dunn 0 business days ago \(minimum 2\)/);
    expect(enrollmentOf(id.eve!)).toMatchObject({ status: 'snoozed', held_until: null, held_rules: null });
  });

  it('a second tick finds nothing new', async () => {
    // Cal and Dan are due now and checked again; Eve's touch, due tomorrow, stands as the first tick checked it.
    expect(await cli.json<TickReport>('tick')).toMatchObject({ checked: 2, held: 0, released: 0, woken: 0, full: false });
    expect(await cli.ok('tick')).toMatch(/^Checked 2 live enrollments in \d+ ms \(due now, entering the next two days, or changed since the last tick\): 0 newly held, 0 released, 0 woken from snooze\.\n$/);
    expect(await cli.ok('tick', '--full')).toMatch(/^Checked 3 live enrollments in \d+ ms \(everything due within the next two days\): 0 newly held/);
  });

  it('wakes snoozed enrollments whose time has come and releases lifted holds', async () => {
    cli.at('2026-03-03T10:00:00Z');
    const r = await cli.json<TickReport>('tick');
    expect(r).toMatchObject({ checked: 3, held: 0, released: 1, woken: 1 });
    expect(enrollmentOf(id.eve!)).toMatchObject({ status: 'active', reason: null, held_until: null, held_rules: null });
    expect(enrollmentOf(id.cal!)).toMatchObject({ status: 'active', held_until: null, held_rules: null });
    expect(enrollmentOf(id.dan!).held_until).toBe(ms('2026-03-04T09:00:00Z'));
    expect(await cli.json<TickReport>('tick')).toMatchObject({ held: 0, released: 0, woken: 0 });
  });

  it('does not count a hold as new again when only its wording moves with the clock', async () => {
    // Wednesday 05:00: Cal's and Eve's emails wait for the window; Dan's call is still held (now by the window).
    cli.at('2026-03-04T05:00:00Z');
    expect(await cli.json<TickReport>('tick')).toMatchObject({ checked: 3, held: 2, released: 0, woken: 0 });
    const eve = { held_until: ms('2026-03-04T08:00:00Z'), held_rules: 'sending_window,quiet_hours' };
    expect(enrollmentOf(id.eve!)).toMatchObject(eve);
    expect(item(await cli.json<Queue>('today', '--days', '2'), 'eve@eve.example').held!.reasons).toEqual([
      'held: outside the email window in UTC (05:00 local; window 07:00–19:00)',
      'held: quiet hours in UTC (05:00 local)',
    ]);
    cli.at('2026-03-04T05:10:00Z');
    // Same rules, same lift time: the hold stands; only the words `today` shows move with the clock.
    expect(await cli.json<TickReport>('tick')).toMatchObject({ checked: 3, held: 0, released: 0, woken: 0 });
    expect(enrollmentOf(id.eve!)).toMatchObject(eve);
    expect(item(await cli.json<Queue>('today', '--days', '2'), 'eve@eve.example').held!.reasons[0]).toBe('held: outside the email window in UTC (05:10 local; window 07:00–19:00)');
  });
});
