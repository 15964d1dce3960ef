// The board's bulk actions, made safe: an enroll leaves out by default whoever answered lately,
// opted out, bounced or is already in a live cadence (and says so before acting: checkEnroll), and
// every bulk enroll, pause or resume is kept as a bulk change its author can undo for 10 seconds,
// in one transaction: the enrollments it made are removed, the ones it changed go back as they were.
import type { Context } from './context.ts';
import { inTransaction } from './context.ts';
import { changeEnrollments, enroll, stateColumns, stateOf, type BulkChangeReport, type EnrollReport } from './enrollments.ts';
import { UNDO_WINDOW_MS } from './touches.ts';
import { visibleOwner } from './prospects.ts';
import type { BulkAction, Enrollment } from './ports/records.ts';
import type { Store } from './ports/store/index.ts';
import { ANSWER_WINDOW_DAYS, INCLUDABLE_REASONS, LEAVE_OUT_REASONS, LEAVE_OUT_WORDS, leaveOutReason, type IncludableReason, type LeaveOutReason } from '../core/enroll-safety.ts';
import type { EnrollmentEvent } from '../core/enrollment.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';
import { chunks } from './chunks.ts';

const DAY_MS = 86_400_000;

export interface LeftOutGroup {
  reason: LeaveOutReason;
  /** "who replied in the last 30 days" */
  words: string;
  count: number;
  /** The rep may include them anyway. */
  includable: boolean;
}

export interface EnrollCheck {
  /** Prospects asked for that the user may see. */
  total: number;
  /** Who would be enrolled. */
  enroll: number[];
  /** `skip`: why, as the enroll's report says it ('already in cadence "X"', 'opted out', 'left out: replied in the last 30 days'). */
  leftOut: { prospectId: number; reason: LeaveOutReason; skip: string }[];
  groups: LeftOutGroup[];
  /** Who is enrolled only because `include` names why they would have been left out. */
  included: LeftOutGroup[];
}

/** Who an enroll of these prospects would take, and who it leaves out and why (nothing is written). */
export async function checkEnroll(ctx: Context, prospectIds: number[], include: readonly IncludableReason[] = [], store: Store = ctx.store): Promise<EnrollCheck> {
  const included = new Set(include);
  const since = ctx.now() - ANSWER_WINDOW_DAYS * DAY_MS;
  const out: EnrollCheck = { total: 0, enroll: [], leftOut: [], groups: [], included: [] };
  const includedFor: LeaveOutReason[] = [];
  for (const ids of chunks([...new Set(prospectIds)])) {
    const [prospects, live, answers] = await Promise.all([
      store.prospects.visible(ctx.workspace.id, ids, visibleOwner(ctx)),
      store.enrollments.liveCadenceNames(ids),
      store.records.recentAnswers(ids, ['replied', 'meeting_booked', 'not_interested'], since),
    ]);
    const answered = new Map<number, Set<IncludableReason>>();
    for (const a of answers) {
      const set = answered.get(a.prospectId) ?? new Set();
      set.add(a.outcome as IncludableReason);
      answered.set(a.prospectId, set);
    }
    for (const p of prospects) {
      out.total++;
      const facts = {
        optedOut: p.opted_out_at !== null || p.do_not_contact !== 0,
        bounced: p.email_status === 'bad',
        live: live.has(p.id),
        answers: answered.get(p.id) ?? new Set<IncludableReason>(),
      };
      const reason = leaveOutReason(facts, included);
      if (reason !== null) out.leftOut.push({ prospectId: p.id, reason, skip: skipWords(reason, p.opted_out_at !== null, live.get(p.id)) });
      else {
        out.enroll.push(p.id);
        const without = leaveOutReason(facts);
        if (without !== null) includedFor.push(without);
      }
    }
  }
  out.groups = groupsOf(out.leftOut.map((l) => l.reason));
  out.included = groupsOf(includedFor);
  return out;
}

/** The words of the enroll's report for one left out (the same as an enroll that skips them itself). */
function skipWords(reason: LeaveOutReason, optedOut: boolean, liveIn: string | undefined): string {
  if (reason === 'opted_out') return optedOut ? 'opted out' : 'do not contact';
  if (reason === 'live') return `already in cadence "${liveIn ?? ''}"`;
  return `left out: ${LEAVE_OUT_WORDS[reason].replace(/^who /, '')}`;
}

function groupsOf(reasons: LeaveOutReason[]): LeftOutGroup[] {
  return LEAVE_OUT_REASONS.map((reason) => ({
    reason, words: LEAVE_OUT_WORDS[reason], count: reasons.filter((r) => r === reason).length, includable: (INCLUDABLE_REASONS as readonly string[]).includes(reason),
  })).filter((g) => g.count > 0);
}

export interface Undoable {
  bulkChangeId: number;
  undoUntil: number;
}

