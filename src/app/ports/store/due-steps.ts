// "The due step with its prospect": the live enrollments whose next touch is due, joined to the
// prospect, the step and the company. One query serves the queue, the sender, the planner, the
// scheduler tick and the demo; each asks only for the parts it shows (the tick and the planner read
// hundreds of thousands of rows, so unneeded text is never materialised).
import type { Channel, EnrollmentStatus, SendingMode } from '../../../core/types.ts';

/** What keeps a prospect from being contacted, read from their record. */
export interface ContactFlags {
  optedOut: boolean;
  doNotContact: boolean;
  emailBad: boolean;
}

export interface DueFilter {
  workspaceId?: number;
  ownerId?: number;
  /** Default: the due statuses (active, snoozed). */
  statuses?: readonly EnrollmentStatus[];
  /** due_at ≤ this. */
  dueBy?: number;
  /** due_at < this. */
  dueBefore?: number;
  enrollmentIds?: number[];
  /**
   * Only the queue's page, picked from the queue index alone, and in queue order: overdue first
   * (hottest first among them), then by due time. One statement with the details of just those.
   */
  queue?: QueuePage;
  /** Only steps on this channel. */
  channel?: Channel;
  /** Only steps not yet rendered into the outbox (the sender's idempotency key). */
  notInOutbox?: boolean;
  /** 'due': due time then id; 'send': due time, hottest first, then id; none: any order. */
  order?: 'due' | 'send' | 'id';
  limit?: number;
}

export interface DueParts {
  /** Phone, title, custom fields (JSON text) of the prospect. */
  contact?: boolean;
  /** What the step says: value line, talking points, subject, template, threading, playbook references. */
  content?: boolean;
  /** The cadence's name, its number of steps and the prospect's touches so far. */
  counts?: boolean;
  /** The touch times the guardrails need: the prospect's since `since`, their company's since `companySince`. */
  history?: { since: number; companySince: number };
  /** What drafting the step's email reads besides its content: the rep's words for its slots, and how many of it the owner sent by hand. */
  drafting?: boolean;
}

export interface DueStepBase {
  enrollmentId: number;
  prospectId: number;
  ownerId: number;
  status: EnrollmentStatus;
  stepIndex: number;
  dueAt: number;
  priority: number;
  cadenceVersionId: number;
  cadenceId: number;
  prospect: { name: string; email: string; first_name: string | null; last_name: string | null; timezone: string | null; companyId: number | null; flags: ContactFlags };
  company: string | null;
  step: { name: string; channel: Channel };
}

export interface DueContact {
  phone: string | null;
  /** The LinkedIn profile the LinkedIn channel's links open. */
  linkedinUrl: string | null;
  title: string | null;
  /** JSON object of custom fields. */
  custom: string;
}

export interface DueContent {
  reason: string;
  talkingPoints: string[];
  subject: string | null;
  template: string | null;
  newThread: boolean;
  sending: SendingMode | null;
  /** The email steps before this one in its cadence version (whether it is one of the first, reviewed by default). */
  emailStepsBefore: number;
  valueItemKey: string | null;
  objections: string[];
  objectionTags: string[];
}

export interface DueCounts {
  cadence: string;
  steps: number;
  touches: number;
}

export interface DueHistory {
  /** Times of touches to the prospect, and to anyone at their company (empty without one). */
  prospect: number[];
  company: number[];
}

export interface DueDrafting {
  /** The rep's words per slot: the step's (for every prospect), overridden by this prospect's. */
  fills: ReadonlyMap<string, string>;
  /** Mails of this cadence step the enrollment's owner sent by hand (whether the step still waits for review). */
  handSent: number;
}

export type DueStep<P extends DueParts = DueParts> = DueStepBase &
  (P['contact'] extends true ? { contact: DueContact } : unknown) &
  (P['content'] extends true ? { content: DueContent } : unknown) &
  (P['counts'] extends true ? { counts: DueCounts } : unknown) &
  (P['history'] extends object ? { history: DueHistory } : unknown) &
  (P['drafting'] extends true ? { drafting: DueDrafting } : unknown);

