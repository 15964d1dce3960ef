// Automatic or manual, per email step. A cadence's first email steps are what a prospect judges the
// rep by, so until the rep has sent a few of them by hand (and so read what goes out) they wait in
// the queue for review; a step marked `sending: automatic` or `manual` in the cadence says so itself.
import type { CadenceStep, SendingMode } from './types.ts';

/** How many of a cadence's first email steps wait for review by default. */
export const REVIEWED_FIRST_EMAIL_STEPS = 2;
/** How many of such a step the rep sends by hand before it goes out on its own. */
export const HAND_SENT_BEFORE_AUTOMATIC = 3;

export interface SendingDecision {
  mode: SendingMode;
  /** For the queue, the CLI and the editor: why this step is manual or automatic (they name the mode before it). */
  why: string;
  /** True when the cadence sets the mode on the step; false when it is the default rule. */
  explicit: boolean;
}

/** Whether the step at `index` is one of the cadence's first email steps (reviewed by default). */
export function isFirstEmailStep(steps: readonly Pick<CadenceStep, 'channel'>[], index: number): boolean {
  if (steps[index]?.channel !== 'email') return false;
  let before = 0;
  for (let i = 0; i < index; i++) if (steps[i]!.channel === 'email') before++;
  return before < REVIEWED_FIRST_EMAIL_STEPS;
}

/** The mode a step sends with now, given how many of it this rep has sent by hand. */
export function sendingMode(steps: readonly Pick<CadenceStep, 'channel' | 'sending'>[], index: number, handSent: number): SendingDecision {
  return sendingModeOf(steps[index], isFirstEmailStep(steps, index), handSent);
}

/** Whether a step waits for review by default, from the number of email steps before it (the queue's page reads that count). */
export function firstEmailStepAt(step: Pick<CadenceStep, 'channel'>, emailStepsBefore: number): boolean {
  return step.channel === 'email' && emailStepsBefore < REVIEWED_FIRST_EMAIL_STEPS;
}

/** `sendingMode` for one step, knowing whether it is one of the cadence's first email steps. */
export function sendingModeOf(step: { sending?: CadenceStep['sending'] | null } | undefined, firstEmailStep: boolean, handSent: number): SendingDecision {
  if (step?.sending === 'manual') return { mode: 'manual', why: 'chosen in the cadence', explicit: true };
  if (step?.sending === 'automatic') return { mode: 'automatic', why: 'chosen in the cadence', explicit: true };
  if (!firstEmailStep) return { mode: 'automatic', why: 'a later step of the cadence', explicit: false };
  if (handSent >= HAND_SENT_BEFORE_AUTOMATIC) return { mode: 'automatic', why: `you sent ${handSent} of this step by hand`, explicit: false };
  return {
    mode: 'manual',
    why: `an opening step (${handSent} of ${HAND_SENT_BEFORE_AUTOMATIC} sent by hand before it goes out on its own, or mark it automatic)`,
    explicit: false,
  };
}
