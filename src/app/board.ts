// The prospect board: one page of the prospects the acting user may see, each with its tally,
// stage (latest enrollment), next step and due time, owner and last touch; filtered, searched,
// sorted and paged on the server. The same filter picks the ids of "all N matching" for bulk moves.
import { sql } from 'kysely';
import { isManager, userZone, type Context } from './context.ts';
import { endOfLocalDay } from './queue.ts';
import { TallyError } from '../core/errors.ts';
import { tallyLine } from '../core/tally.ts';
import type { Channel } from '../core/types.ts';
import { LIVE } from './enrollments.ts';

export interface BoardFilter {
  /** Text in the name, email or company. */
  search?: string;
  ownerId?: number;
  /** An enrollment status, or "none" for never enrolled. */
  stage?: string;
  /** Cadence id of the latest enrollment. */
  cadenceId?: number;
  company?: string;
  due?: 'overdue' | 'today';
  /** Channel of the next step of a live enrollment. */
  channel?: Channel;
}

export const BOARD_SORTS = ['id', 'due', 'name', 'touches'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

export interface BoardPageOptions {
  sort?: BoardSort;
  dir?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  /** The last id of the previous page (keyset paging, id order only). */
  after?: number;
}

export interface BoardRow {
  id: number;
  name: string;
  email: string;
  title: string | null;
  company: string | null;
  priority: number;
  owner: { id: number; name: string };
  tally: number;
  tallyLine: string;
  stage: { status: string; cadence: string; cadenceId: number; step: number; steps: number; enrollmentId: number } | null;
  /** The next step of a live enrollment. */
  nextStep: { name: string; channel: string } | null;
  nextDueAt: number | null;
  overdue: boolean;
  lastTouchAt: number | null;
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

/** Case-insensitive "contains", the same on SQLite and PostgreSQL (see selection.ts). */
function contains(column: string, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

const OVERDUE_STATUSES = ['active', 'snoozed'];

/** The filtered rows the user may see, with the latest enrollment and its current step joined. */
function boardQuery(ctx: Context, f: BoardFilter, now: number) {
  let q = ctx.store.db
    .selectFrom('prospects as p')
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    // The stage is the prospect's latest enrollment (the live one when there is one).
    .leftJoin('enrollments as e', (j) =>
      j.on('e.id', '=', (eb) => eb.selectFrom('enrollments as e2').select((eb2) => eb2.fn.max('e2.id').as('m')).whereRef('e2.prospect_id', '=', 'p.id')),
    )
    .leftJoin('cadence_steps as s', (j) => j.onRef('s.cadence_version_id', '=', 'e.cadence_version_id').onRef('s.position', '=', 'e.step_index'))
    .where('p.workspace_id', '=', ctx.workspace.id);
  if (!isManager(ctx)) q = q.where('p.owner_id', '=', ctx.user.id);
  if (f.ownerId !== undefined) q = q.where('p.owner_id', '=', f.ownerId);
  if (f.search?.trim()) {
    const text = f.search.trim();
    q = q.where((eb) => eb.or([contains('p.first_name', text), contains('p.last_name', text), contains('p.email', text), contains('c.name', text)]));
  }
  if (f.company?.trim()) q = q.where(sql<boolean>`lower(${sql.ref('c.name')}) = ${f.company.trim().toLowerCase()}`);
  if (f.stage === 'none') q = q.where('e.id', 'is', null);
  else if (f.stage) q = q.where('e.status', '=', f.stage);
  if (f.cadenceId !== undefined) q = q.where('e.cadence_id', '=', f.cadenceId);
  if (f.due === 'overdue') q = q.where('e.due_at', '<', now);
  else if (f.due === 'today') q = q.where('e.due_at', '<=', endOfLocalDay(now, userZone(ctx)));
  if (f.due && f.stage === undefined) q = q.where('e.status', 'in', OVERDUE_STATUSES);
  if (f.channel) q = q.where('s.channel', '=', f.channel).where('e.status', 'in', LIVE);
  return q;
}

export async function listBoard(ctx: Context, f: BoardFilter = {}, o: BoardPageOptions = {}): Promise<BoardPage> {
  const limit = Math.min(Math.max(o.limit ?? 50, 1), 200);
  const offset = Math.max(o.offset ?? 0, 0);
  const sort = o.sort ?? 'id';
  const desc = o.dir === 'desc';
  if (o.after !== undefined && (!Number.isInteger(o.after) || sort !== 'id' || offset > 0)) {
    throw new TallyError('a cursor pages in id order only: leave out sort and offset, or page with offset', 'invalid', { field: 'cursor' });
  }
  const now = ctx.now();
  const q = boardQuery(ctx, f, now);

  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let page = q
    .innerJoin('users as u', 'u.id', 'p.owner_id')
    .leftJoin('cadences as cad', 'cad.id', 'e.cadence_id')
    .select((eb) => [
      'p.id', 'p.first_name', 'p.last_name', 'p.email', 'p.title', 'p.priority', 'c.name as company', 'u.id as owner_id', 'u.name as owner_name',
      'e.id as enrollment_id', 'e.status', 'e.step_index', 'e.due_at', 'e.cadence_id', 'cad.name as cadence', 's.name as step_name', 's.channel as step_channel',
      eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'p.id').select(eb.fn.countAll<number>().as('n')).as('tally'),
      eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'p.id').select((eb2) => eb2.fn.max('t.occurred_at').as('m')).as('last_touch_at'),
      eb.selectFrom('cadence_steps as all_steps').whereRef('all_steps.cadence_version_id', '=', 'e.cadence_version_id').select(eb.fn.countAll<number>().as('n')).as('steps'),
    ]);
  const dir = desc ? 'desc' : 'asc';
  // Every order ends on the id, so pages never overlap or skip a row on either engine.
  if (sort === 'due') page = page.orderBy(sql`case when ${sql.ref('e.due_at')} is null then 1 else 0 end`).orderBy('e.due_at', dir);
  else if (sort === 'name') {
    page = page.orderBy(sql`case when ${sql.ref('p.first_name')} is null and ${sql.ref('p.last_name')} is null then lower(${sql.ref('p.email')})
      else lower(coalesce(${sql.ref('p.first_name')}, '') || ' ' || coalesce(${sql.ref('p.last_name')}, '')) end`, dir);
  } else if (sort === 'touches') page = page.orderBy('tally', dir);
  page = page.orderBy('p.id', sort === 'id' ? dir : 'asc').limit(limit + 1).offset(offset);
  if (o.after !== undefined) page = page.where('p.id', desc ? '<' : '>', o.after);

  const [rows, owners] = await Promise.all([page.execute(), boardOwners(ctx)]);
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r): BoardRow => {
    const live = r.status !== null && LIVE.includes(r.status as (typeof LIVE)[number]);
    const due = live && r.due_at !== null ? Number(r.due_at) : null;
    const tally = Number(r.tally);
    return {
      id: r.id,
      name: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email,
      email: r.email,
      title: r.title,
      company: r.company,
      priority: r.priority,
      owner: { id: r.owner_id, name: r.owner_name },
      tally,
      tallyLine: tallyLine(tally),
      stage: r.enrollment_id === null
        ? null
        : { status: r.status!, cadence: r.cadence ?? '', cadenceId: r.cadence_id!, step: Math.min((r.step_index ?? 0) + 1, Number(r.steps)), steps: Number(r.steps), enrollmentId: r.enrollment_id },
      nextStep: live && r.step_name !== null && r.step_channel !== null ? { name: r.step_name, channel: r.step_channel } : null,
      nextDueAt: due,
      overdue: due !== null && due < now && OVERDUE_STATUSES.includes(r.status!),
      lastTouchAt: r.last_touch_at === null ? null : Number(r.last_touch_at),
    };
  });
  const nextCursor = more && sort === 'id' ? items[items.length - 1]!.id : null;
  return { items, total: Number(total.n), offset, limit, nextCursor, owners };
}

async function boardOwners(ctx: Context): Promise<{ id: number; name: string }[]> {
  if (!isManager(ctx)) return [{ id: ctx.user.id, name: ctx.user.name }];
  return ctx.store.db.selectFrom('users').select(['id', 'name']).where('workspace_id', '=', ctx.workspace.id).orderBy('name').orderBy('id').execute();
}

/** Every prospect id the filter matches (what "select all N matching" acts on), in id order. */
export async function selectBoardIds(ctx: Context, f: BoardFilter): Promise<number[]> {
  const rows = await boardQuery(ctx, f, ctx.now()).select('p.id').orderBy('p.id').execute();
  return rows.map((r) => r.id);
}
