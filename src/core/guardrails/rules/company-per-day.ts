// One company should not hear from the team too often in one day.
import { z } from 'zod';
import { atLocalTime, dayKey, localDayNumber, toLocalMs, weekdayOfDay } from '../../schedule.ts';
import { defineRule } from '../rule.ts';
import { ordinal, SHORT_WEEKDAYS } from '../words.ts';

const DAY_MS = 86_400_000;

export const companyPerDay = defineRule({
  id: 'company_per_day',
  permanent: false,
  calendar: false,
  settings: {
    /** Maximum touches to people at one company per local day (of the prospect being touched). */
    maxTouchesPerCompanyPerDay: z.number().int().min(1).max(1000).default(3).meta({ label: 'Most touches per company per day', unit: 'touches' }),
  },
  explanation: "At most this many touches a day to people at one company, by anyone on the team, counted on the prospect's local day.",
  summary: (s) => `at most ${s.maxTouchesPerCompanyPerDay} per company per day`,
  check: (touch, s) => {
    const company = touch.company;
    const max = s.maxTouchesPerCompanyPerDay;
    if (company === null || company.touches.length < max) return null;
    const dayStart = touch.day * DAY_MS;
    let sameDay = 0;
    for (const other of company.touches) {
      // Cheap pre-filter: zone offsets stay within ±1 day.
      if (Math.abs(other - touch.at) > 2 * DAY_MS) continue;
      const otherLocal = toLocalMs(other, touch.zone);
      if (otherLocal >= dayStart && otherLocal < dayStart + DAY_MS) sameDay++;
    }
    if (sameDay < max) return null;
    const until = atLocalTime(touch.day + 1, 0, touch.zone);
    if (!touch.words) return { explanation: '', until };
    const when = localDayNumber(touch.now, touch.zone) === touch.day ? 'today' : `on ${SHORT_WEEKDAYS[weekdayOfDay(touch.day)]} ${dayKey(touch.day)}`;
    return { explanation: `held: ${ordinal(sameDay)} touch to ${company.name} ${when}`, until };
  },
});
