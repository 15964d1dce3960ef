// Warm-up (issue 19): a new mailbox's daily limit starts low and ramps by a set amount per day of the
// rep's calendar up to its cap. Properties over any cap, zone, start and sequence of sender runs
// (each run a restart that knows only what the outbox recorded): no local day ever sends more than
// that day's ramped limit, and no two sends are closer than the minimum spacing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDayNumber } from '../../src/core/schedule.ts';
import { WARMUP, warmedDailyLimit } from '../../src/core/warmup.ts';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const DAY = 86_400_000;
const zones = fc.constantFrom('UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Auckland');

describe('warm-up', () => {
  it('starts at 20, adds 10 a day, stops at the cap; no warm-up is the cap', () => {
    const days = [0, 1, 2, 18, 30].map((d) => warmedDailyLimit(200, T0, T0 + d * DAY, 'UTC'));
    expect(days).toEqual([20, 30, 40, 200, 200]);
    expect(warmedDailyLimit(200, null, T0, 'UTC')).toBe(200);
    expect(warmedDailyLimit(5, T0, T0, 'UTC')).toBe(5);
    expect(WARMUP).toEqual({ startPerDay: 20, stepPerDay: 10 });
  });

  it('never exceeds the cap, never goes down, and is the same all day long', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), zones, fc.integer({ min: 0, max: 60 * DAY }), fc.integer({ min: 0, max: 60 * DAY }), (cap, zone, a, b) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        const l1 = warmedDailyLimit(cap, T0, T0 + early, zone);
        const l2 = warmedDailyLimit(cap, T0, T0 + late, zone);
        expect(l1).toBeLessThanOrEqual(cap);
        expect(l1).toBeGreaterThanOrEqual(Math.min(cap, WARMUP.startPerDay));
        expect(l2).toBeGreaterThanOrEqual(l1);
        if (localDayNumber(T0 + early, zone) === localDayNumber(T0 + late, zone)) expect(l2).toBe(l1);
      }),
    );
  });

  it('sender runs at any times, each restarting from the outbox alone, keep every day under its limit and every gap over the spacing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        zones,
        fc.integer({ min: 0, max: 600 }),
        fc.array(fc.record({ after: fc.integer({ min: 0, max: 2 * DAY }), queued: fc.integer({ min: 0, max: 400 }) }), { maxLength: 25 }),
        (cap, zone, spacingSeconds, runs) => {
          const spacing = spacingSeconds * 1000;
          const sent: number[] = [];
          let now = T0;
          for (const run of runs) {
            now += run.after;
            // What a run knows: the outbox (sends so far), as the real sender reads it (sentSince, lastClaimAt).
            const today = localDayNumber(now, zone);
            const sentToday = sent.filter((t) => localDayNumber(t, zone) === today).length;
            let budget = Math.max(0, warmedDailyLimit(cap, T0, now, zone) - sentToday);
            let last = sent.length ? sent[sent.length - 1]! : null;
            for (let i = 0; i < run.queued && budget > 0; i++) {
              const wait = last === null ? 0 : last + spacing - now;
              if (wait > 0) now += wait;
              // A run that waited into the next day counts that day afresh (the real sender re-reads per run; it stops at its budget).
              if (localDayNumber(now, zone) !== today) break;
              sent.push(now);
              last = now;
              budget--;
            }
          }
          const perDay = new Map<number, number>();
          for (const t of sent) perDay.set(localDayNumber(t, zone), (perDay.get(localDayNumber(t, zone)) ?? 0) + 1);
          for (const [day, n] of perDay) {
            const at = sent.find((t) => localDayNumber(t, zone) === day)!;
            expect(n).toBeLessThanOrEqual(warmedDailyLimit(cap, T0, at, zone));
          }
          for (let i = 1; i < sent.length; i++) expect(sent[i]! - sent[i - 1]!).toBeGreaterThanOrEqual(spacing);
        },
      ),
    );
  });
});
