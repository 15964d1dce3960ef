import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import type { Channel, Delay } from '../../src/core/types.ts';
import type { ScheduleRules } from '../../src/core/schedule.ts';
import {
  addBusinessDays,
  atLocalTime,
  businessDaysBetween,
  businessDaysBetweenDays,
  dayFromKey,
  defaultScheduleRules,
  defaultWindow,
  formatLocalClock,
  fromLocalMs,
  isBusinessDayNumber,
  isInWindow,
  localDateKey,
  localDayNumber,
  nextDueAt,
  offsetMinutesAt,
  offsetTransitions,
  placeInWindow,
  startOfLocalDay,
  startOfNextLocalDay,
  toLocalMs,
} from '../../src/core/schedule.ts';
import { DAY, HOUR, MINUTE, ZONES, channelArb, instantArb, rulesArb, zoneArb } from './arbitraries.ts';

const utc = (iso: string): number => DateTime.fromISO(iso, { zone: 'utc' }).toMillis();
const local = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const iso = (ms: number): string => new Date(ms).toISOString();
const everyDay = (zone: string): ScheduleRules => ({ ...defaultScheduleRules(zone), workdays: [1, 2, 3, 4, 5, 6, 7] });
const bd = (amount: number): Delay => ({ amount, unit: 'business_days' });

// The original Luxon implementation, kept as an oracle for the cached one.
const reference = {
  isBusinessDay(dt: DateTime, rules: ScheduleRules): boolean {
    return rules.workdays.includes(dt.weekday) && !rules.holidays.includes(dt.toISODate() ?? '');
  },
  atClock(day: DateTime, hhmm: string): DateTime {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    if (h === 24) return day.startOf('day').plus({ days: 1 });
    return day.set({ hour: h, minute: m, second: 0, millisecond: 0 });
  },
  placeInWindow(at: number, channel: Channel, rules: ScheduleRules): number {
    const window = rules.windows[channel] ?? defaultWindow(channel);
    let day = DateTime.fromMillis(at, { zone: rules.timezone });
    let candidate = day;
    for (let i = 0; i < 550; i++) {
      if (reference.isBusinessDay(day, rules)) {
        const start = reference.atClock(day, window.start);
        const end = reference.atClock(day, window.end);
        if (candidate < start) return start.toMillis();
        if (candidate < end) return candidate.toMillis();
      }
      day = day.plus({ days: 1 }).startOf('day');
      candidate = day;
    }
    throw new Error('none');
  },
  addBusinessDays(from: number, n: number, rules: ScheduleRules): number {
    let dt = DateTime.fromMillis(from, { zone: rules.timezone });
    let left = n;
    while (left > 0) {
      dt = dt.plus({ days: 1 });
      if (reference.isBusinessDay(dt, rules)) left--;
    }
    return dt.toMillis();
  },
};

