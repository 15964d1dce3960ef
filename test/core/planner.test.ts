import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { PlanItem } from '../../src/core/planner.ts';
import { minutesFor, planBlocks } from '../../src/core/planner.ts';
import type { FollowUpBlock } from '../../src/core/blocks.ts';
import { blockOccurrences } from '../../src/core/blocks.ts';
import { checkTouch } from '../../src/core/guardrails/index.ts';
import { defaultScheduleRules, formatLocalClock, isInWindow, localDateKey } from '../../src/core/schedule.ts';
import { DAY, HOUR, channelArb, zoneArb } from './arbitraries.ts';

const BERLIN = 'Europe/Berlin';
const at = (iso: string, zone = BERLIN): number => DateTime.fromISO(iso, { zone }).toMillis();
const NOW = at('2024-05-13T07:00'); // Monday
const WEEKDAY_BLOCKS: FollowUpBlock[] = [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: '10:00', minutes: 30 }));

let seq = 0;
function item(overrides: Partial<PlanItem> = {}): PlanItem {
  seq++;
  return {
    enrollmentId: `e${seq}`,
    prospectId: `p${seq}`,
    prospectName: `Person ${seq}`,
    companyKey: null,
    channel: 'email',
    dueAt: NOW - HOUR,
    priority: 0,
    stepIndex: 0,
    stepName: 'Intro email',
    rules: defaultScheduleRules(BERLIN),
    touches: [],
    ...overrides,
  };
}

describe('blockOccurrences', () => {
  it('keeps 09:00 local across DST and returns overlapping occurrences in order', () => {
    const occ = blockOccurrences([{ weekday: 1, start: '09:00', minutes: 60 }], BERLIN, at('2024-03-20T00:00'), at('2024-04-10T00:00'));
    expect(occ.map((o) => new Date(o.start).toISOString())).toEqual(['2024-03-25T08:00:00.000Z', '2024-04-01T07:00:00.000Z', '2024-04-08T07:00:00.000Z']);
    expect(occ.every((o) => o.end - o.start === HOUR && formatLocalClock(o.start, BERLIN) === '09:00')).toBe(true);
  });

  it('moves a block that starts in a DST gap to the jump', () => {
    const occ = blockOccurrences([{ weekday: 7, start: '02:30', minutes: 30 }], BERLIN, at('2024-03-30T00:00'), at('2024-04-01T00:00'));
    expect(occ.map((o) => formatLocalClock(o.start, BERLIN))).toEqual(['03:00']);
  });
});

