// The dates a cadence would produce for a sample prospect: the state machine run forward with
// every touch made the moment it is due and answered by nobody, under the workspace's rules.
import { applyEvent, startEnrollment } from '../core/enrollment.ts';
import type { CadenceDefinition, Channel } from '../core/types.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import { rulesCache, type Context } from './context.ts';
import { clockFor } from './enrollments.ts';
import { TallyError } from '../core/errors.ts';

export interface PreviewStep {
  step: number;
  name: string;
  channel: Channel;
  dueAt: number;
  /** Whole calendar days from the start. */
  dayOffset: number;
}

export interface CadencePreview {
  timezone: string;
  start: number;
  steps: PreviewStep[];
}

export function previewCadence(ctx: Context, def: CadenceDefinition, opts: { timezone?: string; start?: number } = {}): CadencePreview {
  const timezone = opts.timezone ?? ctx.workspace.timezone;
  if (!isValidTimeZone(timezone)) throw new TallyError(`unknown time zone "${timezone}" (use an IANA name such as Europe/Paris)`, 'invalid', { field: 'timezone' });
  const start = opts.start ?? ctx.now();
  const clock = clockFor(rulesCache(ctx)(timezone));
  const steps: PreviewStep[] = [];
  let state = startEnrollment(start, def.steps, clock);
  while (state.dueAt !== null) {
    const step = def.steps[state.stepIndex]!;
    steps.push({ step: state.stepIndex + 1, name: step.name, channel: step.channel, dueAt: state.dueAt, dayOffset: Math.floor((state.dueAt - start) / 86_400_000) });
    state = applyEvent(state, { type: 'touch', at: state.dueAt, outcome: 'no_answer' }, def.steps, clock);
  }
  return { timezone, start, steps };
}
