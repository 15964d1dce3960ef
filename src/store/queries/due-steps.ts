// The due step with its prospect (see the port for who uses it). One base — live enrollments joined
// to their prospect, filtered by workspace, owner, status and due time — and the parts each caller
// asks for. The flags that keep a prospect from being contacted are read here and nowhere else.
import { sql, type CompiledQuery, type RawBuilder, type SqlBool } from 'kysely';
import type { ContactFlags, DueContact, DueContent, DueCounts, DueDrafting, DueHistory, DueParts, DueRange, DueStep, DueStepBase, DueStepQueries, QueuePage, QueueScope, TickHistory, TickRow, TickRowWithHistory } from '../../app/ports/store/due-steps.ts';
import type { DueFilter } from '../../app/ports/store/due-steps.ts';
import type { Enrollment, Prospect } from '../../app/ports/records.ts';
import { displayName } from '../../core/prospect-name.ts';
import { DUE_STATUSES, LIVE_STATUS_LIST } from '../../core/types.ts';
import { REPLY_OUTCOMES } from '../../core/outcomes.ts';
import type { Db, Engine } from '../engine.ts';
import { chunks } from './chunks.ts';
import { compiledOnce } from './compiled.ts';
import { contentOf, keptSteps } from './kept-steps.ts';

export function contactFlags(p: Pick<Prospect, 'opted_out_at' | 'do_not_contact' | 'email_status'>): ContactFlags {
  return { optedOut: p.opted_out_at !== null, doNotContact: p.do_not_contact === 1, emailBad: p.email_status === 'bad' };
}

function base(db: Db, f: DueFilter) {
  let q = db
    .selectFrom('enrollments as e')
    .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
    .where('e.status', 'in', f.statuses ?? DUE_STATUSES);
  if (f.workspaceId !== undefined) q = q.where('e.workspace_id', '=', f.workspaceId);
  if (f.ownerId !== undefined) q = q.where('e.owner_id', '=', f.ownerId);
  if (f.dueBy !== undefined) q = q.where('e.due_at', '<=', f.dueBy);
  if (f.dueBefore !== undefined) q = q.where('e.due_at', '<', f.dueBefore);
  if (f.enrollmentIds) q = q.where('e.id', 'in', f.enrollmentIds.length ? f.enrollmentIds : [-1]);
  return q;
}

/**
 * The due statuses as the due-time index states them (migration 010): a partial index serves only
 * queries that repeat its condition, and a bound parameter would not.
 */
const dueStatus = (column: string) => sql<SqlBool>`${sql.ref(column)} in (${sql.join(DUE_STATUSES.map((s) => sql.lit(s)))})`;
const DUE = dueStatus('e.status');

/** The queue's index-only read (migration 024's indexes of due enrollments); the owner implies the workspace. */
function queueBase(db: Db, scope: QueueScope, until: number) {
  const q = db.selectFrom('enrollments as e').where(DUE).where('e.due_at', '<=', until);
  return 'ownerId' in scope ? q.where('e.owner_id', '=', scope.ownerId) : q.where('e.workspace_id', '=', scope.workspaceId);
}

/** Queue order: overdue first, hottest first among them; then today's touches in time order. */
function inQueueOrder<Q extends { orderBy(expression: RawBuilder<unknown>): Q }>(q: Q, now: number): Q {
  const [due, priority, id] = [sql.ref('e.due_at'), sql.ref('e.priority'), sql.ref('e.id')];
  return q
    .orderBy(sql`case when ${due} < ${now} then 0 else 1 end`)
    .orderBy(sql`case when ${due} < ${now} then -${priority} else 0 end`)
    .orderBy(sql`${due}`)
    .orderBy(sql`${priority} desc`)
    .orderBy(sql`${id}`);
}

/**
 * The ids of the queue's page. Each part of the queue order is read from its own index in that order
 * and stops at the page size (migration 024): the overdue by priority, then due time; the rest by due
 * time, then priority. Then at most twice the page is put in queue order: no sort of every due card.
 */
