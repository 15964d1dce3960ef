// Follow-up blocks: the recurring times a rep reserves for follow-up, expanded into concrete
// intervals in the rep's own time zone (DST-correct: a 9:00 block stays at 9:00 local).
import { z } from 'zod';
import { DAY_MS, atLocalTime, clockMinutes, dayKey, localDayNumber, weekdayOfDay } from './schedule.ts';

export interface FollowUpBlock {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Local start "HH:mm" in the rep's zone. */
  start: string;
  /** Length in minutes. */
  minutes: number;
}

export const followUpBlockSchema = z.strictObject({
  weekday: z.number().int().min(1).max(7),
  start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time "HH:mm" (00:00–23:59)'),
  minutes: z.number().int().min(5).max(12 * 60),
});

export const followUpBlocksSchema = z.array(followUpBlockSchema);

export interface BlockOccurrence {
  /** Index of the recurring block in the rep's list. */
  blockIndex: number;
  /** UTC ms. */
  start: number;
  /** UTC ms: start + minutes (elapsed time, even when DST changes inside the block). */
  end: number;
  minutes: number;
  /** The rep's local date of the occurrence, "YYYY-MM-DD". */
  localDate: string;
}

/**
 * The occurrences of `blocks` that overlap [fromMs, toMs), sorted by start. A block whose local
 * start falls in a DST gap starts when the clocks jump (e.g. 02:30 → 03:00).
 */
export function blockOccurrences(blocks: readonly FollowUpBlock[], repZone: string, fromMs: number, toMs: number): BlockOccurrence[] {
  const occurrences: BlockOccurrence[] = [];
  if (!(toMs > fromMs) || blocks.length === 0) return occurrences;
  const starts = blocks.map((b) => clockMinutes(b.start));
  // One day of slack on both sides: a block that started yesterday may still be running.
  const firstDay = localDayNumber(fromMs, repZone) - 1;
  const lastDay = localDayNumber(toMs, repZone);
  for (let day = firstDay; day <= lastDay; day++) {
    const weekday = weekdayOfDay(day);
    blocks.forEach((block, blockIndex) => {
      if (block.weekday !== weekday || !(block.minutes > 0)) return;
      const start = atLocalTime(day, starts[blockIndex] ?? 0, repZone);
      const end = start + block.minutes * 60_000;
      if (end > fromMs && start < toMs) occurrences.push({ blockIndex, start, end, minutes: block.minutes, localDate: dayKey(day) });
    });
  }
  return occurrences.sort((a, b) => a.start - b.start || a.blockIndex - b.blockIndex);
}

/** The next `count` occurrences at or after `fromMs` (ongoing ones included), looking at most `maxDays` ahead. */
export function nextBlockOccurrences(blocks: readonly FollowUpBlock[], repZone: string, fromMs: number, count: number, maxDays = 60): BlockOccurrence[] {
  return blockOccurrences(blocks, repZone, fromMs, fromMs + maxDays * DAY_MS).slice(0, Math.max(0, count));
}