/** What the scheduler tick reads per live enrollment: numbers and short codes only. */
export interface TickRow {
  enrollmentId: number;
  prospectId: number;
  status: EnrollmentStatus;
  stepIndex: number;
  dueAt: number;
  cadenceVersionId: number;
  heldUntil: number | null;
  heldRules: string | null;
  timezone: string | null;
  companyId: number | null;
  flags: ContactFlags;
}

/** A tick row with what its guardrails need, read in the same statement (see TickHistory). */
export interface TickRowWithHistory extends TickRow {
  /** Times of touches to the prospect since `since`, and to anyone at their company since `companySince`. */
  touches: readonly number[];
  companyTouches: readonly number[];
}

/** The touch history a tick row carries: since when, for the person and for their company. */
export interface TickHistory {
  since: number;
  companySince: number;
}

/** A finished enrollment awaiting a nurture decision, with what the proposal depends on. */
export interface NurtureCandidate {
  enrollmentId: number;
  prospectId: number;
  status: EnrollmentStatus;
  stepIndex: number;
  touches: number;
  endedAt: number;
  followsEnrollmentId: number | null;
  cadence: string;
  name: string;
  timezone: string | null;
  flags: ContactFlags;
  /** The prospect is in another live cadence already. */
  hasLive: boolean;
  /** A nurture already follows this enrollment. */
  followed: boolean;
  /** The prospect ever replied (or booked a meeting). */
  replied: boolean;
}

/** A slice of the due-time index: due_at in (dueAbove, dueBy], after the keyset `after` (due time, then id). */
export interface DueRange {
  dueAbove?: number;
  dueBy: number;
  after?: { dueAt: number; id: number };
}

/** What changed since the last tick: these enrollments, every enrollment of these prospects, of everyone at these companies. */
export interface TickTargets {
  enrollmentIds: number[];
  prospectIds: number[];
  companyIds: number[];
}

/** Whose queue: one rep's (read from the queue index alone) or a workspace's. */
export type QueueScope = { ownerId: number } | { workspaceId: number };

/** A page of the queue: due by `until`, overdue at `now`. */
export interface QueuePage {
  scope: QueueScope;
  until: number;
  now: number;
  limit: number;
}

export interface DueStepQueries {
  steps<P extends DueParts>(filter: DueFilter, parts: P): Promise<DueStep<P>[]>;
  /** A batch of the workspace's due enrollments in a range of due times, read through the due-time index, in (due time, id) order. */
  tickRange(workspaceId: number, range: DueRange, limit: number): Promise<TickRow[]>;
  /**
   * The same rows with their touch history (one statement per batch), handed to `each` one by one as
   * they are read (a tick row the tick has checked is garbage at once).
   */
  eachTickRow(workspaceId: number, range: DueRange, limit: number, history: TickHistory, each: (row: TickRowWithHistory) => void): Promise<void>;
  /** The targets' due enrollments the tick must look at again: those due in (dueAbove, dueBy]. */
  tickTargets(workspaceId: number, targets: TickTargets, window: { dueAbove: number; dueBy: number }, history: TickHistory): Promise<TickRowWithHistory[]>;
  /** Enrollments still carrying a hold that are no longer due by `dueBy` (paused, finished, moved past the horizon): their holds go. */
  strayHolds(workspaceId: number, dueBy: number): Promise<number[]>;

  /** How many touches are due by `until`, and how many of them are overdue at `now`. */
  /** With the data version of `workspaceId` (migration 031), so what the queue keeps between calls is checked in the same round trip. */
  /**
   * And which cadence versions are the workspace's current ones (`cadences`: their ids and creation
   * times as text, equal only for the same versions), for what is kept from their definitions.
   */
  queueCounts(scope: QueueScope, until: number, now: number, workspaceId: number): Promise<{ total: number; overdue: number; dataVersion: number; cadences: string }>;
  /** Finished enrollments with no nurture decision yet, oldest end first. */
  nurtureCandidates(filter: { workspaceId: number; ownerId?: number; enrollmentIds?: number[] }): Promise<NurtureCandidate[]>;
  /** Due enrollments in the whole database or a workspace (progress bars, metrics). */
  count(filter: { workspaceId?: number; dueBy?: number }): Promise<number>;
}