describe('planBlocks', () => {
  it('fills blocks most important first: overdue, then hot, then earlier step', () => {
    const occurrences = blockOccurrences(WEEKDAY_BLOCKS, BERLIN, NOW, NOW + DAY);
    const items = [
      item({ prospectName: 'Later', dueAt: NOW + HOUR, priority: 9 }),
      item({ prospectName: 'Cold', priority: 0, stepIndex: 1 }),
      item({ prospectName: 'Hot', priority: 5, stepIndex: 3 }),
      item({ prospectName: 'Early step', priority: 0, stepIndex: 0 }),
    ];
    const plan = planBlocks({ now: NOW, occurrences, items });
    const block = plan.blocks[0];
    expect(block?.touches.map((t) => [t.item.prospectName, formatLocalClock(t.at, BERLIN)])).toEqual([
      ['Hot', '10:00'],
      ['Early step', '10:03'],
      ['Cold', '10:06'],
      ['Later', '10:09'],
    ]);
    expect([block?.usedMinutes, block?.freeMinutes]).toEqual([12, 18]);
    expect(plan.overload).toBeNull();
  });

  it('reports overload and items without room', () => {
    const occurrences = blockOccurrences(WEEKDAY_BLOCKS, BERLIN, NOW, NOW + 5 * DAY);
    const items = Array.from({ length: 62 }, () => item({ channel: 'call' }));
    const plan = planBlocks({ now: NOW, occurrences, items });
    // 5 blocks × 30 minutes / 6 minutes per call = 25 calls.
    expect(plan.blocks.reduce((n, b) => n + b.touches.length, 0)).toBe(25);
    expect(plan.overload?.message).toBe('next 5 blocks hold 25 touches; 62 are due: add a block or lighten a cadence');
    expect(plan.unplaced.filter((u) => u.reason === 'no_capacity')).toHaveLength(37);
    expect(plan.unplaced[0]?.explanation).toBe('no room: every block from its due time on is full');
  });

  it('counts touches planned earlier in the plan toward the company cap', () => {
    const occurrences = blockOccurrences(WEEKDAY_BLOCKS, BERLIN, NOW, NOW + 2 * DAY);
    const items = Array.from({ length: 5 }, () => item({ companyKey: 'acme', companyName: 'Acme' }));
    const plan = planBlocks({ now: NOW, occurrences, items });
    expect(plan.blocks.map((b) => b.touches.length)).toEqual([3, 2]);
  });

  it('plans one touch per prospect and one per enrollment', () => {
    const occurrences = blockOccurrences(WEEKDAY_BLOCKS, BERLIN, NOW, NOW + 3 * DAY);
    const first = item({ stepName: 'Call', channel: 'call' });
    const plan = planBlocks({
      now: NOW,
      occurrences,
      items: [first, { ...first }, item({ prospectId: first.prospectId, prospectName: first.prospectName, stepName: 'Other cadence email' })],
    });
    expect(plan.blocks.flatMap((b) => b.touches)).toHaveLength(1);
    expect(plan.unplaced.map((u) => [u.reason, u.explanation])).toEqual([
      ['duplicate', `this step of ${first.prospectName}'s enrollment is already planned`],
      ['duplicate', `held: another touch to ${first.prospectName} is already planned (Call)`],
    ]);
  });

  it('explains held and outside-window items', () => {
    const occurrences = blockOccurrences(WEEKDAY_BLOCKS, BERLIN, NOW, NOW + DAY);
    const plan = planBlocks({
      now: NOW,
      occurrences,
      items: [
        item({ prospectName: 'Dana', flags: { optedOut: true } }),
        item({ prospectName: 'Kai', touches: [NOW - HOUR] }),
        item({ prospectName: 'Ana', channel: 'call', rules: defaultScheduleRules('America/Los_Angeles') }), // 01:00 in LA
      ],
    });
    expect(plan.unplaced.map((u) => [u.item.prospectName, u.reason, u.explanation])).toEqual([
      ['Dana', 'held', 'never: Dana opted out'],
      ['Kai', 'held', 'held: last touch to Kai 0 business days ago (minimum 2)'],
      [
        'Ana',
        'outside_window',
        "no block with room falls inside Ana's call window (held: outside the call window in America/Los_Angeles (01:00 local; window 09:00–17:00))",
      ],
    ]);
  });

  it('plans for a prospect whose local day is already tomorrow', () => {
    // Rep in Los Angeles, Monday 15:00–16:00 local = Tuesday 10:00 in Auckland.
    const now = at('2024-05-13T08:00', 'America/Los_Angeles');
    const occurrences = blockOccurrences([{ weekday: 1, start: '15:00', minutes: 60 }], 'America/Los_Angeles', now, now + DAY);
    const auckland = defaultScheduleRules('Pacific/Auckland');
    const plan = planBlocks({
      now,
      occurrences,
      items: [item({ channel: 'call', rules: auckland, companyKey: 'kiwi', companyName: 'Kiwi' })],
      companyTouches: { kiwi: [at('2024-05-14T08:30', 'Pacific/Auckland'), at('2024-05-14T09:00', 'Pacific/Auckland'), at('2024-05-14T09:30', 'Pacific/Auckland')] },
    });
    // Monday 08:00 in Los Angeles is already Tuesday in Auckland: "today" is the prospect's today.
    expect(plan.unplaced[0]?.explanation).toBe('held: 3rd touch to Kiwi today');
    expect(localDateKey(occurrences[0]?.start ?? 0, 'Pacific/Auckland')).toBe('2024-05-14');
  });

  it('never double-books, never overfills, and plans only allowed touches', () => {
    const itemArb = fc.record({
      prospect: fc.integer({ min: 0, max: 15 }),
      company: fc.constantFrom(null, 'acme', 'globex', 'initech'),
      channel: channelArb,
      zone: zoneArb,
      dueOffsetHours: fc.integer({ min: -72, max: 120 }),
      priority: fc.integer({ min: 0, max: 3 }),
      stepIndex: fc.integer({ min: 0, max: 5 }),
      pastTouchHours: fc.array(fc.integer({ min: 1, max: 40 * 24 }), { maxLength: 4 }),
      optedOut: fc.boolean(),
    });
    const blockArb = fc.record({ weekday: fc.integer({ min: 1, max: 7 }), start: fc.constantFrom('06:30', '09:00', '13:15', '16:45', '22:00'), minutes: fc.integer({ min: 5, max: 90 }) });
    fc.assert(
      fc.property(fc.array(itemArb, { maxLength: 40 }), fc.array(blockArb, { minLength: 1, maxLength: 5 }), zoneArb, (specs, blocks, repZone) => {
        const now = at('2024-03-28T06:00', 'UTC');
        const items: PlanItem[] = specs.map((s, i) => ({
          enrollmentId: `e${i % 30}`,
          prospectId: `p${s.prospect}`,
          prospectName: `P${s.prospect}`,
          companyKey: s.company,
          channel: s.channel,
          dueAt: now + s.dueOffsetHours * HOUR,
          priority: s.priority,
          stepIndex: s.stepIndex,
          stepName: 'step',
          rules: defaultScheduleRules(s.zone),
          flags: { optedOut: s.optedOut && s.prospect === 0 },
          touches: s.pastTouchHours.map((h) => now - h * HOUR),
        }));
        const companyTouches = { acme: [now - 3 * HOUR, now + 20 * HOUR] };
        const plan = planBlocks({ now, occurrences: blockOccurrences(blocks, repZone, now, now + 14 * DAY), items, companyTouches });
        const planned = plan.blocks.flatMap((b) => b.touches);
        expect(new Set(planned.map((t) => t.item.enrollmentId)).size).toBe(planned.length);
        expect(new Set(planned.map((t) => t.item.prospectId)).size).toBe(planned.length);
        expect(planned.length + plan.unplaced.length).toBe(items.length);
        for (const block of plan.blocks) {
          const used = block.touches.reduce((n, t) => n + minutesFor(t.item.channel), 0);
          expect(used).toBe(block.usedMinutes);
          expect(used).toBeLessThanOrEqual(block.capacityMinutes);
          expect(block.capacityMinutes).toBeLessThanOrEqual(block.occurrence.minutes);
          for (const t of block.touches) {
            expect(t.at).toBeGreaterThanOrEqual(Math.max(t.item.dueAt, block.occurrence.start, now));
            expect(t.at).toBeLessThan(block.occurrence.end);
            expect(isInWindow(t.at, t.item.channel, t.item.rules)).toBe(true);
          }
        }
        for (const t of planned) {
          const key = t.item.companyKey;
          const others = key === null ? [] : [...((companyTouches as Record<string, number[]>)[key] ?? []), ...planned.filter((o) => o !== t && o.item.companyKey === key).map((o) => o.at)];
          const verdict = checkTouch({
            at: t.at,
            channel: t.item.channel,
            prospect: { name: t.item.prospectName, rules: t.item.rules, flags: t.item.flags },
            touches: t.item.touches,
            company: key === null ? null : { name: key, touches: others },
          });
          expect(verdict).toEqual({ allowed: true, holds: [] });
        }
      }),
      { numRuns: 300 },
    );
  });
});