/** What an undo restores: the enrollments a bulk enroll made, or the changed ones as they were. */
type BulkUndo = { enrollmentIds: number[] } | { before: Enrollment[]; changedAt: Record<number, number> };

async function keep(ctx: Context, tx: Store, action: BulkAction, undo: BulkUndo): Promise<Undoable> {
  const now = ctx.now();
  const undoUntil = now + UNDO_WINDOW_MS;
  const bulkChangeId = await tx.records.addBulkChange({ workspace_id: ctx.workspace.id, user_id: ctx.user.id, action, undo: JSON.stringify(undo), undo_until: undoUntil, created_at: now });
  return { bulkChangeId, undoUntil };
}

/** A bulk enroll that leaves out who checkEnroll leaves out (they are reported as skipped, with why). */
export async function enrollSafely(ctx: Context, prospectIds: number[], cadence: string | number, include: readonly IncludableReason[] = []): Promise<EnrollReport & Undoable & { leftOut: LeftOutGroup[] }> {
  return ctx.store.transaction(async (tx) => {
    const txCtx = inTransaction(ctx, tx);
    const check = await checkEnroll(txCtx, prospectIds, include, tx);
    const report = await enroll(txCtx, check.enroll, cadence);
    const visible = new Set([...check.enroll, ...check.leftOut.map((l) => l.prospectId)]);
    const unknown = [...new Set(prospectIds)].filter((id) => !visible.has(id)).map((prospectId) => ({ prospectId, reason: 'unknown prospect' }));
    const leftOut = check.leftOut.map((l) => ({ prospectId: l.prospectId, reason: l.skip }));
    const undoable = await keep(txCtx, tx, 'enroll', { enrollmentIds: report.enrolled.map((e) => e.enrollmentId) });
    return { ...report, skipped: [...report.skipped, ...leftOut, ...unknown], leftOut: check.groups, ...undoable };
  });
}

/** Bulk pause or resume, kept for undo. */
export async function changeManyUndoably(ctx: Context, action: 'pause' | 'resume', prospectIds: number[], makeEvent: (now: number) => EnrollmentEvent): Promise<BulkChangeReport & Undoable> {
  return ctx.store.transaction(async (tx) => {
    const txCtx = inTransaction(ctx, tx);
    const before = new Map<number, Enrollment>();
    for (const ids of chunks([...new Set(prospectIds)])) for (const e of await tx.enrollments.liveOf(ids)) before.set(e.id, e);
    const report = await changeEnrollments(txCtx, prospectIds, makeEvent);
    const changed = report.changed.map((c) => before.get(c.enrollmentId)!).filter(Boolean);
    const after = await tx.records.enrollments(changed.map((e) => e.id));
    const changedAt = Object.fromEntries(after.map((e) => [e.id, Number(e.updated_at)]));
    return { ...report, ...(await keep(txCtx, tx, action, { before: changed, changedAt })) };
  });
}

export interface UndoReport {
  action: BulkAction;
  /** Enrollments removed (an enroll) or put back as they were (a pause or resume). */
  undone: number;
  /** Enrollments changed since (a touch logged, a mail sent, another move): left as they are. */
  kept: number;
}

export async function undoBulkChange(ctx: Context, id: number): Promise<UndoReport> {
  return ctx.store.transaction(async (tx) => {
    const change = await tx.records.bulkChange(ctx.workspace.id, id);
    // Only its author undoes a bulk change; anyone else's is not found.
    if (!change || change.user_id !== ctx.user.id) throw new NotFoundError(`unknown bulk change ${id}`);
    const now = ctx.now();
    if (change.undone_at !== null) throw new TallyError('this bulk change was already undone', 'conflict');
    if (now > change.undo_until) throw new TallyError('too late to undo: a bulk change can be undone for 10 seconds', 'conflict');
    const undo = JSON.parse(change.undo) as BulkUndo;
    let undone = 0;
    let kept = 0;
    if ('enrollmentIds' in undo) {
      const worked = await tx.records.worked(undo.enrollmentIds);
      const removable = undo.enrollmentIds.filter((e) => !worked.has(e));
      await tx.records.removeEnrollments(removable);
      undone = removable.length;
      kept = worked.size;
    } else {
      const current = new Map((await tx.records.enrollments(undo.before.map((e) => e.id))).map((e) => [e.id, e]));
      for (const was of undo.before) {
        const still = current.get(was.id);
        // Changed again since the bulk change (a touch, another move): leave it as it is.
        if (!still || Number(still.updated_at) !== undo.changedAt[was.id]) {
          kept++;
          continue;
        }
        await tx.enrollments.update(was.id, stateColumns(stateOf(was), now));
        undone++;
      }
    }
    await tx.records.markBulkUndone(change.id, now);
    return { action: change.action, undone, kept };
  });
}
