// The prospect board: the filtered prospects with their latest enrollment and its current step.
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { BoardFilter, BoardPageRequest, BoardQueries, BoardRowData, BoardScope } from '../../app/ports/store/board.ts';
import { displayName } from '../../core/prospect-name.ts';
import { DUE_STATUSES, LIVE_STATUS_LIST } from '../../core/types.ts';
import { MEETING_REASON } from '../../core/board.ts';
import { searchWords } from '../../core/search-words.ts';
import type { Db, Engine } from '../engine.ts';
import type { SearchScope } from '../migrations/dialect.ts';

/** Whose prospects the index looks through: the rep's own, or the owner the filter names. */
function searchScope(scope: BoardScope, f: BoardFilter): SearchScope {
  const owners = [scope.visibleTo, f.ownerId].filter((o): o is number => o !== undefined);
  return { workspaceId: scope.workspaceId, ownerIds: [...new Set(owners)] };
}

/**
 * What picks prospects by their own columns: the scope, the owner and import filters, and the search,
 * or the ids the search index already picked (`ids`).
 */
function prospectConditions(engine: Engine, scope: BoardScope, f: BoardFilter, ids?: number[]) {
  const out: RawBuilder<SqlBool>[] = [sql<boolean>`${sql.ref('p.workspace_id')} = ${scope.workspaceId}`];
  if (scope.visibleTo !== undefined) out.push(sql<boolean>`${sql.ref('p.owner_id')} = ${scope.visibleTo}`);
  if (f.ownerId !== undefined) out.push(sql<boolean>`${sql.ref('p.owner_id')} = ${f.ownerId}`);
  if (f.importId !== undefined) out.push(sql<boolean>`${sql.ref('p.import_id')} = ${f.importId}`);
  // Every word, as a prefix, in the name, email, title, company or custom fields; accents and case ignored.
  // A search with no word in it (only punctuation) matches nobody.
  const words = searchWords(f.search ?? '');
  if (ids) out.push(sql<boolean>`${sql.ref('p.id')} in (${sql.join(ids)})`);
  else if (words.length) out.push(sql<boolean>`${sql.ref('p.id')} in (${engine.schema.prospectSearch.matching(searchScope(scope, f), words)})`);
  else if (f.search?.trim()) out.push(sql<boolean>`1 = 0`);
  return sql<SqlBool>`${sql.join(out, sql` and `)}`;
}

/** Filters on the company or the latest enrollment need the joins; counting a search alone does not. */
const needsJoins = (f: BoardFilter) => Boolean(f.company?.trim()) || f.stage !== undefined || f.cadenceId !== undefined || f.due !== undefined || f.channel !== undefined;

/**
 * The words of a search that the index answers alone (no filter but the owner, which it holds too),
 * so counting and listing its matches read no prospect row; none otherwise.
 */
function indexOnlyWords(f: BoardFilter): string[] | null {
  if (needsJoins(f) || f.importId !== undefined) return null;
  const words = searchWords(f.search ?? '');
  return words.length ? words : null;
}

function leanQuery(db: Db, engine: Engine, scope: BoardScope, f: BoardFilter) {
  return db.selectFrom('prospects as p').where(prospectConditions(engine, scope, f));
}

function boardQuery(db: Db, engine: Engine, scope: BoardScope, f: BoardFilter, ids?: number[]) {
  let q = db
    .selectFrom('prospects as p')
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    // The stage is the prospect's latest enrollment (the live one when there is one).
    .leftJoin('enrollments as e', (j) =>
      j.on('e.id', '=', (eb) => eb.selectFrom('enrollments as e2').select((eb2) => eb2.fn.max('e2.id').as('m')).whereRef('e2.prospect_id', '=', 'p.id')),
    )
    .leftJoin('cadence_steps as s', (j) => j.onRef('s.cadence_version_id', '=', 'e.cadence_version_id').onRef('s.position', '=', 'e.step_index'))
    .where(prospectConditions(engine, scope, f, ids));
  if (f.company?.trim()) q = q.where(sql<boolean>`lower(${sql.ref('c.name')}) = ${f.company.trim().toLowerCase()}`);
  const meeting = sql<boolean>`${sql.ref('e.reason')} like ${`${MEETING_REASON}%`}`;
  if (f.stage === 'none') q = q.where('e.id', 'is', null);
  else if (f.stage === 'meeting_booked') q = q.where('e.status', '=', 'replied').where(meeting);
  else if (f.stage === 'replied') q = q.where('e.status', '=', 'replied').where((eb) => eb.or([eb('e.reason', 'is', null), eb.not(meeting)]));
  else if (f.stage) q = q.where('e.status', '=', f.stage);
  if (f.cadenceId !== undefined) q = q.where('e.cadence_id', '=', f.cadenceId);
  if (f.due === 'overdue') q = q.where('e.due_at', '<', scope.now);
  else if (f.due === 'today') q = q.where('e.due_at', '<=', scope.todayEnd);
  if (f.due && f.stage === undefined) q = q.where('e.status', 'in', DUE_STATUSES);
  if (f.channel) q = q.where('s.channel', '=', f.channel).where('e.status', 'in', LIVE_STATUS_LIST);
  return q;
}

/** The display name as SQL, for sorting: the same rule as displayName (first and last name, else the email). */
const nameOrder = sql`case when ${sql.ref('p.first_name')} is null and ${sql.ref('p.last_name')} is null then lower(${sql.ref('p.email')})
      else lower(coalesce(${sql.ref('p.first_name')}, '') || ' ' || coalesce(${sql.ref('p.last_name')}, '')) end`;

