// Finding prospects the acting user may see, and the full picture of one of them.
import type { Prospect } from '../store/schema.ts';
import type { Context } from './context.ts';
import { isManager } from './context.ts';
import { NotFoundError } from '../core/errors.ts';
import { tallyLine } from '../core/tally.ts';

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** A prospect by id or email, within what the acting user may see. */
export async function findProspect(ctx: Context, ref: string | number): Promise<Prospect> {
  let q = ctx.store.db.selectFrom('prospects').selectAll().where('workspace_id', '=', ctx.workspace.id);
  const text = String(ref).trim();
  // Ids are 32-bit on PostgreSQL: a larger number cannot be an id (and must not be a query error).
  q = /^\d{1,10}$/.test(text) && Number(text) <= 2_147_483_647 ? q.where('id', '=', Number(text)) : q.where('email_key', '=', emailKey(text));
  if (!isManager(ctx)) q = q.where('owner_id', '=', ctx.user.id);
  const p = await q.executeTakeFirst();
  if (!p) throw new NotFoundError(`unknown prospect "${text}" (give an id or an email address)`);
  return p;
}

export function displayName(p: Pick<Prospect, 'first_name' | 'last_name' | 'email'>): string {
  const name = [p.first_name, p.last_name].filter(Boolean).join(' ');
  return name || p.email;
}

export interface TimelineEntry {
  at: number;
  kind: 'touch' | 'enrolled' | 'ended';
  channel?: string;
  outcome?: string;
  note?: string | null;
  cadence?: string;
  step?: number | null;
  text: string;
}

export interface ProspectView {
  prospect: Prospect & { company: string | null; owner: string; custom_fields: Record<string, string> };
  tally: { count: number; line: string };
  enrollments: {
    id: number;
    cadence: string;
    version: number;
    status: string;
    reason: string | null;
    step: number;
    steps: number;
    nextStep: string | null;
    dueAt: number | null;
  }[];
  timeline: TimelineEntry[];
}

export async function showProspect(ctx: Context, ref: string | number): Promise<ProspectView> {
  const p = await findProspect(ctx, ref);
  const db = ctx.store.db;
  const [company, owner, enrollments, touches] = await Promise.all([
    p.company_id ? db.selectFrom('companies').select('name').where('id', '=', p.company_id).executeTakeFirst() : undefined,
    db.selectFrom('users').select('name').where('id', '=', p.owner_id).executeTakeFirstOrThrow(),
    db
      .selectFrom('enrollments as e')
      .innerJoin('cadences as c', 'c.id', 'e.cadence_id')
      .innerJoin('cadence_versions as v', 'v.id', 'e.cadence_version_id')
      .leftJoin('cadence_steps as s', (j) => j.onRef('s.cadence_version_id', '=', 'e.cadence_version_id').onRef('s.position', '=', 'e.step_index'))
      .select((eb) => [
        'e.id',
        'c.name as cadence',
        'v.version',
        'e.status',
        'e.reason',
        'e.step_index',
        'e.due_at',
        'e.started_at',
        'e.ended_at',
        's.name as next_step',
        eb.selectFrom('cadence_steps as all_steps').whereRef('all_steps.cadence_version_id', '=', 'e.cadence_version_id').select(eb.fn.countAll<number>().as('n')).as('steps'),
      ])
      .where('e.prospect_id', '=', p.id)
      .orderBy('e.started_at')
      .orderBy('e.id') // ties in a stable order on every engine
      .execute(),
    db.selectFrom('touches').selectAll().where('prospect_id', '=', p.id).orderBy('occurred_at').orderBy('id').execute(),
  ]);
  const timeline: TimelineEntry[] = [];
  for (const e of enrollments) {
    timeline.push({ at: e.started_at, kind: 'enrolled', cadence: e.cadence, text: `enrolled in ${e.cadence} v${e.version}` });
    if (e.ended_at !== null) timeline.push({ at: e.ended_at, kind: 'ended', cadence: e.cadence, text: `${e.cadence}: ${e.status}${e.reason ? ` (${e.reason})` : ''}` });
  }
  for (const t of touches) {
    timeline.push({
      at: t.occurred_at,
      kind: 'touch',
      channel: t.channel,
      outcome: t.outcome,
      note: t.note,
      step: t.step_index === null ? null : t.step_index + 1,
      text: `${t.channel} → ${t.outcome.replace(/_/g, ' ')}${t.note ? ` — ${t.note}` : ''}`,
    });
  }
  // Same instant: the enrollment comes first, its end last.
  const order = { enrolled: 0, touch: 1, ended: 2 } as const;
  timeline.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);
  return {
    prospect: { ...p, company: company?.name ?? null, owner: owner.name, custom_fields: JSON.parse(p.custom) as Record<string, string> },
    tally: { count: touches.length, line: tallyLine(touches.length) },
    enrollments: enrollments.map((e) => ({
      id: e.id,
      cadence: e.cadence,
      version: e.version,
      status: e.status,
      reason: e.reason,
      step: Math.min(e.step_index + 1, Number(e.steps)),
      steps: Number(e.steps),
      nextStep: e.next_step ?? null,
      dueAt: e.due_at,
    })),
    timeline,
  };
}
