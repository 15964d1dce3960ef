// The close of a follow-up block, from touches alone: what counts in the block, and the week's
// follow-up rate over prospects who have had at least two days for a second touch.
import { expect, it } from 'vitest';
import { blockSummary, FOLLOW_UP_GRACE_DAYS } from '../../src/core/block-summary.ts';
import type { TouchFact } from '../../src/core/metrics.ts';

const NOW = Date.parse('2026-03-12T16:00:00Z');
const H = 3_600_000;
const D = 24 * H;
const touch = (prospectId: number, at: number, channel: string, outcome: string): TouchFact => ({ prospectId, at, channel, outcome, stepIndex: 0 });
const block = { from: NOW - H, to: NOW };

it('counts the touches of the block by channel, with replies, meetings and prospects moved forward', () => {
  const s = blockSummary([
    touch(1, NOW - 30 * 60_000, 'email', 'sent'),
    touch(2, NOW - 20 * 60_000, 'call', 'meeting_booked'),
    touch(3, NOW - 10 * 60_000, 'call', 'not_interested'),
    touch(4, NOW - 5 * 60_000, 'linkedin', 'replied'),
    touch(1, NOW - 2 * H, 'email', 'sent'), // before the block
    touch(5, NOW, 'call', 'no_answer'), // the block's end is not in it
  ], block, NOW);
  expect(s).toMatchObject({ touches: 4, byChannel: { email: 1, call: 2, linkedin: 1 }, replies: 2, meetings: 1, movedForward: 3, industryFollowUpRate: 0.25 });
});

it('the week: prospects first touched in the 7 days that ended two days ago, and the share touched again', () => {
  expect(FOLLOW_UP_GRACE_DAYS).toBe(2);
  const s = blockSummary([
    touch(1, NOW - 3 * D, 'email', 'sent'), touch(1, NOW - H / 2, 'call', 'no_answer'), // followed up (in the block)
    touch(2, NOW - 8 * D, 'email', 'sent'), touch(2, NOW - 6 * D, 'email', 'sent'), // followed up earlier
    touch(3, NOW - 4 * D, 'email', 'sent'), // not yet
    touch(4, NOW - 5 * D, 'call', 'no_answer'), // not yet
    touch(5, NOW - D, 'email', 'sent'), // first touched yesterday: not counted yet
    touch(6, NOW - 10 * D, 'email', 'sent'), touch(6, NOW - H / 4, 'email', 'sent'), // first touched before the window
  ], block, NOW);
  expect(s.week).toEqual({ from: NOW - 9 * D, to: NOW - 2 * D, firstTouched: 4, followedUp: 2, followUpRate: 0.5 });
  expect(s.touches).toBe(2);
});

it('a week with nobody first touched has no rate (not 0%)', () => {
  expect(blockSummary([touch(1, NOW - H / 2, 'email', 'sent')], block, NOW).week).toMatchObject({ firstTouched: 0, followUpRate: null });
});

it('touches after now (a clock skew) count neither in the block nor in the week', () => {
  const s = blockSummary([touch(1, NOW - 3 * D, 'email', 'sent'), touch(1, NOW + H, 'email', 'sent')], { from: NOW - H, to: NOW + 2 * H }, NOW);
  expect(s.week).toMatchObject({ firstTouched: 1, followedUp: 0 });
});
