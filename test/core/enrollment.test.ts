import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyEvent, EnrollmentError, isLive, startEnrollment, type EnrollmentEvent, type StepClock } from '../../src/core/enrollment.ts';
import type { CadenceStep, EnrollmentState, Outcome } from '../../src/core/types.ts';
import { OUTCOMES, TERMINAL_OUTCOMES } from '../../src/core/outcomes.ts';
import { channelIds } from '../../src/core/channels/index.ts';
import { defaultScheduleRules, HOUR_MS, DAY_MS, isInWindow } from '../../src/core/schedule.ts';
import { clockFor } from '../../src/app/enrollments.ts';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Pacific/Auckland', 'America/St_Johns'];

function step(channel: CadenceStep['channel'], amount: number, unit: 'business_days' | 'hours' = 'business_days'): CadenceStep {
  return { channel, delay: { amount, unit }, name: `${channel} after ${amount} ${unit}`, reason: 'something useful', talkingPoints: [] };
}

/** A clock with no windows: due = from + delay days/hours, place = at. Easy to reason about. */
const plainClock: StepClock = {
  due: (from, s) => from + s.delay.amount * (s.delay.unit === 'hours' ? HOUR_MS : DAY_MS),
  place: (at) => at,
};

const T0 = Date.UTC(2026, 2, 2, 14); // Monday 2 March 2026, 14:00 UTC
const utc = clockFor(defaultScheduleRules('UTC'));

describe('startEnrollment', () => {
  it('starts active at step 0, due after the first delay inside the window', () => {
    const s = startEnrollment(T0, [step('email', 0), step('call', 2)], utc);
    expect(s).toEqual({ status: 'active', stepIndex: 0, dueAt: T0, reason: null, touches: 0, lastTouchAt: null, startedAt: T0, endedAt: null });
  });

  it('places a first call at the next window opening when enrolled at night', () => {
    const night = Date.UTC(2026, 2, 2, 22); // Monday 22:00 UTC
    const s = startEnrollment(night, [step('call', 0)], utc);
    expect(s.dueAt).toBe(Date.UTC(2026, 2, 3, 9)); // Tuesday 09:00
  });

  it('skips the weekend for business-day delays', () => {
    const friday = Date.UTC(2026, 2, 6, 10);
    const s = startEnrollment(friday, [step('email', 1)], utc);
    expect(s.dueAt).toBe(Date.UTC(2026, 2, 9, 10)); // Monday 10:00
  });

  it('refuses a cadence without steps', () => {
    expect(() => startEnrollment(T0, [], utc)).toThrow(EnrollmentError);
  });
});