function queuePageIds(db: Db, p: QueuePage) {
  const part = (q: ReturnType<typeof queueBase>) => q.select(['e.id', 'e.due_at', 'e.priority']);
  const overdue = part(queueBase(db, p.scope, p.until).where('e.due_at', '<', p.now)).orderBy('e.priority', 'desc').orderBy('e.due_at').orderBy('e.id').limit(p.limit);
  const upcoming = part(queueBase(db, p.scope, p.until).where('e.due_at', '>=', p.now)).orderBy('e.due_at').orderBy('e.priority', 'desc').orderBy('e.id').limit(p.limit);
  // Each part in a subquery of its own: a member of a UNION may not have its own ORDER BY/LIMIT (SQLite).
  const both = db.selectFrom(overdue.as('o')).selectAll().unionAll(db.selectFrom(upcoming.as('u')).selectAll());
  return inQueueOrder(db.selectFrom(both.as('e')).select('e.id'), p.now).limit(p.limit);
}

/** Which enrollment, whose, and where it stands. */
const where = (r: Pick<Enrollment, 'id' | 'prospect_id' | 'status' | 'step_index'>) => ({ enrollmentId: r.id, prospectId: r.prospect_id, status: r.status, stepIndex: r.step_index });

/** What the tick reads per enrollment, from its tick row (migration 023): numbers and short codes only (see TickRow), and its current hold. */
function tickBase(db: Db) {
  return db
    .selectFrom('tick_rows as t')
    .leftJoin('enrollment_holds as h', 'h.enrollment_id', 't.enrollment_id')
    .select(['t.enrollment_id', 't.status', 't.due_at', 'h.held_until', 'h.held_rules', 't.prospect_id', 't.cadence_version_id', 't.step_index', 't.timezone', 't.flags', 't.company_id']);
}

/** The same, with the touch times the guardrails need, from the tick row too. */
function tickWithHistory(db: Db) {
  return tickBase(db).select(['t.touches as prospect_touches', 't.company_touches']);
}

/**
 * A tick row as the engine returns it, an array in tickBase's column order (and tickWithHistory's
 * two more): the tick reads thousands a minute, and an object per row cost more than the read.
 */
type TickArray = [
  enrollmentId: number,
  status: TickRow['status'],
  dueAt: number,
  heldUntil: number | null,
  heldRules: string | null,
  prospectId: number,
  cadenceVersionId: number,
  stepIndex: number,
  timezone: string,
  flags: number,
  companyId: number | null,
  touches?: string | null,
  companyTouches?: string | null,
];

// Built field by field in one literal, not spread: the tick materialises one per due enrollment.
const tickRow = (r: TickArray): TickRow => ({
  enrollmentId: r[0],
  prospectId: r[5],
  status: r[1],
  stepIndex: r[7],
  dueAt: Number(r[2]),
  cadenceVersionId: r[6],
  heldUntil: r[3] === null ? null : Number(r[3]),
  heldRules: r[4],
  timezone: r[8],
  companyId: r[10],
  flags: flagsOf(r[9]),
});

function tickRowWithHistory(r: TickArray, history: TickHistory): TickRowWithHistory {
  const row = tickRow(r) as TickRowWithHistory;
  row.touches = r[11] ? timesSince(r[11], history.since) : NO_TIMES;
  row.companyTouches = r[10] !== null && r[12] ? timesSince(r[12], history.companySince) : NO_TIMES;
  return row;
}

/** A batch of tick rows in a range of due times, in (due time, id) order: through the tick rows' key. */
function tickRangeQuery(db: Db, workspaceId: number, range: DueRange, limit: number, withHistory: boolean) {
  let q = (withHistory ? tickWithHistory(db) : tickBase(db)).where('t.workspace_id', '=', workspaceId).where('t.due_at', '<=', range.dueBy);
  if (range.dueAbove !== undefined) q = q.where('t.due_at', '>', range.dueAbove);
  const after = range.after;
  if (after) q = q.where((eb) => eb(eb.refTuple('t.due_at', 't.enrollment_id'), '>', eb.tuple(after.dueAt, after.id)));
  return q.orderBy('t.due_at').orderBy('t.enrollment_id').limit(limit).compile();
}

