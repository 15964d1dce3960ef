// No more than a few touches to one person in any week.
import { z } from 'zod';
import { defineRule } from '../rule.ts';
import { rollingCapHold } from './person-cap.ts';

export const person7Days = defineRule({
  id: 'person_7_days',
  permanent: false,
  calendar: false,
  settings: {
    /** Maximum touches to one person in any rolling 7 days. */
    maxTouchesPerPerson7Days: z.number().int().min(1).max(100).default(3).meta({ label: 'Most touches per person in 7 days', unit: 'touches' }),
  },
  explanation: 'Persistent, never pushy: at most this many touches to one person in any 7 days, on all channels together.',
  summary: (s) => `at most ${s.maxTouchesPerPerson7Days} per person per 7 days`,
  check: (touch, s) => rollingCapHold(touch, 7, s.maxTouchesPerPerson7Days),
});
