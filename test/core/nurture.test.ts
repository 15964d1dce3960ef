import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { CadenceDefinition, CadenceStep } from '../../src/core/types.ts';
import type { FinishedEnrollmentSummary } from '../../src/core/nurture.ts';
import { proposeNurture } from '../../src/core/nurture.ts';
import { defaultScheduleRules } from '../../src/core/schedule.ts';

const step: CadenceStep = { channel: 'email', delay: { amount: 2, unit: 'business_days' }, name: 'Step', reason: 'v', talkingPoints: [] };
const cadences: CadenceDefinition[] = [
  { name: 'Outbound', steps: [step, step, step], nurture: 'Quarterly check-in' },
  { name: 'Inbound', steps: [step, step] },
  { name: 'Quarterly check-in', steps: [step] },
  { name: 'Slow drip', steps: [step] },
];
const ended = DateTime.fromISO('2024-05-17T15:00', { zone: 'Europe/Berlin' }).toMillis(); // Friday

function summary(overrides: Partial<FinishedEnrollmentSummary> = {}): FinishedEnrollmentSummary {
  return {
    prospectName: 'Dana',
    cadenceName: 'Outbound',
    status: 'finished',
    stepIndex: 3,
    touches: 3,
    endedAt: ended,
    replied: false,
    optedOut: false,
    alreadyNurtured: false,
    rules: defaultScheduleRules('Europe/Berlin'),
    ...overrides,
  };
}

describe('proposeNurture', () => {
  it('proposes the cadence’s nurture 10 business days later', () => {
    expect(proposeNurture(summary(), cadences)).toEqual({
      propose: true,
      cadence: 'Quarterly check-in',
      startAt: DateTime.fromISO('2024-05-31T15:00', { zone: 'Europe/Berlin' }).toMillis(),
      message: 'Dana finished Outbound after 3 touches with no reply: move them to Quarterly check-in in 10 business days instead of dropping them',
    });
  });

  it('falls back to the workspace default', () => {
    const decision = proposeNurture(summary({ cadenceName: 'Inbound', stepIndex: 2 }), cadences, { defaultNurture: 'Slow drip', startAfterBusinessDays: 5 });
    expect(decision.propose && decision.cadence).toBe('Slow drip');
  });

  it.each([
    [{ replied: true }, 'replied', 'Dana replied: no nurture needed'],
    [{ status: 'opted_out' as const }, 'opted_out', 'Dana opted out: never nurture'],
    [{ alreadyNurtured: true }, 'already_nurtured', 'Dana is already in a nurture cadence'],
    [{ stepIndex: 1 }, 'not_complete', "Dana's enrollment in Outbound ended before its last step (finished): no nurture"],
    [{ cadenceName: 'Inbound', stepIndex: 2 }, 'no_nurture_cadence', 'Inbound names no nurture cadence and the workspace has no default: Dana would be dropped'],
  ])('proposes none when %o', (overrides, reason, message) => {
    expect(proposeNurture(summary(overrides), cadences)).toEqual({ propose: false, reason, message });
  });
});
