// The rep's queue: due and overdue touches, with what they need to make each one count.
import { startOfNextLocalDay } from '../core/schedule.ts';
import type { Context } from './context.ts';
import { isManager, userZone } from './context.ts';
import { holdsFor } from './holds.ts';
import type { Channel } from '../core/types.ts';
import { playbookForSteps, type StepPlaybook } from './playbook.ts';

export interface QueueItem {
  enrollmentId: number;
  prospectId: number;
  name: string;
  email: string;
  phone: string | null;
  title: string | null;
  company: string | null;
  timezone: string | null;
  priority: number;
  cadence: string;
  step: number;
  steps: number | null;
  stepName: string;
  channel: string;
  dueAt: number;
  overdue: boolean;
  status: string;
  valueItem: string;
  talkingPoints: string[];
  subject: string | null;
  touches: number;
  /** Set when a guardrail keeps this touch from happening now: until when, and why. */
  held: { until: number | null; reasons: string[] } | null;
  /** The step's playbook value item (title, summary, link) and the objections to be ready for. */
  playbook: StepPlaybook;
}

export interface ReplyWaiting {
  prospectId: number;
  name: string;
  email: string;
  company: string | null;
  at: number;
  /** The subject or first words of the reply. */
  note: string | null;
}

export interface Queue {
  owner: string;
  until: number;
  total: number;
  overdue: number;
  /** Inbound replies nobody has answered yet: they go first, before any planned touch. */
  replies: ReplyWaiting[];
  items: QueueItem[];
}

/** How far back an unanswered inbound reply still heads the queue. */
const REPLY_WINDOW_MS = 14 * 86_400_000;

/** Replies that came in (logged by mail sync, so with a Message-ID) with no touch from the rep since. */
async function repliesWaiting(ctx: Context, team: boolean): Promise<ReplyWaiting[]> {
  let q = ctx.store.db
    .selectFrom('touches as t')
    .innerJoin('prospects as p', 'p.id', 't.prospect_id')
    .leftJoin('companies as co', 'co.id', 'p.company_id')
    .select(['t.prospect_id', 't.occurred_at', 't.note', 'p.first_name', 'p.last_name', 'p.email', 'co.name as company'])
    .where('t.workspace_id', '=', ctx.workspace.id)
    .where('t.outcome', '=', 'replied')
    .where('t.message_id', 'is not', null)
    .where('t.occurred_at', '>=', ctx.now() - REPLY_WINDOW_MS)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('touches as later').select('later.id').whereRef('later.prospect_id', '=', 't.prospect_id').whereRef('later.occurred_at', '>', 't.occurred_at'))),
    );
  if (!team) q = q.where('p.owner_id', '=', ctx.user.id);
  const rows = await q.orderBy('t.occurred_at', 'desc').orderBy('t.id', 'desc').limit(100).execute();
  return rows.map((r) => ({
    prospectId: r.prospect_id,
    name: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email,
    email: r.email,
    company: r.company,
    at: Number(r.occurred_at),
    note: r.note,
  }));
}

export interface QueueOptions {
  /** Include touches due up to the end of this many local days after today (0 = today). */
  days?: number;
  limit?: number;
  /** Managers: the whole team's queue. */
  team?: boolean;
}

/** The last millisecond of the local day `extraDays` after today's, in `zone` (DST-safe, no Luxon object). */
export function endOfLocalDay(now: number, zone: string, extraDays = 0): number {
  let next = startOfNextLocalDay(now, zone);
  for (let d = 0; d < extraDays; d++) next = startOfNextLocalDay(next, zone);
  return next - 1;
}

