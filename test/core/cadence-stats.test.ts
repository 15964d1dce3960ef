// A cadence's rates: answers credited to the touch they answer.
import { describe, expect, it } from 'vitest';
import { cadenceRates, ratePercent, type CadenceTouchFact } from '../../src/core/cadence-stats.ts';

const t = (enrollmentId: number, stepIndex: number | null, channel: CadenceTouchFact['channel'], outcome: CadenceTouchFact['outcome']): CadenceTouchFact => ({ enrollmentId, stepIndex, channel, outcome });

describe('cadenceRates', () => {
  it('counts touches per step; a reply to mail counts at the touch it answers, a call that booked is its own touch', () => {
    const r = cadenceRates({ id: 2, steps: 3 }, [
      { id: 1, status: 'replied', versionId: 2 }, { id: 2, status: 'opted_out', versionId: 2 }, { id: 3, status: 'bounced', versionId: 2 }, { id: 4, status: 'active', versionId: 2 },
      { id: 5, status: 'active', versionId: 2 }, { id: 6, status: 'replied', versionId: 2 }, { id: 7, status: 'replied', versionId: 1 },
    ], [
      t(1, 0, 'email', 'sent'), t(1, 1, 'call', 'left_voicemail'), t(1, 2, 'email', 'replied'),
      t(2, 0, 'email', 'sent'), t(2, 1, 'email', 'opted_out'),
      t(3, 0, 'email', 'sent'), // the bounce was read from the mailbox: no touch, only the enrollment's end
      t(4, 0, 'email', 'sent'), t(4, 1, 'call', 'no_answer'),
      t(6, 0, 'call', 'meeting_booked'),
      t(7, 0, 'email', 'sent'), t(7, 0, 'email', 'replied'), // on v1: the cadence's figures only
    ]);
    expect(r.enrolled).toBe(7);
    expect(r.steps).toEqual([
      { sent: 5, replies: 1, meetings: 1, optOuts: 1, bounces: 1 },
      { sent: 2, replies: 1, meetings: 0, optOuts: 0, bounces: 0 },
      { sent: 0, replies: 0, meetings: 0, optOuts: 0, bounces: 0 },
    ]);
    // Per prospect reached, every version: 6 reached (5 was never touched), 3 replied (one with a meeting), 1 opt-out, 1 bounce.
    expect(r.cadence).toEqual({ sent: 6, replies: 3, meetings: 1, optOuts: 1, bounces: 1 });
  });

  it('words a rate, and a dash when nothing was sent', () => {
    expect(ratePercent(1, 3)).toBe('33%');
    expect(ratePercent(0, 0)).toBe('—');
  });
});
