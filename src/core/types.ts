// The words of the domain (see ../shared/README.md). Pure data: no IO, no classes.
// Times are UTC epoch milliseconds; time zones are IANA names.

import type { Channel } from './channels/driver.ts';

/** A channel id (email, call, linkedin, sms, task, or a registered driver's): see core/channels. */
export type { Channel };
/** Outcomes of a touch, listed once with what they mean: see core/outcomes.ts. */
export type { Outcome } from './outcomes.ts';

/** What a playbook value item is: the kinds of material a touch can offer. */
export const VALUE_ITEM_KINDS = ['case_study', 'insight', 'link', 'other'] as const;
export type ValueItemKind = (typeof VALUE_ITEM_KINDS)[number];

export const ENROLLMENT_STATUSES = ['active', 'paused', 'snoozed', 'finished', 'replied', 'bounced', 'opted_out'] as const;
export type EnrollmentStatus = (typeof ENROLLMENT_STATUSES)[number];

/** Statuses in which the enrollment still has a next touch planned. */
export const LIVE_STATUS_LIST = ['active', 'paused', 'snoozed'] as const satisfies readonly EnrollmentStatus[];
export const LIVE_STATUSES: ReadonlySet<EnrollmentStatus> = new Set<EnrollmentStatus>(LIVE_STATUS_LIST);

/** Live statuses whose next touch can be due and worked now (a paused enrollment waits to be resumed). */
export const DUE_STATUSES = ['active', 'snoozed'] as const satisfies readonly EnrollmentStatus[];

export const SENDING_MODES = ['automatic', 'manual'] as const;
export type SendingMode = (typeof SENDING_MODES)[number];

/** Whether mail to a prospect's address can be delivered ('bad': it bounced hard). */
export const EMAIL_STATUSES = ['ok', 'bad'] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

export const DELAY_UNITS = ['business_days', 'hours'] as const;
export type DelayUnit = (typeof DELAY_UNITS)[number];
export interface Delay {
  amount: number;
  unit: DelayUnit;
}

export interface CadenceStep {
  channel: Channel;
  /** Delay after the previous touch (for the first step: after enrollment). */
  delay: Delay;
  /** Short label shown in the queue, e.g. "Case study email". */
  name: string;
  subject?: string;
  template?: string;
  /**
   * Why this touch helps the prospect: the reason to reach out, a note for the rep (queue, digest).
   * Never rendered into anything the prospect sees; prospect-facing content comes from the playbook
   * value item the step names (valueItemKey).
   */
  reason: string;
  talkingPoints: string[];
  /** Email only: start a new thread instead of replying under the first message. */
  newThread?: boolean;
  /** Email only: sent by the sender on schedule, or held for the rep to review and send. Unset: see core/step-sending.ts. */
  sending?: SendingMode;
  /** Playbook references (see core/playbook.ts): a value item by key, objections by key or by tag. */
  valueItemKey?: string;
  objections?: string[];
  objectionTags?: string[];
}

export interface CadenceDefinition {
  name: string;
  description?: string;
  steps: CadenceStep[];
  /** Name of a slower follow-on cadence proposed when this one ends with no reply. */
  nurture?: string;
}

export interface EnrollmentState {
  status: EnrollmentStatus;
  /** Index of the next step to do (equal to steps.length once the cadence is done). */
  stepIndex: number;
  /** When the next step is due; null when the enrollment is over. */
  dueAt: number | null;
  /** Why the enrollment is in its status (e.g. "replied", "snoozed: out of office"). */
  reason: string | null;
  touches: number;
  lastTouchAt: number | null;
  startedAt: number;
  endedAt: number | null;
}
