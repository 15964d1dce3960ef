// Putting prospects into cadences, and the rep's manual moves: pause, resume, snooze, unenroll.
import type { Enrollment, Prospect } from './ports/records.ts';
import type { Store } from './ports/store/index.ts';
import { applyEvent, startEnrollment, type EnrollmentEvent, type StepClock } from '../core/enrollment.ts';
import { EnrollmentError } from '../core/enrollment.ts';
import { nextDueAt, placeInWindow, type ScheduleRules } from '../core/schedule.ts';
import type { CadenceStep, EnrollmentState, EnrollmentStatus } from '../core/types.ts';
import { getCadence, stepsLoader } from './cadences.ts';
import { rulesCache, type Context } from './context.ts';
import { TallyError } from '../core/errors.ts';
import { snoozeUntilProblem } from '../core/date-bounds.ts';
import { findProspect, visibleOwner } from './prospects.ts';
import { emitEvent, prospectRef } from './webhooks.ts';
import { chunks } from './chunks.ts';
import { enrollmentFinishedEvent } from '../core/webhook-events.ts';

export function clockFor(rules: ScheduleRules): StepClock {
  return {
    due: (from, step) => nextDueAt(from, step.delay, step.channel, rules),
    place: (at, step) => placeInWindow(at, step.channel, rules),
  };
}

export function stateOf(e: Enrollment): EnrollmentState {
  return {
    status: e.status,
    stepIndex: e.step_index,
    dueAt: e.due_at === null ? null : Number(e.due_at),
    reason: e.reason,
    touches: e.touches,
    lastTouchAt: e.last_touch_at === null ? null : Number(e.last_touch_at),
    startedAt: Number(e.started_at),
    endedAt: e.ended_at === null ? null : Number(e.ended_at),
  };
}

export function stateColumns(s: EnrollmentState, now: number): Pick<Enrollment, 'status' | 'step_index' | 'due_at' | 'reason' | 'touches' | 'last_touch_at' | 'ended_at' | 'updated_at'> {
  return {
    status: s.status,
    step_index: s.stepIndex,
    due_at: s.dueAt,
    reason: s.reason,
    touches: s.touches,
    last_touch_at: s.lastTouchAt,
    ended_at: s.endedAt,
    updated_at: now,
  };
}

export interface EnrollReport {
  cadence: string;
  version: number;
  enrolled: { prospectId: number; enrollmentId: number; dueAt: number }[];
  skipped: { prospectId: number; reason: string }[];
}

export interface EnrollOptions {
  /** Plan the first step from this instant instead of now (a nurture that starts later). */
  startAt?: number;
  /** The finished enrollment this one follows (nurture). */
  follows?: number;
}

/** Enrolls prospects in a cadence's current version. One transaction; skips (with a reason) those who can't be. */
export async function enroll(ctx: Context, prospectIds: number[], cadenceRef: string | number, opts: EnrollOptions = {}): Promise<EnrollReport> {
  const cadence = await getCadence(ctx, cadenceRef);
  if (cadence.archivedAt !== null) {
    throw new TallyError(`"${cadence.name}" is archived: it takes no new enrollments (the live ones finish). Unarchive it first, or pick another cadence.`, 'conflict', { field: 'cadence' });
  }
  const now = ctx.now();
  const planFrom = Math.max(now, opts.startAt ?? now);
  const rules = rulesCache(ctx);
  const report: EnrollReport = { cadence: cadence.name, version: cadence.version, enrolled: [], skipped: [] };
  const unique = [...new Set(prospectIds)];
  await ctx.store.transaction(async (tx) => {
    for (const ids of chunks(unique)) {
      const prospects = new Map((await tx.prospects.visible(ctx.workspace.id, ids, visibleOwner(ctx))).map((p) => [p.id, p]));
      const liveIn = await tx.enrollments.liveCadenceNames(ids);
      const rows = [];
      for (const id of ids) {
        const p = prospects.get(id);
        const reason = !p ? 'unknown prospect' : whyNotEnrollable(p) ?? (liveIn.has(id) ? `already in cadence "${liveIn.get(id)}"` : null);
        if (reason || !p) {
          report.skipped.push({ prospectId: id, reason: reason ?? 'unknown prospect' });
          continue;
        }
        const state = { ...startEnrollment(planFrom, cadence.definition.steps, clockFor(rules(p.timezone))), startedAt: now };
        rows.push({
          workspace_id: ctx.workspace.id,
          prospect_id: id,
          cadence_id: cadence.id,
          cadence_version_id: cadence.versionId,
          owner_id: p.owner_id,
          priority: p.priority,
          follows_enrollment_id: opts.follows ?? null,
          started_at: now,
          ...stateColumns(state, now),
        });
      }
      if (rows.length === 0) continue;
      const inserted = await tx.enrollments.insert(rows);
      for (const r of inserted) report.enrolled.push({ prospectId: r.prospect_id, enrollmentId: r.id, dueAt: Number(r.due_at) });
    }
  });
  return report;
}

export function whyNotEnrollable(p: Pick<Prospect, 'opted_out_at' | 'do_not_contact' | 'email_status'>): string | null {
  if (p.opted_out_at !== null) return 'opted out';
  if (p.do_not_contact) return 'do not contact';
  // A dead address: a new cadence would start by mailing it again.
  if (p.email_status === 'bad') return 'email bounced';
  return null;
}

