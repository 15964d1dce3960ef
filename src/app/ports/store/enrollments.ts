// Enrollments: a prospect's place in a cadence.
import type { Enrollment, EnrollmentHold } from '../records.ts';

export type NewEnrollment = Omit<Enrollment, 'id' | 'nurture'>;
export type EnrollmentChange = Partial<Omit<Enrollment, 'id' | 'workspace_id' | 'prospect_id'>>;

/** What the scheduler tick records for an enrollment: its hold, or null for none. */
export interface HoldChange {
  enrollmentId: number;
  workspaceId: number;
  hold: Pick<EnrollmentHold, 'held_until' | 'held_rules'> | null;
}

export interface EnrollmentHistoryRow {
  id: number;
  cadence: string;
  version: number;
  status: Enrollment['status'];
  reason: string | null;
  step_index: number;
  due_at: number | null;
  started_at: number;
  ended_at: number | null;
  /** The name of the step the enrollment is at (null once past the last). */
  next_step: string | null;
  steps: number;
}

export interface EnrollmentQueries {
  /** The prospect's live enrollment (the newest, should there be more). */
  live(prospectId: number): Promise<Enrollment | undefined>;
  liveOf(prospectIds: number[]): Promise<Enrollment[]>;
  /** When the owner's oldest live enrollment started, null when they have none. */
  oldestLiveStart(ownerId: number): Promise<number | null>;
  /** prospect id → the name of the cadence they are live in. */
  liveCadenceNames(prospectIds: number[]): Promise<Map<number, string>>;
  // These writes queue the enrollments for the scheduler's next tick in their own transaction
  // (status, step, due time or cadence version set: see ./scheduler.ts).
  insert(rows: NewEnrollment[]): Promise<{ id: number; prospect_id: number; due_at: number | null }[]>;
  update(id: number, set: EnrollmentChange): Promise<void>;
  /** Changes every live enrollment of the prospect (an opt-out stops them all). */
  updateLive(prospectId: number, set: EnrollmentChange): Promise<void>;
  setPriority(prospectId: number, priority: number): Promise<void>;
  /** Holds from the scheduler tick, set or lifted, in bulk (inside a transaction). */
  writeHolds(changes: HoldChange[]): Promise<void>;
  /** Snoozes that are over become active again: only those still snoozed and due by `now` (a rep may have changed them since the tick read them). */
  wake(ids: number[], now: number): Promise<void>;
  /** Every enrollment of the prospect with its cadence, version and current step, oldest first. */
  history(prospectId: number): Promise<EnrollmentHistoryRow[]>;
  /** Every enrollment of the workspace with its cadence name, in id order (the export picks one per prospect). */
  listWithCadence(workspaceId: number): Promise<{ prospect_id: number; cadence: string; status: Enrollment['status']; due_at: number | null }[]>;
}
