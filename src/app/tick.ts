// The scheduler tick: walks every live enrollment of the workspace, re-checks its next touch
// against the sending windows and guardrails (history and settings may have changed since it was
// planned), records why a touch is held, and wakes snoozed enrollments whose time has come.
import { earliestAllowed } from '../core/guardrails/index.ts';
import { rulesCache, type Context } from './context.ts';
import { LOOKBACK_MS, touchHistory } from './holds.ts';
import type { Store } from './ports/store/index.ts';

export interface TickReport {
  checked: number;
  held: number;
  released: number;
  woken: number;
  ms: number;
}

export interface TickOptions {
  batch?: number;
  onProgress?: (done: number) => void;
}

interface Change {
  id: number;
  prospectId: number;
  heldUntil: number | null;
  heldRules: string | null;
  /** The explanation with NAME where the prospect's name goes. */
  reasonTemplate: string | null;
  wake: boolean;
}

/** Stands in for the prospect's name while checking; replaced by the real name for rows that change. */
const NAME = '\u0000';

export async function schedulerTick(ctx: Context, opts: TickOptions = {}): Promise<TickReport> {
  const started = performance.now();
  const now = ctx.now();
  const batch = opts.batch ?? 5000;
  const rules = rulesCache(ctx);
  const settings = ctx.settings.guardrails;
  const report: TickReport = { checked: 0, held: 0, released: 0, woken: 0, ms: 0 };
  const channels = await ctx.store.cadences.stepChannels(ctx.workspace.id);
  const names = companyNameCache(ctx);
  let after = 0;
  for (;;) {
    const rows = await ctx.store.due.tickBatch(ctx.workspace.id, after, batch);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.enrollmentId;
    const history = await touchHistory(ctx, rows.map((r) => r.prospectId), rows.map((r) => r.companyId), now - LOOKBACK_MS);
    const companyNames = await names.load(rows.map((r) => r.companyId));
    const changes: Change[] = [];
    for (const r of rows) {
      const at = Math.max(r.dueAt, now);
      const verdict = earliestAllowed({
        at,
        channel: channels.get(`${r.cadenceVersionId}:${r.stepIndex}`) ?? 'task',
        prospect: { name: NAME, rules: rules(r.timezone), flags: r.flags },
        touches: history.byProspect.get(r.prospectId) ?? [],
        company: r.companyId !== null ? { name: companyNames.get(r.companyId) ?? 'this company', touches: history.byCompany.get(r.companyId) ?? [] } : null,
        settings,
        now,
      });
      const held = verdict.at === null || verdict.at > at;
      const heldUntil = held ? verdict.at : null;
      const heldRules = held ? verdict.holds.map((h) => h.rule).join(',') : null;
      const wake = r.status === 'snoozed' && r.dueAt <= now;
      if (held && r.heldRules === null) report.held++;
      if (!held && r.heldRules !== null) report.released++;
      if (wake) report.woken++;
      if (wake || r.heldUntil !== heldUntil || r.heldRules !== heldRules) {
        changes.push({ id: r.enrollmentId, prospectId: r.prospectId, heldUntil, heldRules, reasonTemplate: held ? verdict.holds.map((h) => h.explanation).join('; ') : null, wake });
      }
    }
    report.checked += rows.length;
    if (changes.length) await ctx.store.transaction((tx) => writeChanges(tx, changes, now));
    opts.onProgress?.(report.checked);
  }
  report.ms = performance.now() - started;
  return report;
}

/** Company names by id, fetched once per id for the whole tick. */
function companyNameCache(ctx: Context) {
  const known = new Map<number, string>();
  return {
    async load(ids: (number | null)[]): Promise<Map<number, string>> {
      const missing = ids.filter((id): id is number => id !== null && !known.has(id));
      if (missing.length) for (const [id, name] of await ctx.store.companies.names(missing)) known.set(id, name);
      return known;
    },
  };
}

async function writeChanges(tx: Store, changes: Change[], now: number): Promise<void> {
  // Inside the transaction: on SQLite it holds the only connection. The name the queue and the
  // planner use, so a recorded reason reads as `tally today` says it.
  const named = await tx.prospects.names([...new Set(changes.filter((c) => c.reasonTemplate !== null).map((c) => c.prospectId))]);
  await tx.enrollments.writeHolds(
    changes.map((c) => ({
      id: c.id,
      held_until: c.heldUntil,
      held_rules: c.heldRules,
      held_reason: c.reasonTemplate === null ? null : c.reasonTemplate.split(NAME).join(named.get(c.prospectId) ?? 'this prospect'),
      updated_at: now,
      wake: c.wake,
    })),
  );
}
