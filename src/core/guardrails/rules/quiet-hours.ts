// Quiet hours: no touch on any channel late at night or early in the morning, prospect's time.
import { z } from 'zod';
import { atLocalTime, clockMinutes, formatLocalClock } from '../../schedule.ts';
import { defineRule } from '../rule.ts';
import { clockRangeFromText } from '../words.ts';

export interface QuietHours {
  /** Local "HH:mm" when quiet hours begin (inclusive). */
  start: string;
  /** Local "HH:mm" when they end (exclusive); earlier than `start` means they span midnight. */
  end: string;
}

const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time "HH:mm" (00:00–23:59)');

/** Quiet hours parsed once per settings object. */
const parsed = new WeakMap<QuietHours, { start: number; end: number }>();
function quietMinutes(quiet: QuietHours): { start: number; end: number } {
  let minutes = parsed.get(quiet);
  if (minutes === undefined) {
    minutes = { start: clockMinutes(quiet.start), end: clockMinutes(quiet.end) };
    parsed.set(quiet, minutes);
  }
  return minutes;
}

export const quietHours = defineRule({
  id: 'quiet_hours',
  permanent: false,
  calendar: true,
  settings: {
    /** No touch on any channel inside these local hours; null turns them off. */
    quietHours: z
      .strictObject({ start: clockSchema, end: clockSchema })
      .refine((q) => q.start !== q.end, { message: 'quiet hours need different start and end times', path: ['end'] })
      .nullable()
      .default({ start: '20:00', end: '08:00' })
      .meta({ label: "Quiet hours (the prospect's local time)", unit: 'HH:mm–HH:mm' }),
  },
  fromText: { quietHours: clockRangeFromText },
  explanation: "No touch on any channel during quiet hours in the prospect's local time, whatever a channel's window says.",
  summary: (s) => `quiet hours ${s.quietHours ? `${s.quietHours.start}–${s.quietHours.end}` : 'off'}`,
  check: (touch, s) => {
    if (s.quietHours === null) return null;
    const { start, end } = quietMinutes(s.quietHours);
    const wraps = start > end;
    const minute = touch.minute;
    const inQuiet = wraps ? minute >= start || minute < end : minute >= start && minute < end;
    if (!inQuiet) return null;
    const endDay = wraps && minute >= start ? touch.day + 1 : touch.day;
    return { explanation: touch.words ? `held: quiet hours in ${touch.zone} (${formatLocalClock(touch.at, touch.zone)} local)` : '', until: atLocalTime(endDay, end, touch.zone) };
  },
});
