// A cadence's rates: answers credited to the step whose touch they answer.
import { describe, expect, it } from 'vitest';
import { cadenceRates, ratePercent, type CadenceTouchFact } from '../../src/core/cadence-stats.ts';

const t = (enrollmentId: number, stepIndex: number | null, outcome: CadenceTouchFact['outcome']): CadenceTouchFact => ({ enrollmentId, stepIndex, outcome });

describe('cadenceRates', () => {
  it('counts touches per step and credits each answer to the touch it answers', () => {
    const r = cadenceRates(3, [
      { id: 1, status: 'replied' }, { id: 2, status: 'opted_out' }, { id: 3, status: 'bounced' }, { id: 4, status: 'active' }, { id: 5, status: 'active' },
    ], [
      t(1, 0, 'sent'), t(1, 1, 'left_voicemail'), t(1, 2, 'meeting_booked'),
      t(2, 0, 'sent'), t(2, 1, 'opted_out'),
      t(3, 0, 'sent'), // the bounce was read from the mailbox: no touch, only the enrollment's end
      t(4, 0, 'sent'), t(4, 1, 'no_answer'),
    ]);
    expect(r.enrolled).toBe(5);
    expect(r.steps).toEqual([
      { sent: 4, replies: 0, meetings: 0, optOuts: 1, bounces: 1 },
      { sent: 2, replies: 1, meetings: 1, optOuts: 0, bounces: 0 },
      { sent: 0, replies: 0, meetings: 0, optOuts: 0, bounces: 0 },
    ]);
    // Per prospect reached: 4 reached (5 was never touched), 1 meeting (a reply too), 1 opt-out, 1 bounce.
    expect(r.cadence).toEqual({ sent: 4, replies: 1, meetings: 1, optOuts: 1, bounces: 1 });
  });

  it('words a rate, and a dash when nothing was sent', () => {
    expect(ratePercent(1, 3)).toBe('33%');
    expect(ratePercent(0, 0)).toBe('—');
  });
});
