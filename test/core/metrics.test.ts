import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { followUpStats, INDUSTRY_FOLLOW_UP_RATE, type ProspectTouchSummary } from '../../src/core/metrics.ts';

const p = (touches: number, firstReplyAtTouch: number | null = null, live = false): ProspectTouchSummary => ({ touches, firstReplyAtTouch, live });

describe('followUpStats', () => {
  it('is empty for no prospects', () => {
    expect(followUpStats([])).toEqual({
      prospects: 0,
      touched: 0,
      followedUp: 0,
      followUpRate: null,
      totalTouches: 0,
      touchesPerProspect: { mean: null, median: null, histogram: {} },
      replies: 0,
      touchesUntilReply: { mean: null, median: null, histogram: {} },
      droppedBeforeFive: 0,
    });
  });

  it('computes a hand-checked scenario', () => {
    const s = followUpStats([
      p(0, null, true), // enrolled, not touched yet
      p(1), // one touch and dropped
      p(1, null, true), // one touch, still live: not dropped
      p(2, 2), // replied on the second touch
      p(3), // dropped after 3
      p(5), // five touches: not "before five"
      p(8, 6), // replied on the sixth, kept going
      p(0), // never touched, not live: not dropped either
    ]);
    expect(s.prospects).toBe(8);
    expect(s.touched).toBe(6);
    expect(s.followedUp).toBe(4);
    expect(s.followUpRate).toBeCloseTo(4 / 6);
    expect(s.totalTouches).toBe(20);
    expect(s.touchesPerProspect.mean).toBeCloseTo(20 / 6);
    expect(s.touchesPerProspect.median).toBe(2.5); // 1 1 2 3 5 8
    expect(s.touchesPerProspect.histogram).toEqual({ '1': 2, '2': 1, '3': 1, '5': 1, '8': 1 });
    expect(s.replies).toBe(2);
    expect(s.touchesUntilReply).toEqual({ mean: 4, median: 4, histogram: { '2': 1, '6': 1 } });
    expect(s.droppedBeforeFive).toBe(2);
  });

  it('takes the middle value as the median for an odd count', () => {
    expect(followUpStats([p(9), p(1), p(4)]).touchesPerProspect.median).toBe(4);
  });

  it('caps the histogram at 10+', () => {
    const s = followUpStats([p(9), p(10), p(11), p(40), p(12, 12)]);
    expect(s.touchesPerProspect.histogram).toEqual({ '9': 1, '10+': 4 });
    expect(s.touchesUntilReply.histogram).toEqual({ '10+': 1 });
    expect(s.touchesPerProspect.median).toBe(11);
  });

  it('the industry figure is 25%', () => {
    expect(INDUSTRY_FOLLOW_UP_RATE).toBe(0.25);
  });

  it('holds its counting rules on any input', () => {
    const row = fc.record({
      touches: fc.integer({ min: 0, max: 30 }),
      firstReplyAtTouch: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
      live: fc.boolean(),
    }).map((r) => ({ ...r, firstReplyAtTouch: r.firstReplyAtTouch === null || r.touches === 0 ? null : Math.min(r.firstReplyAtTouch, r.touches) }));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const s = followUpStats(rows);
        expect(s.prospects).toBe(rows.length);
        expect(s.followedUp).toBeLessThanOrEqual(s.touched);
        expect(s.totalTouches).toBe(rows.reduce((n, r) => n + r.touches, 0));
        const histTotal = Object.values(s.touchesPerProspect.histogram).reduce((a, b) => a + b, 0);
        expect(histTotal).toBe(s.touched);
        if (s.touched) expect(s.followUpRate).toBeGreaterThanOrEqual(0);
        if (s.touched) expect(s.followUpRate).toBeLessThanOrEqual(1);
        expect(s.droppedBeforeFive + s.replies).toBeLessThanOrEqual(rows.length);
        expect(s.droppedBeforeFive).toBe(rows.filter((r) => r.firstReplyAtTouch === null && !r.live && r.touches > 0 && r.touches < 5).length);
        const m = s.touchesPerProspect.median;
        if (m !== null) {
          const counts = rows.map((r) => r.touches).filter((t) => t > 0);
          expect(m).toBeGreaterThanOrEqual(Math.min(...counts));
          expect(m).toBeLessThanOrEqual(Math.max(...counts));
        }
      }),
    );
  });
});

describe('dropped before five touches', () => {
  it('does not count prospects who gave a final answer (not interested, opted out…)', () => {
    const s = followUpStats([
      { touches: 2, firstReplyAtTouch: null, live: false, answered: true },
      { touches: 2, firstReplyAtTouch: null, live: false },
      { touches: 2, firstReplyAtTouch: null, live: true },
    ]);
    expect(s.droppedBeforeFive).toBe(1);
  });
});
