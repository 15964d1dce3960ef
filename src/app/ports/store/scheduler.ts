// The scheduler's bookkeeping: where each workspace's last tick left its horizon, and the events
// that ask the next tick to look at an enrollment, a prospect, a company or the whole workspace
// again. The store queues those events itself, in the transaction of the write that changed the
// situation (a touch, an enrollment's state, a prospect's flags, zone or company, the settings):
// see each write's comment in enrollments.ts, prospects.ts and accounts.ts.
import type { SchedulerEvent, SchedulerState } from '../records.ts';

export interface SchedulerQueries {
  /** The workspace's last tick (undefined before its first). */
  state(workspaceId: number): Promise<SchedulerState | undefined>;
  /** Records a tick: inserted the first time, replaced after. */
  saveState(state: SchedulerState): Promise<void>;
  /** Pending events of the workspace after `afterId`, oldest first. */
  events(workspaceId: number, afterId: number, limit: number): Promise<SchedulerEvent[]>;
  /** Deletes the events a tick handled (by id: events queued meanwhile stay for the next one). */
  handled(ids: number[]): Promise<void>;
  /** Pending events of the workspace (metrics, tests). */
  pending(workspaceId: number): Promise<number>;
}