describe('zone offsets and local days', () => {
  it('match Luxon for every zone and instant (the cache never lies)', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, (zone, at) => {
        expect(offsetMinutesAt(at, zone)).toBe(IANAZone.create(zone).offset(at));
        expect(localDateKey(at, zone)).toBe(DateTime.fromMillis(at, { zone }).toISODate());
        expect(formatLocalClock(at, zone)).toBe(DateTime.fromMillis(at, { zone }).toFormat('HH:mm'));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the offset change to the millisecond', () => {
    expect(offsetMinutesAt(utc('2024-03-31T00:59:59.999Z'), 'Europe/Berlin')).toBe(60);
    expect(offsetMinutesAt(utc('2024-03-31T01:00:00.000Z'), 'Europe/Berlin')).toBe(120);
    expect(offsetTransitions('America/New_York', utc('2024-01-01T00:00Z'), utc('2025-01-01T00:00Z'))).toEqual([
      { at: utc('2024-03-10T07:00Z'), from: -300, to: -240 },
      { at: utc('2024-11-03T06:00Z'), from: -240, to: -300 },
    ]);
  });

  it('round-trips wall-clock time, except inside a DST gap', () => {
    fc.assert(
      fc.property(zoneArb, instantArb, (zone, at) => {
        const wall = toLocalMs(at, zone);
        const back = fromLocalMs(wall, zone);
        // A fold gives the first occurrence: never later than the original instant.
        expect(back).toBeLessThanOrEqual(at);
        expect(toLocalMs(back, zone)).toBe(wall);
      }),
      { numRuns: 1000 },
    );
  });

  it('moves a wall-clock time inside a DST gap to the moment the clocks jump', () => {
    const day = dayFromKey('2024-03-31');
    expect(iso(atLocalTime(day, 2 * 60 + 30, 'Europe/Berlin'))).toBe('2024-03-31T01:00:00.000Z'); // 03:00 CEST
    expect(iso(atLocalTime(dayFromKey('2024-03-10'), 2 * 60 + 15, 'America/St_Johns'))).toBe('2024-03-10T05:30:00.000Z'); // 03:00 NDT
    // Fold: 02:30 happens twice in Berlin on 2024-10-27; the first one (CEST) is taken.
    expect(iso(atLocalTime(dayFromKey('2024-10-27'), 150, 'Europe/Berlin'))).toBe('2024-10-27T00:30:00.000Z');
  });

  it('knows when the prospect is already on tomorrow', () => {
    const at = utc('2024-05-13T22:00Z'); // Monday evening in UTC
    expect(localDateKey(at, 'Pacific/Auckland')).toBe('2024-05-14');
    expect(iso(startOfLocalDay(at, 'Pacific/Auckland'))).toBe('2024-05-13T12:00:00.000Z');
    expect(iso(startOfNextLocalDay(at, 'Pacific/Auckland'))).toBe('2024-05-14T12:00:00.000Z');
    expect(localDayNumber(at, 'Pacific/Auckland') - localDayNumber(at, 'America/New_York')).toBe(1);
  });
});

