// The dashboard's pure metrics: cohorts by first touch, reply rates by step and channel, overdue
// ages, and the week's block capacity against due work.
import { describe, expect, it } from 'vitest';
import { capacityByDay, followUpStats, overdueSummary, prospectSummaries, replyRates, type TouchFact } from '../../src/core/metrics.ts';
import { REPLY_OUTCOMES, TERMINAL_OUTCOMES } from '../../src/core/outcomes.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-20T12:00:00Z');
const OPTS = { replyOutcomes: REPLY_OUTCOMES, terminalOutcomes: TERMINAL_OUTCOMES as ReadonlySet<string> };
const t = (prospectId: number, daysAgo: number, channel: string, outcome: string, stepIndex: number | null = null): TouchFact => ({ prospectId, at: NOW - daysAgo * DAY, channel, outcome, stepIndex });

// 1: two touches long ago; 2: first touch long ago, second recent; 3: one recent touch then a
// recent meeting on the call; 4: one recent touch, still live; 5: never touched.
const TOUCHES = [
  t(1, 100, 'email', 'sent', 0), t(1, 98, 'call', 'no_answer', 1),
  t(2, 60, 'email', 'sent', 0), t(2, 5, 'call', 'left_voicemail', 1),
  t(3, 10, 'email', 'sent', 0), t(3, 8, 'call', 'meeting_booked', 1),
  t(4, 2, 'email', 'sent', 0),
  t(9, 1, 'email', 'sent', 0), // not in scope: ignored
];

describe('prospectSummaries', () => {
  it('without a period, is every prospect in scope', () => {
    const s = prospectSummaries([1, 2, 3, 4, 5], TOUCHES, new Set([4]), OPTS);
    expect([...s.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(s.get(3)).toEqual({ touches: 2, firstReplyAtTouch: 2, live: false, answered: true });
    expect(s.get(4)).toEqual({ touches: 1, firstReplyAtTouch: null, live: true });
    const stats = followUpStats(s.values());
    expect(stats).toMatchObject({ prospects: 5, touched: 4, followedUp: 3, replies: 1, droppedBeforeFive: 2 });
  });

  it('with a period, is the cohort first touched in it, counting all of their touches', () => {
    const s = prospectSummaries([1, 2, 3, 4, 5], TOUCHES, new Set([4]), { ...OPTS, since: NOW - 30 * DAY });
    expect([...s.keys()]).toEqual([3, 4]);
    expect(followUpStats(s.values())).toMatchObject({ touched: 2, followedUp: 1, followUpRate: 0.5 });
    expect([...prospectSummaries([1, 2, 3, 4, 5], TOUCHES, new Set(), { ...OPTS, since: NOW - 90 * DAY }).keys()]).toEqual([2, 3, 4]);
  });
});

describe('replyRates', () => {
  it('is the share of touches at each step and on each channel that were a reply', () => {
    const r = replyRates([...TOUCHES, t(1, 1, 'task', 'replied', null)], REPLY_OUTCOMES);
    expect(r.byStep).toEqual([
      { key: '1', touches: 5, replies: 0, rate: 0 },
      { key: '2', touches: 3, replies: 1, rate: 1 / 3 },
    ]);
    expect(r.byChannel).toEqual([
      { key: 'email', touches: 5, replies: 0, rate: 0 },
      { key: 'call', touches: 3, replies: 1, rate: 1 / 3 },
      { key: 'task', touches: 1, replies: 1, rate: 1 },
    ]);
    expect(replyRates([], REPLY_OUTCOMES)).toEqual({ byStep: [], byChannel: [] });
  });
});

describe('overdueSummary', () => {
  it('counts touches due before now by how late they are', () => {
    const o = overdueSummary([NOW - 3_600_000, NOW - 1.5 * DAY, NOW - 3 * DAY, NOW - 20 * DAY, NOW, NOW + DAY], NOW);
    expect(o.count).toBe(4);
    expect(o.oldestDays).toBe(20);
    expect(o.buckets.map((b) => [b.label, b.count])).toEqual([['under 1 day', 1], ['1–3 days', 1], ['3–7 days', 1], ['7+ days', 1]]);
    expect(overdueSummary([], NOW)).toMatchObject({ count: 0, oldestDays: null });
  });
});

describe('capacityByDay', () => {
  it('adds block minutes and due minutes per day; overdue work lands on the first day, later work is left out', () => {
    const days = ['2026-03-20', '2026-03-21', '2026-03-22'];
    const c = capacityByDay(
      days,
      [{ date: '2026-03-20', capacityMinutes: 60 }, { date: '2026-03-20', capacityMinutes: 30 }, { date: '2026-03-22', capacityMinutes: 45 }, { date: '2026-03-30', capacityMinutes: 60 }],
      [{ date: '2026-03-18', minutes: 6 }, { date: '2026-03-20', minutes: 3 }, { date: '2026-03-21', minutes: 6 }, { date: '2026-04-01', minutes: 3 }],
    );
    expect(c).toEqual([
      { date: '2026-03-20', capacityMinutes: 90, dueMinutes: 9, dueTouches: 2 },
      { date: '2026-03-21', capacityMinutes: 0, dueMinutes: 6, dueTouches: 1 },
      { date: '2026-03-22', capacityMinutes: 45, dueMinutes: 0, dueTouches: 0 },
    ]);
  });
});