export async function todayQueue(ctx: Context, opts: QueueOptions = {}): Promise<Queue> {
  const now = ctx.now();
  const until = endOfLocalDay(now, userZone(ctx), opts.days ?? 0);
  const limit = opts.limit ?? 100;
  const team = opts.team === true && isManager(ctx);
  const db = ctx.store.db;
  // A rep's own queue is read from the (owner, status, due, priority) index alone; the owner implies the workspace.
  let base = db.selectFrom('enrollments as e').where('e.status', 'in', ['active', 'snoozed']).where('e.due_at', '<=', until);
  base = team ? base.where('e.workspace_id', '=', ctx.workspace.id) : base.where('e.owner_id', '=', ctx.user.id);
  const counts = await base
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(eb.case().when('e.due_at', '<', now).then(1).else(0).end()).as('overdue')])
    .executeTakeFirstOrThrow();
  // Step 1, from the queue index alone: which enrollments, in which order.
  // Overdue first, hottest first among them; then today's touches in time order.
  const page = await base
    .select(['e.id'])
    .orderBy((eb) => eb.case().when('e.due_at', '<', now).then(0).else(1).end())
    .orderBy((eb) => eb.case().when('e.due_at', '<', now).then(eb.neg(eb.ref('e.priority'))).else(0).end())
    .orderBy('e.due_at')
    .orderBy('e.priority', 'desc')
    .orderBy('e.id')
    .limit(limit)
    .execute();
  const order = new Map(page.map((r, i) => [r.id, i]));
  // Step 2: what the rep needs to see for just those.
  const rows = page.length === 0 ? [] : (await db
    .selectFrom('enrollments as e')
    .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
    .innerJoin('cadences as c', 'c.id', 'e.cadence_id')
    .innerJoin('cadence_steps as s', (j) => j.onRef('s.cadence_version_id', '=', 'e.cadence_version_id').onRef('s.position', '=', 'e.step_index'))
    .leftJoin('companies as co', 'co.id', 'p.company_id')
    .select([
      'e.id as enrollment_id',
      'e.prospect_id',
      'e.step_index',
      'e.due_at',
      'e.status',
      'e.cadence_version_id',
      'e.priority',
      'p.first_name',
      'p.last_name',
      'p.email',
      'p.phone',
      'p.title',
      'p.timezone',
      'p.company_id',
      'p.opted_out_at',
      'p.do_not_contact',
      'p.email_status',
      'co.name as company',
      'c.name as cadence',
      's.name as step_name',
      's.channel',
      's.value_item',
      's.talking_points',
      's.subject',
      's.value_item_key',
      's.objection_keys',
      's.objection_tags',
    ])
    // Counts for just this page, in the same round trip.
    .select((eb) => [
      eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'e.prospect_id').select(eb.fn.countAll<number>().as('n')).as('touches'),
      eb.selectFrom('cadence_steps as all_steps').whereRef('all_steps.cadence_version_id', '=', 'e.cadence_version_id').select(eb.fn.countAll<number>().as('n')).as('steps'),
    ])
    .where('e.id', 'in', [...order.keys()])
    .execute()).sort((x, y) => order.get(x.enrollment_id)! - order.get(y.enrollment_id)!);
  const playbooks = await playbookForSteps(ctx, rows);
  const items: QueueItem[] = rows.map((r, i) => ({
    enrollmentId: r.enrollment_id,
    prospectId: r.prospect_id,
    name: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email,
    email: r.email,
    phone: r.phone,
    title: r.title,
    company: r.company,
    timezone: r.timezone,
    priority: r.priority,
    cadence: r.cadence,
    step: r.step_index + 1,
    steps: Number(r.steps),
    stepName: r.step_name,
    channel: r.channel,
    dueAt: Number(r.due_at),
    overdue: Number(r.due_at) < now,
    status: r.status,
    valueItem: r.value_item,
    talkingPoints: JSON.parse(r.talking_points) as string[],
    subject: r.subject,
    touches: Number(r.touches),
    held: null,
    playbook: playbooks[i]!,
  }));
  // Persistent, never pushy: say which touches a guardrail holds back, and why.
  const verdicts = await holdsFor(
    ctx,
    rows.map((r) => ({
      key: r.enrollment_id,
      prospectId: r.prospect_id,
      name: [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email,
      timezone: r.timezone,
      companyId: r.company_id,
      companyName: r.company,
      channel: r.channel as Channel,
      at: Math.max(Number(r.due_at), now),
      optedOut: r.opted_out_at !== null,
      doNotContact: r.do_not_contact === 1,
      emailBad: r.email_status === 'bad',
    })),
  );
  for (const item of items) {
    const v = verdicts.get(item.enrollmentId);
    if (v && (v.at === null || v.at > Math.max(item.dueAt, now)) && v.holds.length) {
      item.held = { until: v.at, reasons: v.holds.map((h) => h.explanation) };
    }
  }
  const replies = await repliesWaiting(ctx, team);
  return { owner: team ? 'team' : ctx.user.name, until, total: Number(counts.total), overdue: Number(counts.overdue ?? 0), replies, items };
}
