// The prospect board: one page of the prospects a user may see, filtered, searched and sorted.
import type { Channel, EnrollmentStatus } from '../../../core/types.ts';
import type { BoardDue, BoardSort, BoardStage } from '../../../core/board.ts';

export interface BoardFilter {
  /** Words (prefixes) in the name, email, title, company or custom fields. */
  search?: string;
  ownerId?: number;
  /** An enrollment status, "meeting_booked", or "none" for never enrolled. */
  stage?: BoardStage;
  /** Cadence id of the latest enrollment. */
  cadenceId?: number;
  company?: string;
  due?: BoardDue;
  /** Channel of the next step of a live enrollment. */
  channel?: Channel;
  /** Prospects the import with this id wrote (created or updated): the board's "Last import". */
  importId?: number;
}

/** Whose board: `visibleTo` limits it to one owner (a rep); `now` and `todayEnd` resolve the due filters. */
export interface BoardScope {
  workspaceId: number;
  visibleTo?: number;
  now: number;
  todayEnd: number;
}

export interface BoardPageRequest {
  sort: BoardSort;
  desc: boolean;
  /** Rows to read (one more than shown tells whether there is a next page). */
  limit: number;
  offset: number;
  /** The last id of the previous page (keyset paging, id order only). */
  after?: number;
}

/** A prospect with its latest enrollment (the stage) and the step it is at. */
export interface BoardRowData {
  id: number;
  name: string;
  email: string;
  title: string | null;
  company: string | null;
  priority: number;
  owner: { id: number; name: string };
  tally: number;
  lastTouchAt: number | null;
  enrollment: { id: number; status: EnrollmentStatus; reason: string | null; cadenceId: number; cadence: string; stepIndex: number; steps: number; dueAt: number | null } | null;
  step: { name: string; channel: Channel } | null;
}

export interface BoardQueries {
  /** One page of the rows the filter matches, and how many it matches in all. */
  page(scope: BoardScope, f: BoardFilter, page: BoardPageRequest): Promise<{ total: number; rows: BoardRowData[] }>;
  /** Every prospect id the filter matches, in id order. */
  ids(scope: BoardScope, f: BoardFilter): Promise<number[]>;
}
