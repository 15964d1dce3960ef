// The enrollment state machine: one prospect in one cadence.
// Logging a touch schedules the next step by itself; there is no task to tick.
import type { CadenceStep, EnrollmentState, EnrollmentStatus, Outcome } from './types.ts';
import { LIVE_STATUSES } from './types.ts';
import { outcomeInfo } from './outcomes.ts';

/** Turns a step into a due instant; the adapter builds it from the prospect's schedule rules. */
export interface StepClock {
  /** When `step` is due if the previous touch happened at `from` (applies the step's delay). */
  due(from: number, step: CadenceStep): number;
  /** The earliest instant ≥ `at` at which `step` may be done (no delay, only windows). */
  place(at: number, step: CadenceStep): number;
}

export type EnrollmentEvent =
  | { type: 'touch'; at: number; outcome: Outcome }
  | { type: 'pause'; at: number; reason?: string }
  | { type: 'resume'; at: number }
  /** `keepRemaining`: the step keeps the delay it still had left, counted from `until` (an out-of-office). */
  | { type: 'snooze'; at: number; until: number; reason?: string; keepRemaining?: boolean }
  | { type: 'unenroll'; at: number; reason?: string }
  /** Something outside the rep's touches ended it: an inbound reply, a bounce, an opt-out. */
  | { type: 'stop'; at: number; status: 'replied' | 'bounced' | 'opted_out' | 'finished'; reason: string };

export class EnrollmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnrollmentError';
  }
}

export function isLive(state: Pick<EnrollmentState, 'status'>): boolean {
  return LIVE_STATUSES.has(state.status);
}

export function startEnrollment(at: number, steps: readonly CadenceStep[], clock: StepClock): EnrollmentState {
  const first = steps[0];
  if (!first) throw new EnrollmentError('a cadence needs at least one step');
  return {
    status: 'active',
    stepIndex: 0,
    dueAt: Math.max(at, clock.due(at, first)),
    reason: null,
    touches: 0,
    lastTouchAt: null,
    startedAt: at,
    endedAt: null,
  };
}

function end(state: EnrollmentState, at: number, status: EnrollmentStatus, reason: string): EnrollmentState {
  return { ...state, status, reason, dueAt: null, endedAt: at };
}

function requireLive(state: EnrollmentState, action: string): void {
  if (!isLive(state)) throw new EnrollmentError(`cannot ${action}: the enrollment is ${state.status}${state.reason ? ` (${state.reason})` : ''}`);
}

function currentStep(state: EnrollmentState, steps: readonly CadenceStep[]): CadenceStep {
  const step = steps[state.stepIndex];
  if (!step) throw new EnrollmentError(`enrollment points past the last step (${state.stepIndex} of ${steps.length})`);
  return step;
}

function touch(state: EnrollmentState, at: number, outcome: Outcome, steps: readonly CadenceStep[], clock: StepClock): EnrollmentState {
  requireLive(state, 'log a touch');
  const touched = { ...state, touches: state.touches + 1, lastTouchAt: at };
  // Where a terminal outcome leaves the enrollment, and the reason shown to the rep (core/outcomes.ts).
  const terminal = outcomeInfo(outcome).ends;
  if (terminal) return end(touched, at, terminal.status, terminal.reason);
  const nextIndex = state.stepIndex + 1;
  const next = steps[nextIndex];
  if (!next) {
    return end({ ...touched, stepIndex: nextIndex }, at, 'finished', `cadence complete: no reply after ${touched.touches} touches`);
  }
  // A touch ends a snooze; a pause stays until the rep resumes.
  const status: EnrollmentStatus = state.status === 'paused' ? 'paused' : 'active';
  return { ...touched, status, reason: status === 'paused' ? state.reason : null, stepIndex: nextIndex, dueAt: Math.max(at, clock.due(at, next)) };
}

/** Applies one event. Throws EnrollmentError when the event makes no sense in the current state. */
export function applyEvent(
  state: EnrollmentState,
  event: EnrollmentEvent,
  steps: readonly CadenceStep[],
  clock: StepClock,
): EnrollmentState {
  switch (event.type) {
    case 'touch':
      return touch(state, event.at, event.outcome, steps, clock);
    case 'pause':
      requireLive(state, 'pause');
      if (state.status === 'paused') throw new EnrollmentError('the enrollment is already paused');
      // An overdue step is due again from the pause on: nothing is ever scheduled in the past.
      return { ...state, status: 'paused', reason: event.reason ?? 'paused by rep', dueAt: Math.max(state.dueAt ?? event.at, event.at) };
    case 'resume': {
      requireLive(state, 'resume');
      if (state.status === 'active') throw new EnrollmentError('the enrollment is not paused or snoozed');
      const step = currentStep(state, steps);
      const due = state.dueAt !== null && state.dueAt > event.at ? state.dueAt : clock.place(event.at, step);
      return { ...state, status: 'active', reason: null, dueAt: Math.max(due, event.at) };
    }
    case 'snooze': {
      requireLive(state, 'snooze');
      if (!(event.until > event.at)) throw new EnrollmentError('snooze needs a date in the future');
      const step = currentStep(state, steps);
      const left = event.keepRemaining && state.dueAt !== null ? Math.max(0, state.dueAt - event.at) : 0;
      const due = Math.max(clock.place(event.until + left, step), state.dueAt ?? 0, event.at);
      return { ...state, status: 'snoozed', reason: event.reason ?? 'snoozed by rep', dueAt: due };
    }
    case 'unenroll':
      requireLive(state, 'unenroll');
      return end(state, event.at, 'finished', event.reason ?? 'unenrolled');
    case 'stop':
      requireLive(state, 'stop');
      return end(state, event.at, event.status, event.reason);
  }
}
