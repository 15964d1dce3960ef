// The scheduler's tick rows (migration 023): one row per due enrollment (active or snoozed) with
// what the guardrails need, stored in (workspace, due time, id) order on SQLite (a clustered table),
// so the tick reads the work due in a range as consecutive pages instead of a random page per
// enrollment, prospect, company and touch history seek. Triggers on enrollments, prospects and touches keep each
// row in the same transaction as the write that changed it; this module holds the SQL both engines
// share (each engine's triggers are in its own folder).

/** The engine's list aggregate of a number column: "1,2,3". */
export type ListOf = (column: string) => string;

/**
 * How far back a tick row keeps the prospect's touch times: twice the longest look-back a guardrail
 * needs (31 days, app/holds.ts LOOKBACK_MS), counted from the prospect's latest touch. The tick
 * keeps those since its own look-back; the margin covers a touch logged with a later time than the
 * clock that reads it. A migration freezes this number: raising the look-back needs a new one.
 */
export const TICK_TOUCHES_KEPT_MS = 62 * 86_400_000;

/** The contact flags as one number (1 opted out, 2 do not contact, 4 bad email address): read by the tick only. */
export const flagsOf = (p: string) =>
  `(case when ${p}.opted_out_at is null then 0 else 1 end + case when ${p}.do_not_contact = 1 then 2 else 0 end + case when ${p}.email_status = 'bad' then 4 else 0 end)`;

/**
 * How far back a tick row keeps the touch times of everyone at the prospect's company: twice the
 * company cap's look-back (25 hours, app/holds.ts COMPANY_LOOKBACK_MS), from the company's latest.
 */
export const TICK_COMPANY_TOUCHES_KEPT_MS = 50 * 3_600_000;

/** The touch times of a prospect or a company (`by` = its id) a tick row keeps, the latest one's `kept` back. */
const timesOf = (listOf: ListOf, column: 'prospect_id' | 'company_id', by: string, kept: number) =>
  `(select ${listOf('kt.occurred_at')} from touches kt where kt.${column} = ${by}
     and kt.occurred_at >= (select max(km.occurred_at) from touches km where km.${column} = ${by}) - ${kept})`;
export const touchesOf = (listOf: ListOf, prospectId: string) => timesOf(listOf, 'prospect_id', prospectId, TICK_TOUCHES_KEPT_MS);
export const companyTouchesOf = (listOf: ListOf, companyId: string) => timesOf(listOf, 'company_id', companyId, TICK_COMPANY_TOUCHES_KEPT_MS);

/** A touch logged, moved or undone: the touch times in the tick rows of its prospect and of everyone at its company (`t` = new or old). */
export const touchTimes = (listOf: ListOf, t: string) =>
  `update tick_rows set touches = ${touchesOf(listOf, `${t}.prospect_id`)} where prospect_id = ${t}.prospect_id;
   update tick_rows set company_touches = ${companyTouchesOf(listOf, `${t}.company_id`)} where company_id = ${t}.company_id;`;

export const TICK_ROW_COLUMNS = 'workspace_id, due_at, enrollment_id, prospect_id, company_id, status, step_index, cadence_version_id, timezone, flags, touches, company_touches';

/** The tick rows of the due enrollments matching `where` (on `e`), ready for `insert into tick_rows (TICK_ROW_COLUMNS)`. */
export const tickRowsOf = (listOf: ListOf, where: string) =>
  `select e.workspace_id, e.due_at, e.id, e.prospect_id, p.company_id, e.status, e.step_index, e.cadence_version_id, p.timezone, ${flagsOf('p')}, ${touchesOf(listOf, 'e.prospect_id')},
     ${companyTouchesOf(listOf, 'p.company_id')}
   from enrollments e join prospects p on p.id = e.prospect_id
   where e.status in ('active', 'snoozed') and ${where}`;

/**
 * The kept touch times of every prospect or company at once (`by_id`, `list`): the same lists as
 * `timesOf`, grouped in one pass over the touches instead of two index seeks per row.
 */
const groupedTimes = (listOf: ListOf, column: 'prospect_id' | 'company_id', kept: number) =>
  `(select t.${column} as by_id, ${listOf('t.occurred_at')} as list from touches t
     join (select ${column} as by_id, max(occurred_at) as latest from touches where ${column} is not null group by ${column}) l on l.by_id = t.${column}
    where t.occurred_at >= l.latest - ${kept} group by t.${column})`;

/**
 * Every due enrollment's tick row into an empty table (the migration; a bulk load that ran without
 * the triggers), in key order. Set-based: per row it would seek the touches four times (1,000,000
 * rows took 16 minutes; grouped, 30 s: docs/benchmarks.md, tick).
 */
export const fillTickRows = (listOf: ListOf) =>
  `insert into tick_rows (${TICK_ROW_COLUMNS})
   select e.workspace_id, e.due_at, e.id, e.prospect_id, p.company_id, e.status, e.step_index, e.cadence_version_id, p.timezone, ${flagsOf('p')}, pt.list, ct.list
   from enrollments e join prospects p on p.id = e.prospect_id
     left join ${groupedTimes(listOf, 'prospect_id', TICK_TOUCHES_KEPT_MS)} pt on pt.by_id = e.prospect_id
     left join ${groupedTimes(listOf, 'company_id', TICK_COMPANY_TOUCHES_KEPT_MS)} ct on ct.by_id = p.company_id
   where e.status in ('active', 'snoozed') order by e.workspace_id, e.due_at, e.id`;

/** What a prospect's tick rows copy from it (company, zone and flags), set from the row `p`. */
export const prospectPart = (listOf: ListOf, p: string) =>
  `company_id = ${p}.company_id, company_touches = ${companyTouchesOf(listOf, `${p}.company_id`)}, timezone = ${p}.timezone, flags = ${flagsOf(p)}`;

/** The enrollment columns a tick row depends on: an update of any other leaves it as it is. */
export const ENROLLMENT_COLUMNS = ['workspace_id', 'prospect_id', 'status', 'due_at', 'step_index', 'cadence_version_id'];
/** The prospect columns a tick row copies. */
export const PROSPECT_COLUMNS = ['company_id', 'timezone', 'opted_out_at', 'do_not_contact', 'email_status'];

/**
 * What the tick rows no longer carry (migration 034): the prospect's and the company's names, kept
 * for the words of the holds the tick wrote until migration 032, and the trigger that renamed them.
 */
export const RETIRED_NAME_COLUMNS = ['first_name', 'last_name', 'email', 'company'];
export const RETIRED_TRIGGER = 'tick_rows_company';

/** `old.a is distinct from new.a or …`: did the update change any of these columns? */
export const changed = (columns: string[], distinct: string) => columns.map((c) => `old.${c} ${distinct} new.${c}`).join(' or ');
