// Touches happen on the prospect's working days, never on a weekend or a holiday in their zone.
import { dayKey, placeInWindow, weekdayOfDay } from '../../schedule.ts';
import { defineRule } from '../rule.ts';
import { WEEKDAY_NAMES } from '../words.ts';

export const workingDay = defineRule({
  id: 'working_day',
  permanent: false,
  calendar: true,
  settings: {},
  explanation: "Touches land on working days in the prospect's time zone: never on a weekend or a holiday (settings: workdays, holidays).",
  summary: () => null,
  check: (touch) => {
    if (touch.offDay === null) return null;
    const explanation = !touch.words
      ? ''
      : touch.offDay === 'holiday'
        ? `held: ${dayKey(touch.day)} is a holiday in ${touch.zone}`
        : `held: ${WEEKDAY_NAMES[weekdayOfDay(touch.day)]} is not a working day in ${touch.zone}`;
    return { explanation, until: placeInWindow(touch.at, touch.channel, touch.rules) };
  },
});