describe('applyEvent', () => {
  const steps = [step('email', 0), step('call', 2), step('email', 3)];
  const start = () => startEnrollment(T0, steps, plainClock);

  it('a non-terminal touch advances to the next step and schedules it from the touch', () => {
    const at = T0 + HOUR_MS;
    const s = applyEvent(start(), { type: 'touch', at, outcome: 'sent' }, steps, plainClock);
    expect(s).toMatchObject({ status: 'active', stepIndex: 1, dueAt: at + 2 * DAY_MS, touches: 1, lastTouchAt: at, endedAt: null });
  });

  it('the last touch without a reply finishes the cadence', () => {
    let s = start();
    for (let i = 0; i < steps.length; i++) s = applyEvent(s, { type: 'touch', at: T0 + i * 5 * DAY_MS, outcome: 'no_answer' }, steps, plainClock);
    expect(s.status).toBe('finished');
    expect(s.stepIndex).toBe(steps.length);
    expect(s.dueAt).toBeNull();
    expect(s.endedAt).toBe(T0 + 10 * DAY_MS);
    expect(s.reason).toMatch(/no reply after 3 touches/);
  });

  it.each([
    ['replied', 'replied'],
    ['meeting_booked', 'replied'],
    ['not_interested', 'finished'],
    ['wrong_person', 'finished'],
    ['bad_contact', 'bounced'],
    ['opted_out', 'opted_out'],
  ] as const)('terminal outcome %s ends the enrollment as %s', (outcome, status) => {
    const at = T0 + HOUR_MS;
    const s = applyEvent(start(), { type: 'touch', at, outcome }, steps, plainClock);
    expect(s).toMatchObject({ status, dueAt: null, endedAt: at, touches: 1, stepIndex: 0 });
    expect(s.reason).toBeTruthy();
  });

  it('pause keeps the due time; a touch while paused stays paused; resume makes it active', () => {
    let s = applyEvent(start(), { type: 'pause', at: T0 - 1 }, steps, plainClock);
    expect(s).toMatchObject({ status: 'paused', reason: 'paused by rep', dueAt: T0 });
    s = applyEvent(s, { type: 'touch', at: T0 + 2, outcome: 'sent' }, steps, plainClock);
    expect(s).toMatchObject({ status: 'paused', stepIndex: 1, reason: 'paused by rep' });
    s = applyEvent(s, { type: 'resume', at: T0 + 3 }, steps, plainClock);
    expect(s).toMatchObject({ status: 'active', reason: null, dueAt: T0 + 2 + 2 * DAY_MS });
  });

  it('pausing an overdue enrollment does not leave its due time in the past', () => {
    const s = applyEvent(start(), { type: 'pause', at: T0 + DAY_MS, reason: 'on leave' }, steps, plainClock);
    expect(s).toMatchObject({ status: 'paused', reason: 'on leave', dueAt: T0 + DAY_MS });
  });

  it('resume after the due time passed brings the step due now (placed in its window)', () => {
    let s = applyEvent(start(), { type: 'pause', at: T0 }, steps, utc);
    const later = Date.UTC(2026, 2, 7, 12); // Saturday
    s = applyEvent(s, { type: 'resume', at: later }, steps, utc);
    expect(s.status).toBe('active');
    expect(s.dueAt).toBe(Date.UTC(2026, 2, 9, 7)); // Monday 07:00, the email window opening
  });

  it('snooze moves the due time to the snooze date; a touch ends the snooze', () => {
    const until = T0 + 7 * DAY_MS;
    let s = applyEvent(start(), { type: 'snooze', at: T0 + 1, until, reason: 'out of office' }, steps, plainClock);
    expect(s).toMatchObject({ status: 'snoozed', dueAt: until, reason: 'out of office' });
    s = applyEvent(s, { type: 'touch', at: T0 + 2, outcome: 'sent' }, steps, plainClock);
    expect(s).toMatchObject({ status: 'active', reason: null, stepIndex: 1 });
  });

  it('snooze never brings a touch forward', () => {
    const late = [step('email', 10)];
    const s0 = startEnrollment(T0, late, plainClock);
    const s = applyEvent(s0, { type: 'snooze', at: T0, until: T0 + DAY_MS }, late, plainClock);
    expect(s.dueAt).toBe(T0 + 10 * DAY_MS);
  });

  it('an out-of-office snooze keeps the delay the step had left, counted from the return', () => {
    const late = [step('email', 10)];
    const s0 = startEnrollment(T0, late, plainClock);
    const until = T0 + 20 * DAY_MS;
    expect(applyEvent(s0, { type: 'snooze', at: T0 + 4 * DAY_MS, until, keepRemaining: true }, late, plainClock).dueAt).toBe(until + 6 * DAY_MS);
    // Already overdue: nothing left to keep, due on the return.
    expect(applyEvent(s0, { type: 'snooze', at: T0 + 11 * DAY_MS, until, keepRemaining: true }, late, plainClock).dueAt).toBe(until);
  });

  it('unenroll and stop end the enrollment with their reason', () => {
    expect(applyEvent(start(), { type: 'unenroll', at: T0 + 5 }, steps, plainClock)).toMatchObject({ status: 'finished', reason: 'unenrolled', dueAt: null, endedAt: T0 + 5 });
    expect(applyEvent(start(), { type: 'stop', at: T0 + 5, status: 'bounced', reason: 'hard bounce 5.1.1' }, steps, plainClock)).toMatchObject({
      status: 'bounced',
      reason: 'hard bounce 5.1.1',
      dueAt: null,
      endedAt: T0 + 5,
    });
  });

  it.each<[string, (s: EnrollmentState) => EnrollmentState, EnrollmentEvent, RegExp]>([
    ['pause twice', (s) => applyEvent(s, { type: 'pause', at: T0 }, steps, plainClock), { type: 'pause', at: T0 + 1 }, /already paused/],
    ['resume an active one', (s) => s, { type: 'resume', at: T0 }, /not paused or snoozed/],
    ['snooze into the past', (s) => s, { type: 'snooze', at: T0, until: T0 - 1 }, /future/],
    ['snooze to now', (s) => s, { type: 'snooze', at: T0, until: T0 }, /future/],
    ['touch a finished one', (s) => applyEvent(s, { type: 'unenroll', at: T0 }, steps, plainClock), { type: 'touch', at: T0 + 1, outcome: 'sent' }, /finished/],
    ['unenroll twice', (s) => applyEvent(s, { type: 'unenroll', at: T0 }, steps, plainClock), { type: 'unenroll', at: T0 + 1 }, /cannot unenroll/],
    ['stop a replied one', (s) => applyEvent(s, { type: 'touch', at: T0, outcome: 'replied' }, steps, plainClock), { type: 'stop', at: T0 + 1, status: 'bounced', reason: 'x' }, /replied/],
  ])('refuses to %s', (_name, prepare, event, message) => {
    const before = prepare(start());
    const copy = structuredClone(before);
    expect(() => applyEvent(before, event, steps, plainClock)).toThrow(EnrollmentError);
    expect(() => applyEvent(before, event, steps, plainClock)).toThrow(message);
    expect(before).toEqual(copy);
  });
});

