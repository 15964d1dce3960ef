// The shape both rolling per-person caps share (7 and 30 days): a count in a window, lifted when
// enough touches leave it. Each cap is its own rule file.
import type { Lift, TouchView } from '../rule.ts';
import { touchCount } from '../words.ts';

const DAY_MS = 86_400_000;

/** Holds when `max` or more past touches fall in the `days` before the touch. */
export function rollingCapHold(touch: TouchView, days: number, max: number): Lift | null {
  const windowMs = days * DAY_MS;
  const from = touch.at - windowMs;
  let count = 0;
  for (const other of touch.touches) if (other <= touch.at && other > from) count++;
  if (count < max) return null;
  // It lifts when enough of them have left the window: the (count - max + 1)-th oldest, plus the window.
  const inWindow = touch.touches.filter((other) => other <= touch.at && other > from).sort((a, b) => a - b);
  const leaving = inWindow[inWindow.length - max] ?? touch.at;
  return {
    explanation: touch.words ? `held: ${touchCount(inWindow.length)} to ${touch.name} in the last ${days} days (max ${max})` : '',
    until: leaving + windowMs,
  };
}
