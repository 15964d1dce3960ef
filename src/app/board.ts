// The prospect board: one page of the prospects the acting user may see, each with its tally,
// stage (latest enrollment), next due time and owner. Keyset pagination on the id.
import { sql } from 'kysely';
import { isManager, userZone, type Context } from './context.ts';
import { endOfLocalDay } from './queue.ts';
import { TallyError } from './errors.ts';

export interface BoardFilter {
  /** Text in the name, email or company. */
  search?: string;
  ownerId?: number;
  /** An enrollment status, or "none" for never enrolled. */
  stage?: string;
  company?: string;
  due?: 'overdue' | 'today';
  limit?: number;
  /** The last id of the previous page. */
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
  stage: { status: string; cadence: string; step: number; enrollmentId: number } | null;
  nextDueAt: number | null;
}

export interface BoardPage {
  items: BoardRow[];
  total: number;
  nextCursor: number | null;
}

/** Case-insensitive "contains", the same on SQLite and PostgreSQL (see selection.ts). */
function contains(column: string, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

export async function listBoard(ctx: Context, f: BoardFilter = {}): Promise<BoardPage> {
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  const now = ctx.now();
  let q = ctx.store.db
    .selectFrom('prospects as p')
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    // The stage is the prospect's latest enrollment (the live one when there is one).
    .leftJoin('enrollments as e', (j) =>
      j.on('e.id', '=', (eb) => eb.selectFrom('enrollments as e2').select((eb2) => eb2.fn.max('e2.id').as('m')).whereRef('e2.prospect_id', '=', 'p.id')),
    )
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
  if (f.due === 'overdue') q = q.where('e.due_at', '<', now);
  else if (f.due === 'today') q = q.where('e.due_at', '<=', endOfLocalDay(now, userZone(ctx)));
  if (f.due && f.stage === undefined) q = q.where('e.status', 'in', ['active', 'snoozed']);
  if (f.after !== undefined && !Number.isInteger(f.after)) throw new TallyError('bad cursor', 'invalid', { field: 'cursor' });

  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let page = q
    .innerJoin('users as u', 'u.id', 'p.owner_id')
    .leftJoin('cadences as cad', 'cad.id', 'e.cadence_id')
    .select((eb) => [
      'p.id', 'p.first_name', 'p.last_name', 'p.email', 'p.title', 'p.priority', 'c.name as company', 'u.id as owner_id', 'u.name as owner_name',
      'e.id as enrollment_id', 'e.status', 'e.step_index', 'e.due_at', 'cad.name as cadence',
      eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'p.id').select(eb.fn.countAll<number>().as('n')).as('tally'),
    ])
    .orderBy('p.id')
    .limit(limit + 1);
  if (f.after !== undefined) page = page.where('p.id', '>', f.after);
  const rows = await page.execute();
  const more = rows.length > limit;
  const items = rows.slice(0, limit).map((r): BoardRow => ({
    id: r.id,
    name: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email,
    email: r.email,
    title: r.title,
    company: r.company,
    priority: r.priority,
    owner: { id: r.owner_id, name: r.owner_name },
    tally: Number(r.tally),
    stage: r.enrollment_id === null ? null : { status: r.status!, cadence: r.cadence ?? '', step: (r.step_index ?? 0) + 1, enrollmentId: r.enrollment_id },
    nextDueAt: r.due_at === null ? null : Number(r.due_at),
  }));
  return { items, total: Number(total.n), nextCursor: more ? items[items.length - 1]!.id : null };
}
