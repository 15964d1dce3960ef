// Inbound messages waiting for the rep (needs a look, replies and meetings to confirm), their
// decisions, and the notices of the company-wide stop.
import type { ReviewKind } from '../../../core/inbound/review-choices.ts';
import type { InboundMessage, InboundNotice, Prospect } from '../records.ts';

/** A waiting or decided message with its prospect, as the rep reads it. */
export interface ReviewRow {
  message: InboundMessage;
  prospect: { id: number; name: string; email: string; company: string | null; ownerId: number };
}

export interface ReviewQueries {
  /**
   * Messages waiting for the rep, newest first: needs-a-look ones until decided; replies and
   * meetings until confirmed, or until a touch is logged on the prospect after the message was read.
   */
  waiting(filter: { workspaceId: number; ownerId?: number; limit: number }): Promise<ReviewRow[]>;
  one(workspaceId: number, id: number): Promise<ReviewRow | undefined>;
  /** Stores the decision on a message still waiting; false when someone decided it first. */
  decide(id: number, d: { decision: string; by: number; at: number; action?: string; detail?: string; enrollmentId?: number | null }): Promise<boolean>;
  /** Decided messages (labelled data), oldest first. */
  decided(filter: { workspaceId: number; ownerId?: number }): Promise<ReviewRow[]>;
  /** The other prospects of the company with a cadence running (active or snoozed). */
  colleaguesRunning(workspaceId: number, companyId: number, exceptProspectId: number): Promise<Prospect[]>;
  addNotice(n: Omit<InboundNotice, 'id' | 'seen_at'>): Promise<void>;
  /** Notices not yet seen, newest first, with the paused prospect's name. */
  notices(filter: { workspaceId: number; userId?: number; limit: number }): Promise<(InboundNotice & { prospect_name: string })[]>;
  /** false when the notice is not this user's (or a manager's: any user) or was seen. */
  seeNotice(workspaceId: number, id: number, userId: number | undefined, at: number): Promise<boolean>;
}

export type { ReviewKind };
