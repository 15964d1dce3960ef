// The process clock, read from the environment once at start: the real time, pinned by TALLY_NOW, or
// shifted by TALLY_CLOCK_OFFSET so a whole run (server, jobs, CLI) can live days ahead of the real date.
// The test suite runs its scheduling and browser tests a second time with an offset, so a test that
// would fail next week fails today.
import { TallyError } from '../core/errors.ts';

const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 };

/** "+8d13h", "-2h", "90m", "3d 4h": a signed sum of days, hours, minutes and seconds, in milliseconds. */
export function parseClockOffset(text: string): number {
  const trimmed = text.trim();
  const match = /^([+-])?\s*((?:\d+\s*[dhms]\s*)+)$/i.exec(trimmed);
  if (!match) throw new TallyError(`TALLY_CLOCK_OFFSET="${text}" is not an offset (use e.g. +8d13h, -2h or 90m)`, 'usage');
  let ms = 0;
  for (const [, amount, unit] of match[2]!.matchAll(/(\d+)\s*([dhms])/gi)) ms += Number(amount) * UNIT_MS[unit!.toLowerCase()]!;
  return match[1] === '-' ? -ms : ms;
}

/** TALLY_NOW pins the clock (for demos and tests); TALLY_CLOCK_OFFSET shifts the real one; else the real time. */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): () => number {
  const pinned = env.TALLY_NOW;
  if (pinned) {
    const t = Date.parse(pinned);
    if (Number.isNaN(t)) throw new TallyError(`TALLY_NOW="${pinned}" is not a date (use ISO 8601, e.g. 2026-11-23T09:00:00Z)`, 'usage');
    return () => t;
  }
  const offset = env.TALLY_CLOCK_OFFSET ? parseClockOffset(env.TALLY_CLOCK_OFFSET) : 0;
  return offset === 0 ? Date.now : () => Date.now() + offset;
}
