// The scheduler tick: keeps the guardrail hold of every touch due within the horizon current and
// wakes snoozed enrollments whose time has come. Its cost follows the work that is due, not the
// enrollments stored: it reads the tick rows (one per due enrollment, in due order, kept by the
// writes' triggers: store migration 023) and, through indexes,
//  1. what changed since the last tick — the events the writes queued in their own transaction (a
//     touch to the person or their company, an enrollment moved, a flag, zone or setting changed);
//  2. the enrollments due by now: checked at "now", their verdict moves with the clock;
//  3. the enrollments whose due time entered the horizon since the last tick.
// An enrollment due later inside the horizon is checked at its due time, so its verdict stands
// until one of its events; one due past the horizon has no hold until it enters (docs/scale.md).
import { earliestAllowed, type EarliestAllowed, type Hold } from '../core/guardrails/index.ts';
import { rulesCache, type Context } from './context.ts';
import { COMPANY_LOOKBACK_MS, LOOKBACK_MS } from './holds.ts';
import type { DueRange, TickHistory, TickRowWithHistory as TickRow, TickTargets } from './ports/store/due-steps.ts';
import type { HoldChange } from './ports/store/enrollments.ts';
import type { SchedulerEvent } from './ports/records.ts';
import type { Store } from './ports/store/index.ts';

const HOUR_MS = 3_600_000;
/**
 * How far ahead holds are kept: at least the rest of today and all of tomorrow in every zone (48 h
 * from local midnight, plus a DST hour and a margin), so the queue can count and list held cards.
 */
export const HORIZON_MS = 50 * HOUR_MS;

export interface TickReport {
  /** Enrollments checked against the guardrails. */
  checked: number;
  held: number;
  released: number;
  woken: number;
  /** Events handled (what changed since the last tick). */
  events: number;
  /** Rows the tick read: enrollments, events and touch times. */
  read: number;
  /** Every enrollment due within the horizon was checked (first tick, a settings change, --full). */
  full: boolean;
  /** Holds are kept for touches due up to here. */
  horizon: number;
  ms: number;
}

export interface TickOptions {
  batch?: number;
  /** Check every enrollment due within the horizon, not only what is due or changed. */
  full?: boolean;
  onProgress?: (checked: number) => void;
}

export async function schedulerTick(ctx: Context, opts: TickOptions = {}): Promise<TickReport> {
  const started = performance.now();
  const now = ctx.now();
  const horizon = now + HORIZON_MS;
  const state = await ctx.store.scheduler.state(ctx.workspace.id);
  const run = await newRun(ctx, now, horizon, opts);
  // No state yet, or a clock that went back: nothing is known, check the whole horizon.
  run.report.full = opts.full === true || !state || state.ticked_at > now;
  await handleEvents(ctx, run);
  const ranges: DueRange[] =
    run.report.full || !state ? [{ dueBy: horizon }] : [{ dueBy: now }, { dueAbove: Math.max(state.horizon_until, now), dueBy: horizon }];
  for (const range of ranges) await sweep(ctx, run, range);
  await ctx.store.scheduler.saveState({ workspace_id: ctx.workspace.id, horizon_until: horizon, ticked_at: now });
  run.report.ms = performance.now() - started;
  return run.report;
}

type Run = Awaited<ReturnType<typeof newRun>>;

/** What one tick keeps between batches: the report, the step channels, company names, verdicts shared by rows alike. */
async function newRun(ctx: Context, now: number, horizon: number, opts: TickOptions) {
  const report: TickReport = { checked: 0, held: 0, released: 0, woken: 0, events: 0, read: 0, full: false, horizon, ms: 0 };
  return {
    now,
    horizon,
    batch: opts.batch ?? 5000,
    report,
    progress: () => opts.onProgress?.(report.checked),
    channels: await ctx.store.cadences.stepChannels(ctx.workspace.id),
    // Every row is checked at or after now: the guardrails' look-backs from now cover them all.
    history: { since: now - LOOKBACK_MS, companySince: now - COMPANY_LOOKBACK_MS } satisfies TickHistory,
    /** Verdicts of touches with no history, by zone, channel, instant and flags: most due rows share them. */
    plain: new Map<string, EarliestAllowed>(),
  };
}

/** 1. The events queued since the last tick, in batches; each batch's holds and its deletion land together. */
async function handleEvents(ctx: Context, run: Run): Promise<void> {
  for (let after = 0; ; ) {
    const events = await ctx.store.scheduler.events(ctx.workspace.id, after, run.batch);
    if (events.length === 0) return;
    after = events[events.length - 1]!.id;
    run.report.events += events.length;
    run.report.read += events.length;
    if (events.some(isWholeWorkspace)) run.report.full = true;
    const rows = await ctx.store.due.tickTargets(ctx.workspace.id, targetsOf(events), { dueAbove: run.now, dueBy: run.horizon }, run.history);
    // Due by now (or everything, on a full tick): the sweep checks them next, with what is then current.
    const checked = checker(ctx, run);
    for (const r of rows) checked.read(r, !run.report.full);
    // Holds whose touch is no longer due within the horizon (paused, finished, moved later) go.
    const stray = await ctx.store.due.strayHolds(ctx.workspace.id, run.horizon);
    run.report.read += stray.length;
    const cleared: HoldChange[] = stray.map((enrollmentId) => ({ enrollmentId, workspaceId: ctx.workspace.id, hold: null }));
    await ctx.store.transaction(async (tx) => {
      await write(tx, run, [...checked.changes, ...cleared], []);
      await tx.scheduler.handled(events.map((e) => e.id));
    });
    run.report.released += cleared.length;
  }
}