/**
 * A page of a search the index answers alone, in id order, and the number of matches: one pass over
 * the index for both (the count is taken over every match, before the cursor's condition).
 */
async function indexedPage(db: Db, engine: Engine, scope: BoardScope, f: BoardFilter, words: string[], o: BoardPageRequest): Promise<{ ids: number[]; total: number }> {
  const matches = engine.schema.prospectSearch.matching(searchScope(scope, f), words);
  const after = o.after === undefined ? sql`` : sql` where id ${sql.raw(o.desc ? '<' : '>')} ${o.after}`;
  const { rows } = await sql<{ id: number; total: number | string }>`select id, total from (select id, count(*) over () as total from (${matches}) as m) as c${after}
    order by id ${sql.raw(o.desc ? 'desc' : 'asc')} limit ${o.limit} offset ${o.offset}`.execute(db);
  if (rows.length > 0) return { ids: rows.map((r) => Number(r.id)), total: Number(rows[0]!.total) };
  // Past the last match, the count alone; from the start, there is none.
  return { ids: [], total: o.offset === 0 && o.after === undefined ? 0 : await countOf(db, matches) };
}

const countOf = async (db: Db, matches: RawBuilder<{ id: number }>) => Number((await sql<{ n: number }>`select count(*) as n from (${matches}) as m`.execute(db)).rows[0]!.n);

export function boardQueries(db: Db, engine: Engine): BoardQueries {
  async function count(scope: BoardScope, f: BoardFilter): Promise<number> {
    const words = indexOnlyWords(f);
    if (words) return countOf(db, engine.schema.prospectSearch.matching(searchScope(scope, f), words));
    const q = needsJoins(f) ? boardQuery(db, engine, scope, f) : leanQuery(db, engine, scope, f);
    return Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  }

  /** The page's rows: of the filter, or of the `ids` the index picked (already paged). */
  async function rows(scope: BoardScope, f: BoardFilter, o: BoardPageRequest, ids?: number[]): Promise<BoardRowData[]> {
    let page = boardQuery(db, engine, scope, f, ids)
      .innerJoin('users as u', 'u.id', 'p.owner_id')
      .leftJoin('cadences as cad', 'cad.id', 'e.cadence_id')
      .select((eb) => [
        'p.id', 'p.first_name', 'p.last_name', 'p.email', 'p.title', 'p.priority', 'c.name as company', 'u.id as owner_id', 'u.name as owner_name',
        'e.id as enrollment_id', 'e.status', 'e.reason', 'e.step_index', 'e.due_at', 'e.cadence_id', 'cad.name as cadence', 's.name as step_name', 's.channel as step_channel',
        eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'p.id').select(eb.fn.countAll<number>().as('n')).as('tally'),
        eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'p.id').select((eb2) => eb2.fn.max('t.occurred_at').as('m')).as('last_touch_at'),
        eb.selectFrom('cadence_steps as all_steps').whereRef('all_steps.cadence_version_id', '=', 'e.cadence_version_id').select(eb.fn.countAll<number>().as('n')).as('steps'),
      ]);
    const dir = o.desc ? 'desc' : 'asc';
    // Every order ends on the id, so pages never overlap or skip a row on either engine.
    if (o.sort === 'due') page = page.orderBy(sql`case when ${sql.ref('e.due_at')} is null then 1 else 0 end`).orderBy('e.due_at', dir);
    else if (o.sort === 'name') page = page.orderBy(nameOrder, dir);
    else if (o.sort === 'touches') page = page.orderBy('tally', dir);
    page = page.orderBy('p.id', o.sort === 'id' ? dir : 'asc').limit(o.limit).offset(ids ? 0 : o.offset);
    if (o.after !== undefined && !ids) page = page.where('p.id', o.desc ? '<' : '>', o.after);
    const rows = await page.execute();
    return rows.map((r) => ({
      id: r.id,
      name: displayName(r),
      email: r.email,
      title: r.title,
      company: r.company,
      priority: r.priority,
      owner: { id: r.owner_id, name: r.owner_name },
      tally: Number(r.tally),
      lastTouchAt: r.last_touch_at === null ? null : Number(r.last_touch_at),
      enrollment:
        r.enrollment_id === null || r.status === null
          ? null
          : { id: r.enrollment_id, status: r.status, reason: r.reason, cadenceId: r.cadence_id ?? 0, cadence: r.cadence ?? '', stepIndex: r.step_index ?? 0, steps: Number(r.steps), dueAt: r.due_at === null ? null : Number(r.due_at) },
      step: r.step_name !== null && r.step_channel !== null ? { name: r.step_name, channel: r.step_channel } : null,
    }));
  }

  return {
    async page(scope, f, o) {
      // A search in id order: the index picks the page and counts the matches in one pass.
      const words = o.sort === 'id' ? indexOnlyWords(f) : null;
      if (words) {
        const { ids, total } = await indexedPage(db, engine, scope, f, words, o);
        return { total, rows: ids.length > 0 ? await rows(scope, f, o, ids) : [] };
      }
      const [total, found] = await Promise.all([count(scope, f), rows(scope, f, o)]);
      return { total, rows: found };
    },
    async ids(scope, f) {
      const words = indexOnlyWords(f);
      if (words) {
        const { rows } = await sql<{ id: number }>`select id from (${engine.schema.prospectSearch.matching(searchScope(scope, f), words)}) as m order by id`.execute(db);
        return rows.map((r) => Number(r.id));
      }
      const q = needsJoins(f) ? boardQuery(db, engine, scope, f) : leanQuery(db, engine, scope, f);
      return (await q.select('p.id').orderBy('p.id').execute()).map((r) => r.id);
    },
  };
}