describe('placeInWindow', () => {
  it('equals the Luxon implementation it replaced', () => {
    fc.assert(
      fc.property(instantArb, channelArb, rulesArb, (at, channel, rules) => {
        expect(iso(placeInWindow(at, channel, rules))).toBe(iso(reference.placeInWindow(at, channel, rules)));
      }),
      { numRuns: 1500 },
    );
  });

  it('never goes back, lands in the window on a business day, and skips no earlier window time', () => {
    fc.assert(
      fc.property(instantArb, channelArb, rulesArb, (at, channel, rules) => {
        const placed = placeInWindow(at, channel, rules);
        expect(placed).toBeGreaterThanOrEqual(at);
        expect(isInWindow(placed, channel, rules)).toBe(true);
        expect(isBusinessDayNumber(localDayNumber(placed, rules.timezone), rules)).toBe(true);
        if (placed > at) expect(isInWindow(placed - 1, channel, rules)).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it('handles the +05:45 and −02:30 offsets', () => {
    // 06:45 in Kathmandu: calls start at 09:00 local = 03:15Z.
    expect(iso(placeInWindow(utc('2024-05-14T01:00Z'), 'call', defaultScheduleRules('Asia/Kathmandu')))).toBe('2024-05-14T03:15:00.000Z');
    // 08:00 NDT in St. John's: calls start at 09:00 NDT = 11:30Z.
    expect(iso(placeInWindow(utc('2024-05-14T10:30Z'), 'call', defaultScheduleRules('America/St_Johns')))).toBe('2024-05-14T11:30:00.000Z');
  });

  it('skips the prospect’s weekend even when it is still a weekday in UTC', () => {
    // Friday 14:00Z is Saturday 02:00 in Auckland: next call window is Monday 09:00 NZST.
    expect(iso(placeInWindow(utc('2024-05-17T14:00Z'), 'call', defaultScheduleRules('Pacific/Auckland')))).toBe('2024-05-19T21:00:00.000Z');
  });

  it('skips holidays', () => {
    const rules = { ...defaultScheduleRules('Europe/Berlin'), holidays: ['2024-12-24', '2024-12-25', '2024-12-26'] };
    expect(iso(placeInWindow(local('2024-12-23T18:00', 'Europe/Berlin'), 'call', rules))).toBe(iso(local('2024-12-27T09:00', 'Europe/Berlin')));
  });

  it('opens a window whose start falls in a DST gap when the clocks jump', () => {
    const rules: ScheduleRules = { ...everyDay('Europe/Berlin'), windows: { ...defaultScheduleRules().windows, task: { start: '02:30', end: '05:00' } } };
    expect(iso(placeInWindow(local('2024-03-31T00:10', 'Europe/Berlin'), 'task', rules))).toBe('2024-03-31T01:00:00.000Z');
  });
});

describe('nextDueAt', () => {
  it('equals the Luxon implementation it replaced', () => {
    fc.assert(
      fc.property(instantArb, channelArb, rulesArb, fc.integer({ min: 0, max: 15 }), (from, channel, rules, n) => {
        const expected = reference.placeInWindow(reference.addBusinessDays(from, n, rules), channel, rules);
        expect(iso(nextDueAt(from, bd(n), channel, rules))).toBe(iso(expected));
      }),
      { numRuns: 1000 },
    );
  });

  it('never goes backwards and always falls in the window on a business day', () => {
    fc.assert(
      fc.property(
        instantArb,
        channelArb,
        rulesArb,
        fc.record({ amount: fc.integer({ min: 0, max: 30 }), unit: fc.constantFrom('business_days' as const, 'hours' as const) }),
        (from, channel, rules, delay) => {
          const due = nextDueAt(from, delay, channel, rules);
          expect(due).toBeGreaterThanOrEqual(from);
          expect(isInWindow(due, channel, rules)).toBe(true);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it.each([
    ['Europe/Berlin', '2024-03-29T09:00', '2024-04-01T07:00:00.000Z'], // spring: CET → CEST
    ['Europe/Berlin', '2024-10-25T09:00', '2024-10-28T08:00:00.000Z'], // autumn: CEST → CET
    ['America/New_York', '2024-03-08T09:00', '2024-03-11T13:00:00.000Z'],
    ['America/New_York', '2024-11-01T09:00', '2024-11-04T14:00:00.000Z'],
    ['Pacific/Auckland', '2024-04-05T09:00', '2024-04-07T21:00:00.000Z'], // NZDT → NZST
    ['Pacific/Auckland', '2024-09-27T09:00', '2024-09-29T20:00:00.000Z'], // NZST → NZDT
  ])('keeps 09:00 local across the DST change in %s (from %s)', (zone, from, expected) => {
    const due = nextDueAt(local(from, zone), bd(1), 'call', defaultScheduleRules(zone));
    expect(iso(due)).toBe(expected);
    expect(formatLocalClock(due, zone)).toBe('09:00');
  });

  it('counts hour delays in elapsed time', () => {
    const due = nextDueAt(local('2024-03-30T10:00', 'Europe/Berlin'), { amount: 24, unit: 'hours' }, 'email', everyDay('Europe/Berlin'));
    expect(formatLocalClock(due, 'Europe/Berlin')).toBe('11:00');
  });
});

describe('business days between', () => {
  it('counts Friday → Monday as 1 and skips holidays', () => {
    const rules = defaultScheduleRules('Europe/Berlin');
    expect(businessDaysBetween(local('2024-05-17T10:00', 'Europe/Berlin'), local('2024-05-20T09:00', 'Europe/Berlin'), rules)).toBe(1);
    expect(businessDaysBetween(local('2024-05-20T10:00', 'Europe/Berlin'), local('2024-05-20T18:00', 'Europe/Berlin'), rules)).toBe(0);
    const withHoliday = { ...rules, holidays: ['2024-05-20'] };
    expect(businessDaysBetween(local('2024-05-17T10:00', 'Europe/Berlin'), local('2024-05-21T09:00', 'Europe/Berlin'), withHoliday)).toBe(1);
  });

  it('agrees with counting day by day, and with addBusinessDays', () => {
    fc.assert(
      fc.property(rulesArb, fc.integer({ min: 19_000, max: 20_500 }), fc.integer({ min: 0, max: 120 }), (rules, from, span) => {
        let naive = 0;
        for (let d = from + 1; d <= from + span; d++) if (isBusinessDayNumber(d, rules)) naive++;
        expect(businessDaysBetweenDays(from, from + span, rules)).toBe(naive);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(instantArb, rulesArb, fc.integer({ min: 1, max: 20 }), (from, rules, n) => {
        const to = addBusinessDays(from, n, rules);
        expect(businessDaysBetween(from, to, rules)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });
});

it('covers every test zone with at least one check', () => {
  for (const zone of ZONES) expect(placeInWindow(Date.UTC(2025, 0, 6, 12), 'email', defaultScheduleRules(zone))).toBeGreaterThan(0);
  expect(DAY).toBe(24 * HOUR);
  expect(HOUR).toBe(60 * MINUTE);
});
