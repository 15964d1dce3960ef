// Never give up too early: most deals need more touches than reps make. When a cadence runs out
// with no reply, propose a slower follow-on cadence instead of silently dropping the prospect.
import type { CadenceDefinition, EnrollmentStatus } from './types.ts';
import type { ScheduleRules } from './schedule.ts';
import { addBusinessDays } from './schedule.ts';

export interface FinishedEnrollmentSummary {
  prospectName: string;
  cadenceName: string;
  status: EnrollmentStatus;
  /** Index of the next step; ≥ the cadence's step count once every step was done. */
  stepIndex: number;
  touches: number;
  endedAt: number;
  /** The prospect replied anywhere (any enrollment, any channel). */
  replied: boolean;
  /** Opted out or marked do not contact. */
  optedOut: boolean;
  /** This enrollment was a nurture, or the prospect already has one after it. */
  alreadyNurtured: boolean;
  /** The prospect's schedule rules, to count the business days before the nurture starts. */
  rules: ScheduleRules;
}

export interface NurtureOptions {
  /** Nurture cadence when the finished one names none. */
  defaultNurture?: string | null;
  /** Business days between the end and the nurture's start; default 10. */
  startAfterBusinessDays?: number;
}

export type NurtureDecision =
  | { propose: true; cadence: string; startAt: number; message: string }
  | {
      propose: false;
      reason: 'replied' | 'opted_out' | 'already_nurtured' | 'not_complete' | 'no_nurture_cadence';
      message: string;
    };

export const DEFAULT_NURTURE_START_BUSINESS_DAYS = 10;

/** The nurture proposal for a finished enrollment, or why there is none. */
export function proposeNurture(
  summary: FinishedEnrollmentSummary,
  cadences: readonly CadenceDefinition[],
  options: NurtureOptions = {},
): NurtureDecision {
  const name = summary.prospectName;
  if (summary.replied || summary.status === 'replied') {
    return { propose: false, reason: 'replied', message: `${name} replied: no nurture needed` };
  }
  if (summary.optedOut || summary.status === 'opted_out') {
    return { propose: false, reason: 'opted_out', message: `${name} opted out: never nurture` };
  }
  if (summary.alreadyNurtured) {
    return { propose: false, reason: 'already_nurtured', message: `${name} is already in a nurture cadence` };
  }
  const finished = cadences.find((c) => c.name === summary.cadenceName);
  // Only a cadence that ran every step ends "with no reply": not interested, wrong person,
  // unenrolled and bounced are decisions, not silence.
  const complete = summary.status === 'finished' && finished !== undefined && summary.stepIndex >= finished.steps.length;
  if (!complete) {
    return {
      propose: false,
      reason: 'not_complete',
      message: `${name}'s enrollment in ${summary.cadenceName} ended before its last step (${summary.status}): no nurture`,
    };
  }
  const target = finished.nurture ?? options.defaultNurture ?? null;
  const nurture = target === null ? undefined : cadences.find((c) => c.name === target && c.steps.length > 0);
  if (nurture === undefined) {
    return {
      propose: false,
      reason: 'no_nurture_cadence',
      message:
        target === null
          ? `${summary.cadenceName} names no nurture cadence and the workspace has no default: ${name} would be dropped`
          : `nurture cadence "${target}" does not exist: ${name} would be dropped`,
    };
  }
  const days = options.startAfterBusinessDays ?? DEFAULT_NURTURE_START_BUSINESS_DAYS;
  const startAt = addBusinessDays(summary.endedAt, days, summary.rules);
  const touches = `${summary.touches} ${summary.touches === 1 ? 'touch' : 'touches'}`;
  return {
    propose: true,
    cadence: nurture.name,
    startAt,
    message: `${name} finished ${summary.cadenceName} after ${touches} with no reply: move them to ${nurture.name} in ${days} business days instead of dropping them`,
  };
}

// Counting prospects dropped too early lives with the other metrics: see metrics.ts (droppedBeforeFive).
