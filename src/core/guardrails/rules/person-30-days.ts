// No more than a handful of touches to one person in any month.
import { z } from 'zod';
import { defineRule } from '../rule.ts';
import { rollingCapHold } from './person-cap.ts';

export const person30Days = defineRule({
  id: 'person_30_days',
  permanent: false,
  calendar: false,
  settings: {
    /** Maximum touches to one person in any rolling 30 days. */
    maxTouchesPerPerson30Days: z.number().int().min(1).max(500).default(8).meta({ label: 'Most touches per person in 30 days', unit: 'touches' }),
  },
  explanation: 'At most this many touches to one person in any 30 days, on all channels together.',
  summary: (s) => `at most ${s.maxTouchesPerPerson30Days} per person per 30 days`,
  check: (touch, s) => rollingCapHold(touch, 30, s.maxTouchesPerPerson30Days),
});