// ------------------------------------------------------------------------------------------------
// Properties: random cadences, random event sequences, random (increasing) times.

const stepArb = fc.record({
  channel: fc.constantFrom(...channelIds()),
  delay: fc.oneof(
    fc.record({ amount: fc.integer({ min: 0, max: 6 }), unit: fc.constant('business_days' as const) }),
    fc.record({ amount: fc.oneof(fc.integer({ min: 0, max: 96 }), fc.double({ min: 0, max: 48, noNaN: true })), unit: fc.constant('hours' as const) }),
  ),
  name: fc.constant('step'),
  reason: fc.constant('value'),
  talkingPoints: fc.constant([] as string[]),
});

type Action =
  | { kind: 'touch'; outcome: Outcome }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'snooze'; ahead: number }
  | { kind: 'unenroll' }
  | { kind: 'stop'; status: 'replied' | 'bounced' | 'opted_out' | 'finished' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('touch' as const), outcome: fc.constantFrom(...OUTCOMES) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('touch' as const), outcome: fc.constantFrom<Outcome>('no_answer', 'left_voicemail', 'sent') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('pause' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('resume' as const) }) },
  // Negative or zero: an invalid snooze (until not after now).
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('snooze' as const), ahead: fc.integer({ min: -DAY_MS, max: 30 * DAY_MS }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unenroll' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stop' as const), status: fc.constantFrom('replied' as const, 'bounced' as const, 'opted_out' as const, 'finished' as const) }) },
);

const scenarioArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 12 }),
  start: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
  // Each action comes with the time that passed since the previous one (0 allowed: same instant).
  actions: fc.array(fc.tuple(actionArb, fc.integer({ min: 0, max: 10 * DAY_MS })), { maxLength: 40 }),
});

function toEvent(a: Action, at: number): EnrollmentEvent {
  switch (a.kind) {
    case 'touch':
      return { type: 'touch', at, outcome: a.outcome };
    case 'snooze':
      return { type: 'snooze', at, until: at + a.ahead };
    case 'stop':
      return { type: 'stop', at, status: a.status, reason: 'inbound' };
    default:
      return { type: a.kind, at };
  }
}

/** Whether the event is allowed in this state, as the rules say (independent of the implementation). */
function allowed(s: EnrollmentState, e: EnrollmentEvent): boolean {
  const live = s.status === 'active' || s.status === 'paused' || s.status === 'snoozed';
  if (!live) return false;
  if (e.type === 'pause') return s.status !== 'paused';
  if (e.type === 'resume') return s.status !== 'active';
  if (e.type === 'snooze') return e.until > e.at;
  return true;
}