export interface Transition {
  enrollmentId: number;
  cadence: string;
  before: EnrollmentState;
  after: EnrollmentState;
  nextStep: CadenceStep | null;
}

/** The card a touch was logged from: the enrollment and the step (0-based) it showed. */
export interface SeenStep {
  enrollmentId: number;
  stepIndex: number;
}

/**
 * Applies one event to the prospect's live enrollment and saves it. With `seen`, the event is for
 * that enrollment at that step only: a touch logged from a card that has moved on (a second tap, a
 * second tab) is refused rather than landing on a step the rep never saw.
 */
export async function applyToLive(
  ctx: Context, tx: Store, prospect: Prospect, makeEvent: (now: number) => EnrollmentEvent, seen?: SeenStep,
): Promise<Transition | null> {
  const e = await tx.enrollments.live(prospect.id);
  if (seen) refuseStale(prospect, e, seen);
  if (!e) return null;
  const steps = await tx.cadences.stepsOf(e.cadence_version_id);
  const now = ctx.now();
  const before = stateOf(e);
  let after: EnrollmentState;
  const event = makeEvent(now);
  const tooFar = event.type === 'snooze' ? snoozeUntilProblem(event.until, now) : null;
  if (tooFar) throw new TallyError(tooFar, 'invalid', { field: 'until' });
  try {
    after = applyEvent(before, event, steps, clockFor(rulesCache(ctx)(prospect.timezone)));
  } catch (err) {
    if (err instanceof EnrollmentError) throw new TallyError(err.message, 'conflict');
    throw err;
  }
  await tx.enrollments.update(e.id, stateColumns(after, now));
  const cadence = await tx.cadences.nameOf(e.cadence_id);
  // Every terminal end (finished, replied, bounced, opted out…) passes here: one place for the event.
  await emitEvent({ ...ctx, store: tx }, enrollmentFinishedEvent({ enrollmentId: e.id, cadence, prospect: prospectRef(prospect), before, after, at: now }));
  return { enrollmentId: e.id, cadence, before, after, nextStep: after.dueAt !== null ? steps[after.stepIndex] ?? null : null };
}

function refuseStale(prospect: Prospect, live: Enrollment | undefined, seen: SeenStep): void {
  if (live?.id === seen.enrollmentId && live.step_index === seen.stepIndex) return;
  const now = live?.id === seen.enrollmentId ? `is now on step ${live.step_index + 1}` : 'is no longer in that cadence';
  throw new TallyError(
    `Not logged: the card you acted on is out of date. ${prospect.email} ${now}, not step ${seen.stepIndex + 1} — ` +
      'someone (or another tab) already logged it. Reload the queue to see the current card.',
    'conflict',
  );
}

/** Pause, resume, snooze or unenroll the prospect's live enrollment. */
export async function changeEnrollment(ctx: Context, ref: string | number, makeEvent: (now: number) => EnrollmentEvent): Promise<Transition> {
  const prospect = await findProspect(ctx, ref);
  return ctx.store.transaction(async (tx) => {
    const t = await applyToLive(ctx, tx, prospect, makeEvent);
    if (!t) throw new TallyError(`${prospect.email} is not in a cadence (enroll them first)`, 'conflict');
    return t;
  });
}

export interface BulkChangeReport {
  changed: { prospectId: number; enrollmentId: number; status: EnrollmentStatus }[];
  skipped: { prospectId: number; reason: string }[];
}

/**
 * Pause or resume many prospects' live enrollments in one transaction (the board's bulk actions).
 * Batched rather than `changeEnrollment` per prospect: thousands of ids cost a few queries per
 * chunk, not four per prospect. Prospects the user may not see are skipped as unknown, exactly
 * like ids that do not exist, so nothing leaks; those the event does not fit are skipped with why.
 */
export async function changeEnrollments(ctx: Context, prospectIds: number[], makeEvent: (now: number) => EnrollmentEvent): Promise<BulkChangeReport> {
  const report: BulkChangeReport = { changed: [], skipped: [] };
  const rules = rulesCache(ctx);
  await ctx.store.transaction(async (tx) => {
    const steps = stepsLoader(tx);
    for (const ids of chunks([...new Set(prospectIds)])) {
      const zones = await tx.prospects.zones(ctx.workspace.id, ids, visibleOwner(ctx));
      const live = await tx.enrollments.liveOf(ids);
      const liveOf = new Map(live.map((e) => [e.prospect_id, e]));
      const now = ctx.now();
      for (const id of ids) {
        const e = liveOf.get(id);
        if (!zones.has(id)) report.skipped.push({ prospectId: id, reason: 'unknown prospect' });
        else if (!e) report.skipped.push({ prospectId: id, reason: 'not in a cadence' });
        else {
          let after: EnrollmentState;
          try {
            after = applyEvent(stateOf(e), makeEvent(now), await steps(e.cadence_version_id), clockFor(rules(zones.get(id) ?? null)));
          } catch (err) {
            if (!(err instanceof EnrollmentError)) throw err;
            report.skipped.push({ prospectId: id, reason: err.message.replace(/^the enrollment is /, '') });
            continue;
          }
          await tx.enrollments.update(e.id, stateColumns(after, now));
          report.changed.push({ prospectId: id, enrollmentId: e.id, status: after.status });
        }
      }
    }
  });
  return report;
}
