// What the cadence editor flags in a step's prospect-facing fields (subject and body): fill-in slots
// still to write, the step's own reason or talking points (notes for the rep) copied into the mail,
// and template problems. Pure: the editor, the CLI and the save check share it.
import { slotsIn, templateProblems } from './template-words.ts';
import type { CadenceStep } from './types.ts';

export interface CopyWarning {
  field: 'subject' | 'template';
  kind: 'slot' | 'rep_words' | 'template';
  message: string;
}

/** Rep notes shorter than this are too common to flag when they appear in a mail ("call"). */
const MIN_NOTE = 16;

const fold = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** The warnings on one step's prospect-facing fields, in field order. */
export function copyWarnings(step: Pick<CadenceStep, 'subject' | 'template' | 'reason' | 'talkingPoints'>): CopyWarning[] {
  const warnings: CopyWarning[] = [];
  const notes = [step.reason, ...step.talkingPoints].map((n) => n.trim().replace(/[.!?]+$/, '')).filter((n) => n.length >= MIN_NOTE);
  for (const field of ['subject', 'template'] as const) {
    const source = step[field];
    if (!source) continue;
    for (const message of templateProblems(source)) warnings.push({ field, kind: 'template', message });
    for (const slot of slotsIn(source)) warnings.push({ field, kind: 'slot', message: `[[${slot}]] must be filled in before this step can be sent (per prospect in the queue, or once for the cadence)` });
    const text = fold(source);
    for (const note of notes) {
      if (text.includes(fold(note))) warnings.push({ field, kind: 'rep_words', message: `"${note}" is a note for you (the step's reason or a talking point): the prospect would read it` });
    }
  }
  return warnings;
}