/** The tick row's flags (1 opted out, 2 do not contact, 4 bad email address): most rows share one of a few. */
const FLAGS: ContactFlags[] = Array.from({ length: 8 }, (_, f) => Object.freeze({ optedOut: (f & 1) !== 0, doNotContact: (f & 2) !== 0, emailBad: (f & 4) !== 0 }));
const flagsOf = (f: number): ContactFlags => FLAGS[f & 7]!;

/** No touch times: one shared empty list for the tick's rows (many have none for the prospect or the company). */
const NO_TIMES: readonly number[] = Object.freeze([]);

/** "1,2,3" (a list aggregate) as numbers, only those at or after `since`. Read digit by digit (no split): the tick reads one or two lists per due enrollment. */
function timesSince(list: string | null | undefined, since: number): number[] {
  const out: number[] = [];
  if (!list) return out;
  let start = 0;
  let n = 0;
  let digits = true;
  for (let i = 0; i <= list.length; i++) {
    const c = i < list.length ? list.charCodeAt(i) : 44;
    if (c === 44) {
      // Anything but up to 15 plain digits ("-5", "1.5e12") is read as JavaScript reads a number.
      const value = digits && i > start && i - start <= 15 ? n : Number(list.slice(start, i));
      if (value >= since) out.push(value);
      start = i + 1;
      n = 0;
      digits = true;
    } else if (c >= 48 && c <= 57) n = n * 10 + (c - 48);
    else digits = false;
  }
  return out;
}

/**
 * A card's slot fills, as a JSON array of [slot, text] in the order written: the step's (for every
 * prospect) or the prospect's. Each its own lookup, so both stay conditions of the step index.
 */
function fillsOf(engine: Engine, own: boolean) {
  const [list, pair] = engine.dialect === 'sqlite' ? [sql.raw('json_group_array'), sql.raw('json_array')] : [sql.raw('json_agg'), sql.raw('json_build_array')];
  const whose = own ? sql`f.prospect_id = e.prospect_id` : sql`f.prospect_id is null`;
  return sql<string | [string, string][] | null>`(select ${list}(${pair}(f.slot, f.text) order by f.id) from slot_fills as f
    where f.cadence_id = e.cadence_id and f.step_index = e.step_index and ${whose})`;
}

/**
 * The mails sent by hand per owner and cadence step, among those `f` reads: counted once for the
 * statement, from the hand-sent mails (few: migration 021's partial index), each checked against
 * its enrollment (`+ 0`: not from the owner's enrollments, which are many).
 */
function handSentOf(db: Db, f: DueFilter) {
  const scope = f.queue?.scope ?? (f.ownerId !== undefined ? { ownerId: f.ownerId } : f.workspaceId !== undefined ? { workspaceId: f.workspaceId } : undefined);
  return db
    .selectFrom('outbox as o')
    .innerJoin('enrollments as he', 'he.id', 'o.enrollment_id')
    .select(['he.owner_id', 'he.cadence_id', 'o.step_index', (eb) => eb.fn.countAll<number>().as('n')])
    // Literals, as the partial index states them: a bound parameter would not match it.
    .where(sql<SqlBool>`o.by_hand = 1 and o.status = 'sent'`)
    .$if(scope !== undefined && 'ownerId' in scope, (q) => q.where(sql<number>`${sql.ref('he.owner_id')} + 0`, '=', (scope as { ownerId: number }).ownerId))
    .$if(scope !== undefined && 'workspaceId' in scope, (q) => q.where(sql<number>`${sql.ref('he.workspace_id')} + 0`, '=', (scope as { workspaceId: number }).workspaceId))
    .groupBy(['he.owner_id', 'he.cadence_id', 'o.step_index']);
}

/** A fills column as the engine returns it (SQLite: JSON text; PostgreSQL: parsed; null: none). */
const fillsList = (v: string | [string, string][] | null | undefined): [string, string][] => (typeof v === 'string' ? (JSON.parse(v) as [string, string][]) : v ?? []);

/** Most cards have no fills: one empty map for all of them (drafting only reads it). */
const NO_FILLS: ReadonlyMap<string, string> = new Map();

