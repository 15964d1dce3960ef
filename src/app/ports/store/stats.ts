// What the follow-up metrics and the dashboard read: facts only; what they mean is the core's.
import type { TouchFact } from '../../../core/metrics.ts';

export interface FollowUpRows {
  prospects: { id: number; owner_id: number }[];
  /** In order per prospect: a reply's position is the number of touches it took. */
  touches: (TouchFact & { ownerId: number })[];
  /** Prospects with a live enrollment. */
  live: Set<number>;
  /** Due times of due enrollments already due at `now`, with their owner. */
  due: { ownerId: number; dueAt: number }[];
}

export interface StatsQueries {
  /** The workspace's figures, or one owner's (`ownerId`). */
  followUpRows(workspaceId: number, ownerId: number | null, now: number): Promise<FollowUpRows>;
}
