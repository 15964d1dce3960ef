// Prospects as a rep manages them one by one (issue 18): erasure with its tombstones, the company
// view, what a bulk enroll must leave out, and the bulk changes kept for their undo window.
import type { BulkAction, BulkChange, EmailStatus, Enrollment } from '../records.ts';
import type { EnrollmentStatus, Outcome } from '../../../core/types.ts';

/** What an erasure removed, by table, for the reply and the log (never the data itself). */
export type ErasedCounts = Record<string, number>;

/** A person at a company, with their latest enrollment and last touch. */
export interface CompanyPerson {
  id: number;
  name: string;
  email: string;
  title: string | null;
  owner: { id: number; name: string };
  status: EnrollmentStatus | null;
  reason: string | null;
  cadence: string | null;
  dueAt: number | null;
  lastTouchAt: number | null;
  optedOut: boolean;
  emailStatus: EmailStatus;
}

/** The latest answer of each kind a prospect gave since a given time (replied, meeting booked, not interested). */
export interface RecentAnswer {
  prospectId: number;
  outcome: Outcome;
  at: number;
}

export type NewBulkChange = Omit<BulkChange, 'id' | 'undone_at'>;

export interface RecordQueries {
  /** Deletes the prospect and everything that names them, in the caller's transaction; counts per table. */
  erase(workspaceId: number, prospectId: number): Promise<ErasedCounts>;
  eraseSalt(workspaceId: number): Promise<string | null>;
  setEraseSalt(workspaceId: number, salt: string): Promise<void>;
  addTombstone(workspaceId: number, emailHash: string, at: number): Promise<void>;
  /** Of these hashes, the ones erased on request. */
  tombstones(workspaceId: number, emailHashes: string[]): Promise<Set<string>>;
  /** The company of that name key, if the workspace has one. */
  companyByKey(workspaceId: number, nameKey: string): Promise<number | undefined>;
  company(workspaceId: number, companyId: number): Promise<{ id: number; name: string; domain: string | null } | undefined>;
  /** `ownerId`: only that owner's people (a rep sees their own). */
  companyPeople(workspaceId: number, companyId: number, ownerId?: number): Promise<CompanyPerson[]>;
  /** Replies, meetings and "not interested" logged since `since` for these prospects. */
  recentAnswers(prospectIds: number[], outcomes: readonly Outcome[], since: number): Promise<RecentAnswer[]>;
  addBulkChange(c: NewBulkChange): Promise<number>;
  bulkChange(workspaceId: number, id: number): Promise<BulkChange | undefined>;
  markBulkUndone(id: number, at: number): Promise<void>;
  /** Removes enrollments a bulk enroll made (never touched): their queued mail, threads and scheduler events too. */
  removeEnrollments(ids: number[]): Promise<void>;
  enrollments(ids: number[]): Promise<Enrollment[]>;
  /** Of these enrollments, the ones with a touch logged or a mail sent. */
  worked(ids: number[]): Promise<Set<number>>;
}

export type { BulkAction };
