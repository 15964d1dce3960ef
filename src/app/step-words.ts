// The rep's words for a step that needs them: a fill-in slot ([[insight about their market]]) or a
// variable missing for this prospect ({{company}}), written for this prospect or once for every
// prospect of the cadence step. Filled, the step can go out (by hand, or on schedule if automatic).
import { namedVariables, slotKey, slotsIn, variableKey } from '../core/template-words.ts';
import { TallyError } from '../core/errors.ts';
import type { CadenceStep } from '../core/types.ts';
import type { Context } from './context.ts';
import type { Enrollment, Prospect } from './ports/records.ts';
import { findProspect } from './prospects.ts';

export interface FillInput {
  /** The slot as written ("insight about their market", with or without [[ ]]) or a variable ("{{company}}"). */
  slot: string;
  text: string;
  /** true: the words serve every prospect of this cadence step; false: this prospect only. */
  forCadence?: boolean;
}

export interface FillResult {
  prospectId: number;
  enrollmentId: number;
  step: number;
  stepName: string;
  slot: string;
  scope: 'prospect' | 'cadence';
}

/** The live enrollment of a prospect and the step it is on. */
export async function currentStep(ctx: Context, ref: string | number): Promise<{ prospect: Prospect; enrollment: Enrollment; step: CadenceStep }> {
  const prospect = await findProspect(ctx, ref);
  const enrollment = await ctx.store.enrollments.live(prospect.id);
  if (!enrollment) throw new TallyError(`${prospect.email} is not in a cadence (enroll them first)`, 'conflict');
  const step = (await ctx.store.cadences.stepsOf(enrollment.cadence_version_id))[enrollment.step_index];
  if (!step) throw new TallyError(`${prospect.email} has finished their cadence: no step to fill in`, 'conflict');
  return { prospect, enrollment, step };
}

/** What a fill is stored under, after checking the step has such a slot or variable. */
function fillKey(step: CadenceStep, stepLabel: string, written: string): string {
  const sources = [step.subject ?? '', step.template ?? ''];
  const variable = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(written.trim());
  if (variable) {
    if (!sources.some((s) => namedVariables(s).includes(variable[1]!))) throw new TallyError(`${stepLabel} does not use {{${variable[1]}}}`, 'invalid', { field: 'slot' });
    return variableKey(variable[1]!);
  }
  const key = slotKey(written.trim().replace(/^\[\[|\]\]$/g, ''));
  const slots = sources.flatMap(slotsIn);
  if (!slots.some((s) => slotKey(s) === key)) {
    const has = slots.length ? `its slots: ${slots.map((s) => `[[${s}]]`).join(', ')}` : 'it has no fill-in slots';
    throw new TallyError(`${stepLabel} has no slot [[${written.trim().replace(/^\[\[|\]\]$/g, '')}]] (${has})`, 'invalid', { field: 'slot' });
  }
  return key;
}

/** Saves the rep's words for a slot of the prospect's current step. */
export async function fillSlot(ctx: Context, ref: string | number, input: FillInput): Promise<FillResult> {
  const { prospect, enrollment, step } = await currentStep(ctx, ref);
  const stepLabel = `step ${enrollment.step_index + 1} (${step.name})`;
  const text = input.text.replace(/\r\n/g, '\n').trim();
  if (!text) throw new TallyError('the words for the slot must not be empty', 'invalid', { field: 'text' });
  if (text.length > 2000) throw new TallyError('the words for a slot must be at most 2000 characters', 'invalid', { field: 'text' });
  if (/\[\[|\{\{/.test(text)) throw new TallyError('the words for a slot are sent as written: they cannot contain [[ or {{', 'invalid', { field: 'text' });
  const slot = fillKey(step, stepLabel, input.slot);
  await ctx.store.transaction((tx) =>
    tx.slotFills.put({
      workspace_id: ctx.workspace.id,
      cadence_id: enrollment.cadence_id,
      step_index: enrollment.step_index,
      slot,
      prospect_id: input.forCadence ? null : prospect.id,
      text,
      created_by: ctx.user.id,
      created_at: ctx.now(),
    }),
  );
  return { prospectId: prospect.id, enrollmentId: enrollment.id, step: enrollment.step_index + 1, stepName: step.name, slot, scope: input.forCadence ? 'cadence' : 'prospect' };
}
