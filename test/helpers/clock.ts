// The tests' "now": the real time shifted by TALLY_CLOCK_OFFSET, exactly as the app's own clock is
// (src/cli/clock.ts). `npm test` runs the scheduling and browser tests a second time with the clock
// days ahead, so a test that would fail next week fails today. Tests that build data relative to "now"
// take it from here (or pin their own instant), never from Date.now().
import { parseClockOffset } from '../../src/cli/clock.ts';

export const CLOCK_OFFSET_MS = process.env.TALLY_CLOCK_OFFSET ? parseClockOffset(process.env.TALLY_CLOCK_OFFSET) : 0;

export function testNow(): number {
  return Date.now() + CLOCK_OFFSET_MS;
}