const isWholeWorkspace = (e: SchedulerEvent) => e.enrollment_id === null && e.prospect_id === null && e.company_id === null;

function targetsOf(events: SchedulerEvent[]): TickTargets {
  const targets: TickTargets = { enrollmentIds: [], prospectIds: [], companyIds: [] };
  for (const e of events) {
    if (e.enrollment_id !== null) targets.enrollmentIds.push(e.enrollment_id);
    if (e.prospect_id !== null) targets.prospectIds.push(e.prospect_id);
    if (e.company_id !== null) targets.companyIds.push(e.company_id);
  }
  return targets;
}

/** 2, 3. A range of due times through the due-time index, batch by batch. */
async function sweep(ctx: Context, run: Run, range: DueRange): Promise<void> {
  if (range.dueAbove !== undefined && range.dueAbove >= range.dueBy) return;
  for (let after = range.after; ; ) {
    const checked = checker(ctx, run);
    let last: TickRow | undefined;
    // Each row is checked as it is read, so a checked row is garbage at once (a batch of them alive
    // at a time was most of the garbage collector's work on a first tick).
    await ctx.store.due.eachTickRow(ctx.workspace.id, { ...range, after }, run.batch, run.history, (r) => {
      last = r;
      checked.read(r, true);
    });
    if (!last) return;
    after = { dueAt: last.dueAt, id: last.enrollmentId };
    const { changes, wake } = checked;
    if (changes.length || wake.length) await ctx.store.transaction((tx) => write(tx, run, changes, wake));
    run.progress();
  }
}

/**
 * Counts each row read (the enrollment and the touch times it carries) and, when `check`, checks its
 * touch at max(due, now): collects the holds that changed and the snoozes to end.
 */
function checker(ctx: Context, run: Run) {
  const changes: HoldChange[] = [];
  const wake: number[] = [];
  const { now, report } = run;
  const verdictOf = verdicts(ctx, run);
  const read = (r: TickRow, check: boolean): void => {
    report.read += 1 + r.touches.length + r.companyTouches.length;
    if (!check) return;
    report.checked++;
    const at = Math.max(r.dueAt, now);
    const verdict = verdictOf(r, at);
    const held = verdict.at === null || verdict.at > at;
    const heldUntil = held ? verdict.at : null;
    const heldRules = held ? rulesOf(verdict.holds) : null;
    if (held && r.heldRules === null) report.held++;
    if (!held && r.heldRules !== null) report.released++;
    if (r.status === 'snoozed' && r.dueAt <= now) {
      wake.push(r.enrollmentId);
      report.woken++;
    }
    // A hold is rewritten when its rules or its lift time change, not when its wording moves with the clock.
    if (r.heldUntil !== heldUntil || r.heldRules !== heldRules) {
      const hold = heldRules === null ? null : { held_until: heldUntil, held_rules: heldRules };
      changes.push({ enrollmentId: r.enrollmentId, workspaceId: ctx.workspace.id, hold });
    }
  };
  return { changes, wake, read };
}

/** "sending_window,quiet_hours": the rules of a hold, as stored. */
function rulesOf(holds: readonly Hold[]): string {
  let rules = holds[0]?.rule ?? '';
  for (let i = 1; i < holds.length; i++) rules += `,${holds[i]!.rule}`;
  return rules;
}

/** The guardrails' verdict for a row at an instant, from the history the row carries. */
function verdicts(ctx: Context, run: Run): (r: TickRow, at: number) => EarliestAllowed {
  const rules = rulesCache(ctx);
  const settings = ctx.settings.guardrails;
  return (r, at) => {
    const channel = run.channels.get(r.cadenceVersionId)?.[r.stepIndex] ?? 'task';
    const touches = r.touches;
    const companyTouches = r.companyId === null || r.companyTouches.length === 0 ? undefined : r.companyTouches;
    const key = touches.length === 0 && companyTouches === undefined ? `${r.timezone}|${channel}|${at}|${+r.flags.optedOut}${+r.flags.doNotContact}${+r.flags.emailBad}` : null;
    const known = key === null ? undefined : run.plain.get(key);
    if (known) return known;
    const verdict = earliestAllowed({
      at,
      channel,
      // No names and no words: the tick keeps which rules hold and until when (the queue words a
      // hold when it shows it), so rows alike share one verdict.
      prospect: { name: '', rules: rules(r.timezone), flags: r.flags },
      touches,
      company: r.companyId !== null ? { name: '', touches: companyTouches ?? [] } : null,
      settings,
      now: run.now,
      words: false,
    });
    if (key !== null) run.plain.set(key, verdict);
    return verdict;
  };
}

/** Writes the holds and ends the snoozes. */
async function write(tx: Store, run: Run, changes: HoldChange[], wake: number[]): Promise<void> {
  await tx.enrollments.writeHolds(changes);
  if (wake.length) await tx.enrollments.wake(wake, run.now);
}