/** The rep's words per slot: the step's, overridden by the prospect's. */
const fillsMap = (step: string | [string, string][] | null | undefined, own: string | [string, string][] | null | undefined): ReadonlyMap<string, string> =>
  step || own ? new Map([...fillsList(step), ...fillsList(own)]) : NO_FILLS;

/**
 * The workspace's current cadence versions as "id@created_at,…" in id order: the creation time tells
 * a version apart from one SQLite gave the same id after the first was removed.
 */
function currentVersions(engine: Engine, workspaceId: unknown) {
  const list = engine.dialect === 'sqlite' ? sql.raw('group_concat') : sql.raw('string_agg');
  return sql<string | null>`(select ${list}(v.id || '@' || v.created_at, ',' order by v.id) from cadences as c
    inner join cadence_versions as v on v.cadence_id = c.id and v.version = c.current_version where c.workspace_id = ${workspaceId})`;
}

/** The due steps' statement: `f`'s rows with `parts`. */
function stepsQuery(db: Db, engine: Engine, f: DueFilter, parts: DueParts, keptStep = false) {
  const perStep = engine.dialect === 'postgres' && !keptStep && (parts.content === true || parts.counts === true);
  const withStep = base(db, f).innerJoin('cadence_steps as s', (j) => j.onRef('s.cadence_version_id', '=', 'e.cadence_version_id').onRef('s.position', '=', 'e.step_index'));
  // `keptStep`: the step comes from those kept in the process (kept-steps.ts); the row says only
  // its version and when that was written. Nothing below names `s` then.
  const joined = keptStep ? (base(db, f).innerJoin('cadence_versions as v', 'v.id', 'e.cadence_version_id') as unknown as typeof withStep) : withStep;
  let q = joined
    .leftJoin('companies as co', 'co.id', 'p.company_id')
    .select([
      'e.id as enrollment_id', 'e.prospect_id', 'e.owner_id', 'e.status', 'e.step_index', 'e.due_at', 'e.priority', 'e.cadence_version_id', 'e.cadence_id',
      'p.first_name', 'p.last_name', 'p.email', 'p.timezone', 'p.company_id', 'p.opted_out_at', 'p.do_not_contact', 'p.email_status',
      'co.name as company',
    ])
    .$if(keptStep, (qb) => qb.select(sql<number | string>`${sql.ref('v.created_at')}`.as('version_at')))
    .$if(!keptStep, (qb) => qb.select(['s.name as step_name', 's.channel']))
    .$if(parts.contact === true, (qb) => qb.select(['p.phone', 'p.linkedin_url', 'p.title', 'p.custom']))
    .$if(parts.content === true && !keptStep, (qb) =>
      qb.select(['s.reason', 's.talking_points', 's.subject', 's.template', 's.new_thread', 's.sending', 's.value_item_key', 's.objection_keys', 's.objection_tags']).select((eb) =>
        // What the step's sending mode needs of the rest of its cadence, in the same round trip.
        perStep
          ? sql<number>`${sql.ref('k.email_steps_before')}`.as('email_steps_before')
          : eb
              .selectFrom('cadence_steps as prior')
              .whereRef('prior.cadence_version_id', '=', 'e.cadence_version_id')
              .whereRef('prior.position', '<', 'e.step_index')
              .where('prior.channel', '=', 'email')
              .select(eb.fn.countAll<number>().as('n'))
              .as('email_steps_before'),
      ),
    )
    .$if(parts.counts === true, (qb) =>
      qb
        .innerJoin('cadences as c', 'c.id', 'e.cadence_id')
        .select((eb) => [
          'c.name as cadence',
          // Counts for just these rows, in the same round trip.
          eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'e.prospect_id').select(eb.fn.countAll<number>().as('n')).as('touches'),
        ]),
    )
    .$if(parts.counts === true && !keptStep, (qb) =>
      qb.select((eb) =>
        perStep
          ? sql<number>`${sql.ref('k.steps')}`.as('steps')
          : eb.selectFrom('cadence_steps as all_steps').whereRef('all_steps.cadence_version_id', '=', 'e.cadence_version_id').select(eb.fn.countAll<number>().as('n')).as('steps'),
      ),
    )
    // PostgreSQL: both counts of the card's cadence version in one lateral read, which PostgreSQL
    // memoizes by version and position: once per step of the page, not twice per card (100 cards
    // are a few steps). SQLite has no LATERAL: a subquery per card.
    .$if(perStep, (qb) =>
      qb.innerJoinLateral(
        sql<{ steps: number; email_steps_before: number }>`(select count(*) as steps, count(*) filter (where ${sql.ref('k.channel')} = 'email' and ${sql.ref('k.position')} < ${sql.ref('e.step_index')}) as email_steps_before
          from ${sql.table('cadence_steps')} as k where ${sql.ref('k.cadence_version_id')} = ${sql.ref('e.cadence_version_id')})`.as('k'),
        (j) => j.onTrue(),
      ),
    )
    .$if(parts.history !== undefined, (qb) =>
      qb.select((eb) => [
        // The guardrails' history for just these rows, in the same round trip.
        eb.selectFrom('touches as tp').whereRef('tp.prospect_id', '=', 'e.prospect_id').where('tp.occurred_at', '>=', parts.history!.since).select(engine.listOf(sql.ref('tp.occurred_at')).as('t')).as('prospect_touches'),
        eb.selectFrom('touches as tc').whereRef('tc.company_id', '=', 'p.company_id').where('tc.occurred_at', '>=', parts.history!.companySince).select(engine.listOf(sql.ref('tc.occurred_at')).as('t')).as('company_touches'),
      ]),
    )
    // Drafting's reads for just these rows, in the same round trip: the queue drafts its first cards
    // with the page. The rep's words for the step's slots, and the owner's mails of the step sent by hand.
    .$if(parts.drafting === true, (qb) =>
      qb
        .leftJoin(handSentOf(db, f).as('h'), (j) => j.onRef('h.owner_id', '=', 'e.owner_id').onRef('h.cadence_id', '=', 'e.cadence_id').onRef('h.step_index', '=', 'e.step_index'))
        .select([fillsOf(engine, false).as('step_fills'), fillsOf(engine, true).as('own_fills'), 'h.n as hand_sent']),
    );
  if (f.queue) q = inQueueOrder(q.where('e.id', 'in', queuePageIds(db, f.queue)), f.queue.now);
  if (f.channel) q = q.where('s.channel', '=', f.channel);
  if (f.notInOutbox) {
    q = q.leftJoin('outbox as o', (j) => j.onRef('o.enrollment_id', '=', 'e.id').onRef('o.step_index', '=', 'e.step_index')).where('o.id', 'is', null);
  }
  if (f.order === 'due') q = q.orderBy('e.due_at').orderBy('e.id');
  else if (f.order === 'send') q = q.orderBy('e.due_at').orderBy('e.priority', 'desc').orderBy('e.id');
  else if (f.order === 'id') q = q.orderBy('e.id');
  if (f.limit !== undefined) q = q.limit(f.limit);
  return q;
}

