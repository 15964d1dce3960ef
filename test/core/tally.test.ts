import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tallyLine, tallyMarks } from '../../src/core/tally.ts';

describe('tallyMarks', () => {
  it.each([
    [0, ''],
    [1, '|'],
    [4, '||||'],
    [5, '||||/'],
    [6, '||||/ |'],
    [7, '||||/ ||'],
    [10, '||||/ ||||/'],
    [12, '||||/ ||||/ ||'],
  ])('%i → %s', (n, marks) => {
    expect(tallyMarks(n)).toBe(marks);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %d', (n) => {
    expect(() => tallyMarks(n)).toThrow(/whole number/);
  });

  it('always counts back to the number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), (n) => {
        const marks = tallyMarks(n);
        const groups = marks.split(' ').filter(Boolean);
        const counted = groups.reduce((sum, g) => sum + (g === '||||/' ? 5 : g.length), 0);
        expect(counted).toBe(n);
        // Only the last group may be incomplete.
        groups.slice(0, -1).forEach((g) => expect(g).toBe('||||/'));
      }),
    );
  });
});

describe('tallyLine', () => {
  it('shows marks and the number', () => {
    expect(tallyLine(7)).toBe('||||/ ||  7');
    expect(tallyLine(1)).toBe('|  1');
  });
  it('says so when there is nothing yet', () => {
    expect(tallyLine(0)).toBe('no touches yet');
  });
});
