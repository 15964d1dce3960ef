// A step's sending mode, from the whole cadence (the editor, `tally cadence`) or from the count of email
// steps before it (the queue's page reads that count instead of the cadence's steps): the same decision.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firstEmailStepAt, sendingMode, sendingModeOf } from '../../src/core/step-sending.ts';

const step = fc.record({ channel: fc.constantFrom('email', 'call', 'linkedin'), sending: fc.constantFrom(undefined, 'manual', 'automatic') }) as fc.Arbitrary<{
  channel: 'email' | 'call' | 'linkedin';
  sending: 'manual' | 'automatic' | undefined;
}>;

describe('sending mode of a step', () => {
  it('is the same from the count of email steps before it as from the whole cadence', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), fc.nat(), fc.nat({ max: 5 }), (steps, at, handSent) => {
        const index = at % steps.length;
        const before = steps.slice(0, index).filter((s) => s.channel === 'email').length;
        expect(sendingModeOf(steps[index], firstEmailStepAt(steps[index]!, before), handSent)).toEqual(sendingMode(steps, index, handSent));
      }),
    );
  });
});
