// Never give up too early: finished-with-no-reply enrollments get a nurture proposal, which the
// rep accepts (enrolled in the slower follow-on) or declines.
import { proposeNurture, type NurtureDecision } from '../core/nurture.ts';
import { NURTURE_CADENCE_NAME } from '../core/default-cadences.ts';
import type { Context } from './context.ts';
import { rulesCache } from './context.ts';
import { enroll } from './enrollments.ts';
import { visibleOwner } from './prospects.ts';
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


/** Proposals for enrollments that ran every step with no reply and await the rep's decision. */
export async function nurtureProposals(ctx: Context, onlyEnrollmentIds?: number[]): Promise<NurtureProposal[]> {
  const rows = await ctx.store.due.nurtureCandidates({ workspaceId: ctx.workspace.id, ownerId: visibleOwner(ctx), enrollmentIds: onlyEnrollmentIds });
  const cadences = (await ctx.store.cadences.currentDefinitions(ctx.workspace.id)).map((c) => c.def);
  const rules = rulesCache(ctx);
  const out: NurtureProposal[] = [];
  for (const r of rows) {
    if (r.hasLive) continue;
    const decision = proposeNurture(
      {
        prospectName: r.name,
        cadenceName: r.cadence,
        status: r.status,
        stepIndex: r.stepIndex,
        touches: r.touches,
        endedAt: r.endedAt,
        replied: r.replied,
        optedOut: r.flags.optedOut || r.flags.doNotContact,
        alreadyNurtured: r.followed || r.followsEnrollmentId !== null,
        rules: rules(r.timezone),
      },
      cadences,
      { defaultNurture: NURTURE_CADENCE_NAME },
    );
    out.push({ enrollmentId: r.enrollmentId, prospectId: r.prospectId, name: r.name, finishedCadence: r.cadence, touches: r.touches, endedAt: r.endedAt, decision });
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
      await ctx.store.enrollments.update(p.enrollmentId, { nurture: 'declined' });
      result.declined.push(p.enrollmentId);
      continue;
    }
    const report = await enroll(ctx, [p.prospectId], p.decision.cadence, { startAt: p.decision.startAt, follows: p.enrollmentId });
    if (report.enrolled.length === 0) {
      result.skipped.push({ enrollmentId: p.enrollmentId, reason: report.skipped[0]?.reason ?? 'could not enroll' });
      continue;
    }
    await ctx.store.enrollments.update(p.enrollmentId, { nurture: 'accepted' });
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
