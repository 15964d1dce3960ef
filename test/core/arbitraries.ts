// Shared fast-check arbitraries for the scheduling engine's property tests.
import fc from 'fast-check';
import type { Channel } from '../../src/core/types.ts';
import { channelIds } from '../../src/core/channels/index.ts';
import type { ScheduleRules } from '../../src/core/schedule.ts';

/** Zones with the awkward cases: half-hour and 45-minute offsets, southern DST, both DST changes. */
export const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Pacific/Auckland',
  'America/St_Johns',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/Los_Angeles',
] as const;

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** 2023-01-01 … 2027-01-01: covers several DST changes in every zone above. */
export const instantArb = fc.integer({ min: Date.UTC(2023, 0, 1), max: Date.UTC(2027, 0, 1) });
export const zoneArb = fc.constantFrom(...ZONES);
export const channelArb: fc.Arbitrary<Channel> = fc.constantFrom(...channelIds());

export const holidaysArb = fc.uniqueArray(
  fc.integer({ min: Date.UTC(2023, 0, 1) / DAY, max: Date.UTC(2027, 0, 1) / DAY }).map((d) => new Date(d * DAY).toISOString().slice(0, 10)),
  { maxLength: 30 },
);

export const workdaysArb = fc.oneof(
  fc.constant<number[]>([1, 2, 3, 4, 5]),
  fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
);

export const rulesArb: fc.Arbitrary<ScheduleRules> = fc.record({
  timezone: zoneArb,
  workdays: workdaysArb,
  holidays: holidaysArb,
  windows: fc.constant({}),
});

/** Past touches: up to 10, within 40 days before `at`. */
export function historyArb(at: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: at - 40 * DAY, max: at }), { maxLength: 10 });
}
