// Room to answer: a minimum number of business days between two touches to one person.
import { z } from 'zod';
import { atLocalTime, businessDaysBetweenDays, localDayNumber, nthBusinessDayAfter } from '../../schedule.ts';
import { defineRule } from '../rule.ts';
import { plural } from '../words.ts';

const DAY_MS = 86_400_000;

export const minGap = defineRule({
  id: 'min_gap',
  permanent: false,
  calendar: false,
  settings: {
    /** Minimum business days between two touches to one person (in the prospect's zone). */
    minGapBusinessDays: z.number().int().min(0).max(60).default(2).meta({ label: 'Least time between two touches to one person', unit: 'business days' }),
  },
  explanation: 'Leaves the prospect room to answer: at least this many business days between two touches to one person, counted in their time zone, before or after a planned touch.',
  summary: (s) => `at least ${s.minGapBusinessDays} business days between touches to one person`,
  check: (touch, s) => {
    const minGap = s.minGapBusinessDays;
    if (minGap === 0) return null;
    const { at, day, rules } = touch;
    // The nearest touch on either side that is too close (the latest one, when several are).
    let hold: { otherDay: number; gap: number; later: boolean } | null = null;
    for (const other of touch.touches) {
      // Touches many weeks away cannot be within the gap (skips the day arithmetic for old history).
      if (Math.abs(other - at) >= (minGap + 14) * 7 * DAY_MS) continue;
      const otherDay = localDayNumber(other, touch.zone);
      const later = other > at;
      const gap = later ? businessDaysBetweenDays(day, otherDay, rules) : businessDaysBetweenDays(otherDay, day, rules);
      if (gap < minGap && (hold === null || otherDay > hold.otherDay)) hold = { otherDay, gap, later };
    }
    if (hold === null) return null;
    const explanation = !touch.words
      ? ''
      : hold.later
      ? `held: next touch to ${touch.name} is ${plural(hold.gap, 'business day')} later (minimum ${minGap})`
      : `held: last touch to ${touch.name} ${plural(hold.gap, 'business day')} ago (minimum ${minGap})`;
    return { explanation, until: atLocalTime(nthBusinessDayAfter(hold.otherDay, minGap, rules), 0, touch.zone) };
  },
});
