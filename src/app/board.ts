// The prospect board: one page of the prospects the acting user may see, each with its tally,
// stage (latest enrollment), next step and due time, owner and last touch; filtered, searched,
// sorted and paged on the server. The same filter picks the ids of "all N matching" for bulk moves.
import { isManager, userZone, type Context } from './context.ts';
import { endOfLocalDay } from './queue.ts';
import { TallyError } from '../core/errors.ts';
import { tallyLine } from '../core/tally.ts';
import { DUE_STATUSES, LIVE_STATUSES, type Channel, type EnrollmentStatus } from '../core/types.ts';
import { boardStage, type BoardSort, type BoardStage } from '../core/board.ts';
import type { BoardFilter, BoardRowData, BoardScope } from './ports/store/board.ts';
import { visibleOwner } from './prospects.ts';

export type { BoardFilter };

export interface BoardPageOptions {
  sort?: BoardSort;
  dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  /** The last id of the previous page (keyset paging, id order only). */
  after?: number;
}

export interface BoardRow extends Omit<BoardRowData, 'enrollment' | 'step'> {
  tallyLine: string;
  stage: { status: EnrollmentStatus; kind: Exclude<BoardStage, 'none'>; cadence: string; cadenceId: number; step: number; steps: number; enrollmentId: number } | null;
  /** The next step of a live enrollment. */
  nextStep: { name: string; channel: Channel } | null;
  nextDueAt: number | null;
  overdue: boolean;
}

export interface BoardPage {
  items: BoardRow[];
  total: number;
  offset: number;
  limit: number;
  nextCursor: number | null;
  /** Whom the owner filter can name: the team for a manager, the rep alone otherwise. */
  owners: { id: number; name: string }[];
}

function boardScope(ctx: Context, now: number): BoardScope {
  return { workspaceId: ctx.workspace.id, visibleTo: visibleOwner(ctx), now, todayEnd: endOfLocalDay(now, userZone(ctx)) };
}

const dueStatuses: ReadonlySet<string> = new Set(DUE_STATUSES);

export async function listBoard(ctx: Context, f: BoardFilter = {}, o: BoardPageOptions = {}): Promise<BoardPage> {
  const limit = Math.min(Math.max(o.limit ?? 50, 1), 200);
  const offset = Math.max(o.offset ?? 0, 0);
  const sort = o.sort ?? 'id';
  const desc = o.dir === 'desc';
  if (o.after !== undefined && (!Number.isInteger(o.after) || sort !== 'id' || offset > 0)) {
    throw new TallyError('a cursor pages in id order only: leave out sort and offset, or page with offset', 'invalid', { field: 'cursor' });
  }
  const now = ctx.now();
  const scope = boardScope(ctx, now);
  const [{ total, rows }, owners] = await Promise.all([ctx.store.board.page(scope, f, { sort, desc, limit: limit + 1, offset, after: o.after }), boardOwners(ctx)]);
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r): BoardRow => {
    const e = r.enrollment;
    const live = e !== null && LIVE_STATUSES.has(e.status);
    const due = live && e.dueAt !== null ? e.dueAt : null;
    return {
      id: r.id,
      name: r.name,
      email: r.email,
      title: r.title,
      company: r.company,
      priority: r.priority,
      owner: r.owner,
      tally: r.tally,
      tallyLine: tallyLine(r.tally),
      stage: e === null ? null : { status: e.status, kind: boardStage(e.status, e.reason), cadence: e.cadence, cadenceId: e.cadenceId, step: Math.min(e.stepIndex + 1, e.steps), steps: e.steps, enrollmentId: e.id },
      nextStep: live && r.step !== null ? r.step : null,
      nextDueAt: due,
      overdue: due !== null && due < now && dueStatuses.has(e!.status),
      lastTouchAt: r.lastTouchAt,
    };
  });
  const nextCursor = more && sort === 'id' ? items[items.length - 1]!.id : null;
  return { items, total, offset, limit, nextCursor, owners };
}

async function boardOwners(ctx: Context): Promise<{ id: number; name: string }[]> {
  if (!isManager(ctx)) return [{ id: ctx.user.id, name: ctx.user.name }];
  return (await ctx.store.users.list(ctx.workspace.id, 'name')).map((u) => ({ id: u.id, name: u.name }));
}

/** Every prospect id the filter matches (what "select all N matching" acts on), in id order. */
export async function selectBoardIds(ctx: Context, f: BoardFilter): Promise<number[]> {
  return ctx.store.board.ids(boardScope(ctx, ctx.now()), f);
}