function checkInvariants(s: EnrollmentState, steps: readonly CadenceStep[]): void {
  // One due step at most: a single stepIndex/dueAt, null exactly when the enrollment is over.
  expect(Number.isInteger(s.stepIndex)).toBe(true);
  expect(s.stepIndex).toBeGreaterThanOrEqual(0);
  expect(s.stepIndex).toBeLessThanOrEqual(steps.length);
  expect(s.dueAt === null).toBe(!isLive(s));
  expect(s.endedAt === null).toBe(isLive(s));
  if (isLive(s)) {
    expect(s.stepIndex).toBeLessThan(steps.length);
    expect(Number.isFinite(s.dueAt)).toBe(true);
  }
}

describe('enrollment state machine properties', () => {
  it('keeps its invariants under any sequence of events', () => {
    fc.assert(
      fc.property(scenarioArb, ({ zone, steps, start, actions }) => {
        const clock = clockFor(defaultScheduleRules(zone));
        let state = startEnrollment(start, steps, clock);
        checkInvariants(state, steps);
        expect(state.dueAt!).toBeGreaterThanOrEqual(start);
        let t = start;
        let touches = 0;
        for (const [action, gap] of actions) {
          t += gap;
          const event = toEvent(action, t);
          const before = structuredClone(state);
          const frozen = Object.freeze({ ...state });
          let next: EnrollmentState;
          try {
            next = applyEvent(frozen, event, steps, clock);
          } catch (err) {
            // Invalid transitions throw EnrollmentError, are the ones the rules forbid, and leave the state as it was.
            expect(err).toBeInstanceOf(EnrollmentError);
            expect(allowed(state, event)).toBe(false);
            expect(state).toEqual(before);
            continue;
          }
          expect(allowed(state, event)).toBe(true);
          expect(state).toEqual(before);
          checkInvariants(next, steps);
          // Scheduling never goes backwards in time.
          if (next.dueAt !== null) expect(next.dueAt).toBeGreaterThanOrEqual(t);
          if (event.type === 'touch') {
            touches++;
            expect(next.touches).toBe(touches);
            expect(next.lastTouchAt).toBe(t);
            if (TERMINAL_OUTCOMES.has(event.outcome)) {
              expect(isLive(next)).toBe(false);
              expect(next.dueAt).toBeNull();
              expect(next.endedAt).toBe(t);
            } else if (next.dueAt !== null) {
              expect(next.stepIndex).toBe(state.stepIndex + 1);
              // The next step lands in its channel's window on a business day, in the prospect's zone.
              if (next.status !== 'paused') expect(isInWindow(next.dueAt, steps[next.stepIndex]!.channel, defaultScheduleRules(zone))).toBe(true);
            } else {
              expect(next.status).toBe('finished');
              expect(next.stepIndex).toBe(steps.length);
            }
          } else {
            expect(next.touches).toBe(state.touches);
            if (event.type !== 'stop' && event.type !== 'unenroll') expect(next.stepIndex).toBe(state.stepIndex);
          }
          if (!isLive(next)) expect(next.endedAt).toBe(t);
          if (event.type === 'snooze') expect(next.dueAt!).toBeGreaterThanOrEqual(event.until);
          state = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('an ended enrollment refuses every event and stays as it is', () => {
    fc.assert(
      fc.property(scenarioArb, actionArb, fc.integer({ min: 0, max: DAY_MS }), ({ zone, steps, start }, action, gap) => {
        const clock = clockFor(defaultScheduleRules(zone));
        const ended = applyEvent(startEnrollment(start, steps, clock), { type: 'touch', at: start, outcome: 'replied' }, steps, clock);
        const copy = structuredClone(ended);
        expect(() => applyEvent(ended, toEvent(action, start + gap), steps, clock)).toThrow(EnrollmentError);
        expect(ended).toEqual(copy);
      }),
      { numRuns: 200 },
    );
  });
});