/** A row of the due steps' statement (the parts not asked for are absent). */
type StepRecord = Awaited<ReturnType<ReturnType<typeof stepsQuery>['execute']>>[number];

/** The values of the queue's statements: `scope` is the owner's id or the workspace's. */
interface PageValues extends Record<string, unknown> { scope: number; until: number; now: number; limit: number; since: number; companySince: number }
interface CountValues extends Record<string, unknown> { scope: number; until: number; now: number; workspace: number }

/** The queue's page and nothing else: the statement every queue read sends. */
const queueOnly = (f: DueFilter): f is { queue: QueuePage } => f.queue !== undefined && Object.keys(f).length === 1;

export function dueStepQueries(db: Db, engine: Engine): DueStepQueries {
  // The queue's statements, built once per shape (queries/compiled.ts): whose (a rep's or the team's), and the parts read.
  const pages = new Map<string, (v: PageValues) => CompiledQuery<StepRecord>>();
  const queuePage = (p: QueuePage, parts: DueParts) => {
    const byOwner = 'ownerId' in p.scope;
    const key = `${byOwner}:${Boolean(parts.contact)}:${Boolean(parts.content)}:${Boolean(parts.counts)}:${parts.history !== undefined}:${Boolean(parts.drafting)}`;
    let page = pages.get(key);
    if (!page) {
      page = compiledOnce((v: PageValues) => {
        const scope = byOwner ? { ownerId: v.scope } : { workspaceId: v.scope };
        return stepsQuery(db, engine, { queue: { scope, until: v.until, now: v.now, limit: v.limit } }, { ...parts, history: parts.history && { since: v.since, companySince: v.companySince } }, true);
      });
      pages.set(key, page);
    }
    const scope = 'ownerId' in p.scope ? p.scope.ownerId : p.scope.workspaceId;
    return page({ scope, until: p.until, now: p.now, limit: p.limit, since: parts.history?.since ?? 0, companySince: parts.history?.companySince ?? 0 });
  };
  const counts = new Map<boolean, (v: CountValues) => CompiledQuery<{ total: number; overdue: number | null; data_version: number; cadences: string | null }>>();
  const queueCounts = (scope: QueueScope, until: number, now: number, workspaceId: number) => {
    const byOwner = 'ownerId' in scope;
    let count = counts.get(byOwner);
    if (!count) {
      count = compiledOnce((v: CountValues) =>
        queueBase(db, byOwner ? { ownerId: v.scope } : { workspaceId: v.scope }, v.until).select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.sum<number>(eb.case().when('e.due_at', '<', v.now).then(1).else(0).end()).as('overdue'),
          eb.selectFrom('workspaces').select('data_version').where('id', '=', v.workspace).$asScalar().as('data_version'),
          currentVersions(engine, v.workspace).as('cadences'),
        ]),
      );
      counts.set(byOwner, count);
    }
    return count({ scope: 'ownerId' in scope ? scope.ownerId : scope.workspaceId, until, now, workspace: workspaceId });
  };
  return {
    async steps<P extends DueParts>(f: DueFilter, parts: P) {
      // The queue's page (compiled once) takes its steps from those kept in the process.
      const page = queueOnly(f);
      const rows = await (page ? db.executeQuery(queuePage(f.queue, parts)).then((r) => r.rows) : stepsQuery(db, engine, f, parts).execute());
      const versions = page ? await keptSteps(db, engine, rows as { cadence_version_id: number; version_at: number | string }[]) : null;
      const out: DueStep<P>[] = [];
      for (const r of rows) {
        const kept = versions?.get(r.cadence_version_id)?.steps.get(r.step_index);
        // A step its version lacks: left out, as the join to the step leaves it out of the other reads.
        if (versions && !kept) continue;
        // Properties set one by one rather than spread in: a spread row is a slow object to read.
        const step: DueStepBase & Partial<{ contact: DueContact; content: DueContent; counts: DueCounts; history: DueHistory; drafting: DueDrafting }> = {
          enrollmentId: r.enrollment_id,
          prospectId: r.prospect_id,
          ownerId: r.owner_id,
          status: r.status,
          stepIndex: r.step_index,
          dueAt: Number(r.due_at),
          priority: r.priority,
          cadenceVersionId: r.cadence_version_id,
          cadenceId: r.cadence_id,
          prospect: { name: displayName(r), email: r.email, first_name: r.first_name, last_name: r.last_name, timezone: r.timezone, companyId: r.company_id, flags: contactFlags(r) },
          company: r.company,
          step: kept ? kept.step : { name: r.step_name!, channel: r.channel! },
        };
        if (parts.contact) step.contact = { phone: r.phone ?? null, linkedinUrl: r.linkedin_url ?? null, title: r.title ?? null, custom: r.custom ?? '{}' };
        if (parts.content) step.content = kept ? kept.content : contentOf(r, Number(r.email_steps_before));
        if (parts.counts) step.counts = { cadence: r.cadence ?? '', steps: kept ? kept.steps : Number(r.steps), touches: Number(r.touches) };
        if (parts.drafting) step.drafting = { fills: fillsMap(r.step_fills, r.own_fills), handSent: Number(r.hand_sent ?? 0) };
        if (parts.history) step.history = { prospect: timesSince(r.prospect_touches, -Infinity), company: timesSince(r.company_touches, -Infinity) };
        out.push(step as DueStep<P>);
      }
      return out;
    },

    async tickRange(workspaceId, range, limit) {
      return ((await engine.rows(db, tickRangeQuery(db, workspaceId, range, limit, false))) as TickArray[]).map(tickRow);
    },

    eachTickRow: (workspaceId, range, limit, history, each) =>
      engine.forEachRow(db, tickRangeQuery(db, workspaceId, range, limit, true), (r) => each(tickRowWithHistory(r as TickArray, history))),

    async tickTargets(workspaceId, targets, window, history) {
      const found = new Map<number, TickRowWithHistory>();
      const read = async (column: 't.enrollment_id' | 't.prospect_id' | 't.company_id', ids: number[]) => {
        for (const part of chunks([...new Set(ids)])) {
          const q = tickWithHistory(db).where('t.workspace_id', '=', workspaceId).where(column, 'in', part).where('t.due_at', '>', window.dueAbove).where('t.due_at', '<=', window.dueBy);
          for (const r of (await engine.rows(db, q.compile())) as TickArray[]) found.set(r[0], tickRowWithHistory(r, history));
        }
      };
      await read('t.enrollment_id', targets.enrollmentIds);
      await read('t.prospect_id', targets.prospectIds);
      await read('t.company_id', targets.companyIds);
      return [...found.values()];
    },

    async strayHolds(workspaceId, dueBy) {
      const rows = await db
        .selectFrom('enrollment_holds as h')
        .select('h.enrollment_id')
        .where('h.workspace_id', '=', workspaceId)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('tick_rows as t').select('t.enrollment_id').whereRef('t.enrollment_id', '=', 'h.enrollment_id').where('t.due_at', '<=', dueBy))))
        .execute();
      return rows.map((r) => r.enrollment_id);
    },

    async queueCounts(scope, until, now, workspaceId) {
      const r = (await db.executeQuery(queueCounts(scope, until, now, workspaceId))).rows[0]!;
      return { total: Number(r.total), overdue: Number(r.overdue ?? 0), dataVersion: Number(r.data_version), cadences: r.cadences ?? '' };
    },

    async nurtureCandidates(f) {
      const rows = await base(db, { ...f, statuses: ['finished'] })
        .innerJoin('cadences as c', 'c.id', 'e.cadence_id')
        .select([
          'e.id', 'e.prospect_id', 'e.status', 'e.step_index', 'e.touches', 'e.ended_at', 'e.follows_enrollment_id',
          'c.name as cadence', 'p.first_name', 'p.last_name', 'p.email', 'p.timezone', 'p.opted_out_at', 'p.do_not_contact', 'p.email_status',
        ])
        .select((eb) => [
          eb.exists(eb.selectFrom('enrollments as l').select('l.id').whereRef('l.prospect_id', '=', 'e.prospect_id').where('l.status', 'in', LIVE_STATUS_LIST)).as('has_live'),
          eb.exists(eb.selectFrom('enrollments as n').select('n.id').whereRef('n.follows_enrollment_id', '=', 'e.id')).as('followed'),
          eb.exists(eb.selectFrom('touches as t').select('t.id').whereRef('t.prospect_id', '=', 'e.prospect_id').where('t.outcome', 'in', REPLY_OUTCOMES)).as('replied'),
        ])
        .where('e.nurture', 'is', null)
        .orderBy('e.ended_at')
        .orderBy('e.id')
        .execute();
      return rows.map((r) => ({
        ...where(r),
        touches: r.touches,
        endedAt: Number(r.ended_at),
        followsEnrollmentId: r.follows_enrollment_id,
        cadence: r.cadence,
        name: displayName(r),
        timezone: r.timezone,
        flags: contactFlags(r),
        hasLive: Boolean(r.has_live),
        followed: Boolean(r.followed),
        replied: Boolean(r.replied),
      }));
    },

    async count(f) {
      let q = db.selectFrom('enrollments').select((eb) => eb.fn.countAll<number>().as('n')).where(dueStatus('status'));
      if (f.workspaceId !== undefined) q = q.where('workspace_id', '=', f.workspaceId);
      if (f.dueBy !== undefined) q = q.where('due_at', '<=', f.dueBy);
      return Number((await q.executeTakeFirstOrThrow()).n);
    },
  };
}
