// Never give up too early: finished-with-no-reply enrollments get a nurture proposal, which the
// rep accepts (enrolled in the slower follow-on) or declines.
import { proposeNurture, type NurtureDecision } from '../core/nurture.ts';
import { REPLY_OUTCOMES, type CadenceDefinition, type EnrollmentStatus } from '../core/types.ts';
import { NURTURE_CADENCE_NAME } from '../core/default-cadences.ts';
import type { Context } from './context.ts';
import { isManager, rulesCache } from './context.ts';
import { enroll, LIVE } from './enrollments.ts';
import { TallyError } from '../core/errors.ts';

export interface NurtureProposal {
  enrollmentId: number;
  prospectId: number;
  name: string;
  finishedCadence: string;
  touches: number;
  endedAt: number;
  decision: NurtureDecision;
}


async function currentDefinitions(ctx: Context): Promise<CadenceDefinition[]> {
  const rows = await ctx.store.db
    .selectFrom('cadences as c')
    .innerJoin('cadence_versions as v', (j) => j.onRef('v.cadence_id', '=', 'c.id').onRef('v.version', '=', 'c.current_version'))
    .select('v.definition')
    .where('c.workspace_id', '=', ctx.workspace.id)
    .execute();
  return rows.map((r) => JSON.parse(r.definition) as CadenceDefinition);
}

/** Proposals for enrollments that ran every step with no reply and await the rep's decision. */
export async function nurtureProposals(ctx: Context, onlyEnrollmentIds?: number[]): Promise<NurtureProposal[]> {
  let q = ctx.store.db
    .selectFrom('enrollments as e')
    .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
    .innerJoin('cadences as c', 'c.id', 'e.cadence_id')
    .select([
      'e.id', 'e.prospect_id', 'e.status', 'e.step_index', 'e.touches', 'e.ended_at', 'e.follows_enrollment_id',
      'c.name as cadence', 'p.first_name', 'p.last_name', 'p.email', 'p.timezone', 'p.opted_out_at', 'p.do_not_contact',
    ])
    .select((eb) => [
      eb.exists(eb.selectFrom('enrollments as l').select('l.id').whereRef('l.prospect_id', '=', 'e.prospect_id').where('l.status', 'in', LIVE)).as('has_live'),
      eb.exists(eb.selectFrom('enrollments as n').select('n.id').whereRef('n.follows_enrollment_id', '=', 'e.id')).as('followed'),
      eb.exists(eb.selectFrom('touches as t').select('t.id').whereRef('t.prospect_id', '=', 'e.prospect_id').where('t.outcome', 'in', REPLY_OUTCOMES)).as('replied'),
    ])
    .where('e.workspace_id', '=', ctx.workspace.id)
    .where('e.status', '=', 'finished')
    .where('e.nurture', 'is', null);
  if (!isManager(ctx)) q = q.where('e.owner_id', '=', ctx.user.id);
  if (onlyEnrollmentIds) q = q.where('e.id', 'in', onlyEnrollmentIds.length ? onlyEnrollmentIds : [-1]);
  const rows = await q.orderBy('e.ended_at').orderBy('e.id').execute();
  const cadences = await currentDefinitions(ctx);
  const rules = rulesCache(ctx);
  const out: NurtureProposal[] = [];
  for (const r of rows) {
    if (r.has_live) continue;
    const name = [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email;
    const decision = proposeNurture(
      {
        prospectName: name,
        cadenceName: r.cadence,
        status: r.status as EnrollmentStatus,
        stepIndex: r.step_index,
        touches: r.touches,
        endedAt: Number(r.ended_at),
        replied: Boolean(r.replied),
        optedOut: r.opted_out_at !== null || r.do_not_contact === 1,
        alreadyNurtured: Boolean(r.followed) || r.follows_enrollment_id !== null,
        rules: rules(r.timezone),
      },
      cadences,
      { defaultNurture: NURTURE_CADENCE_NAME },
    );
    out.push({ enrollmentId: r.id, prospectId: r.prospect_id, name, finishedCadence: r.cadence, touches: r.touches, endedAt: Number(r.ended_at), decision });
  }
  return out;
}

export interface NurtureResult {
  /** `startAt`: the proposed start; `dueAt`: when the nurture's first touch is due (its first step's delay runs from the start). */
  accepted: { enrollmentId: number; prospectId: number; cadence: string; startAt: number; dueAt: number }[];
  declined: number[];
  skipped: { enrollmentId: number; reason: string }[];
}

/** Accepts (enrolls into the proposed nurture, starting at the proposed date) or declines proposals. */
export async function decideNurture(ctx: Context, ids: number[] | 'all', decision: 'accept' | 'decline'): Promise<NurtureResult> {
  const proposals = await nurtureProposals(ctx, ids === 'all' ? undefined : ids);
  const result: NurtureResult = { accepted: [], declined: [], skipped: [] };
  if (ids !== 'all') {
    for (const id of ids) if (!proposals.some((p) => p.enrollmentId === id)) result.skipped.push({ enrollmentId: id, reason: 'no open nurture proposal for this enrollment' });
  }
  for (const p of proposals) {
    if (!p.decision.propose) {
      if (ids !== 'all') result.skipped.push({ enrollmentId: p.enrollmentId, reason: p.decision.message });
      continue;
    }
    if (decision === 'decline') {
      await ctx.store.db.updateTable('enrollments').set({ nurture: 'declined' }).where('id', '=', p.enrollmentId).execute();
      result.declined.push(p.enrollmentId);
      continue;
    }
    const report = await enroll(ctx, [p.prospectId], p.decision.cadence, { startAt: p.decision.startAt, follows: p.enrollmentId });
    if (report.enrolled.length === 0) {
      result.skipped.push({ enrollmentId: p.enrollmentId, reason: report.skipped[0]?.reason ?? 'could not enroll' });
      continue;
    }
    await ctx.store.db.updateTable('enrollments').set({ nurture: 'accepted' }).where('id', '=', p.enrollmentId).execute();
    result.accepted.push({
      enrollmentId: p.enrollmentId,
      prospectId: p.prospectId,
      cadence: p.decision.cadence,
      startAt: p.decision.startAt,
      dueAt: report.enrolled[0]!.dueAt,
    });
  }
  if (ids !== 'all' && ids.length === 0) throw new TallyError('name the enrollments to decide on, or use --all', 'usage');
  return result;
}
