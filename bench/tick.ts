// The scheduler tick over N live enrollments (next due + guardrail check, holds written back), and
// planning a week of follow-up blocks for 100 reps; each against reading the same rows with no rules.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/store.ts';
import { openContext } from '../src/app/context.ts';
import { schedulerTick } from '../src/app/tick.ts';
import { planRep } from '../src/app/plan.ts';
import { addBlock } from '../src/app/blocks.ts';
import { enrollmentsDb, REPS } from './today.ts';
import { dataDir, fmt, log, type BenchResult } from './lib.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';

export async function benchTick(n = 1_000_000): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 23, 14, 0);
  const source = await enrollmentsDb(n, now);
  const dir = mkdtempSync(join(dataDir(), 'tick-'));
  const path = join(dir, 'tick.db');
  copyFileSync(source, path);
  try {
    const store = await openSqliteStore(path);
    const ctx = await openContext(runtimeFor(store), { now: () => now });

    // Baseline: the tick's own batched read of the same rows, with no rule applied and nothing written.
    log(`baseline: reading ${fmt(n)} live enrollments`);
    let read = 0;
    const b0 = performance.now();
    for (let after = 0; ; ) {
      const rows = await store.db
        .selectFrom('enrollments as e')
        .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
        .select(['e.id', 'e.status', 'e.due_at', 'e.held_until', 'e.held_rules', 'e.prospect_id', 'e.cadence_version_id', 'e.step_index', 'p.timezone', 'p.opted_out_at', 'p.do_not_contact', 'p.email_status', 'p.company_id'])
        .where('e.workspace_id', '=', ctx.workspace.id)
        .where('e.status', 'in', ['active', 'snoozed'])
        .where('e.id', '>', after)
        .orderBy('e.id')
        .limit(5000)
        .execute();
      if (rows.length === 0) break;
      read += rows.length;
      after = rows[rows.length - 1]!.id;
    }
    const baseMs = performance.now() - b0;

    log(`tick: ${fmt(n)} live enrollments`);
    const first = await schedulerTick(ctx);
    log('tick again (steady state: nothing changed since)');
    const second = await schedulerTick(ctx);

    // A week of blocks for every rep: Tue/Thu 09:00 for 60 min and Mon/Wed/Fri 14:00 for 45 min.
    const reps = await store.db.selectFrom('users').select('email').orderBy('id').execute();
    for (const rep of reps) {
      const rc = await openContext(runtimeFor(store), { as: rep.email, now: () => now });
      for (const [weekday, start, minutes] of [[2, '09:00', 60], [4, '09:00', 60], [1, '14:00', 45], [3, '14:00', 45], [5, '14:00', 45]] as const) {
        await addBlock(rc, { weekday, start, minutes });
      }
    }
    const repCtxs = await Promise.all(reps.map((r) => openContext(runtimeFor(store), { as: r.email, now: () => now })));
    log(`plan a week for ${repCtxs.length} reps`);
    let planned = 0;
    let items = 0;
    const p0 = performance.now();
    for (const rc of repCtxs) {
      const r = await planRep(rc, { days: 7 });
      planned += r.plan.blocks.reduce((s, b) => s + b.touches.length, 0);
      items += r.plan.blocks.reduce((s, b) => s + b.touches.length, 0) + r.plan.unplaced.length;
    }
    const planMs = performance.now() - p0;
    // Plan baseline: the same per-rep item query with no planner.
    const q0 = performance.now();
    for (const rc of repCtxs) {
      await store.db
        .selectFrom('enrollments as e')
        .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
        .innerJoin('cadence_steps as s', (j) => j.onRef('s.cadence_version_id', '=', 'e.cadence_version_id').onRef('s.position', '=', 'e.step_index'))
        .leftJoin('companies as c', 'c.id', 'p.company_id')
        .select(['e.id', 'e.prospect_id', 'e.due_at', 'e.priority', 'e.step_index', 's.name', 's.channel', 'p.first_name', 'p.last_name', 'p.email', 'p.timezone', 'p.company_id', 'c.name as company'])
        .where('e.owner_id', '=', rc.user.id)
        .where('e.status', 'in', ['active', 'snoozed'])
        .where('e.due_at', '<=', now + 7 * 86_400_000)
        .execute();
    }
    const planBaseMs = performance.now() - q0;
    await store.close();

    const baseRate = read / (baseMs / 1000);
    const tickRate = first.checked / (first.ms / 1000);
    const steadyRate = second.checked / (second.ms / 1000);
    return {
      name: 'tick',
      lines: [
        `scheduler tick over ${fmt(first.checked)} live enrollments (${REPS} reps): ${fmt(first.ms / 1000, 2)} s, ${fmt(tickRate)} enrollments/s; ${fmt(first.held)} holds written (target ≥ 100,000/s)`,
        `second tick, nothing changed: ${fmt(second.ms / 1000, 2)} s, ${fmt(steadyRate)} enrollments/s`,
        `baseline, the same batched read with no rules: ${fmt(baseMs / 1000, 2)} s, ${fmt(baseRate)} rows/s; ratio tick/baseline ${fmt((tickRate / baseRate) * 100, 1)}% (steady ${fmt((steadyRate / baseRate) * 100, 1)}%)`,
        `plan a week of blocks (5 a week) for ${repCtxs.length} reps: ${fmt(planMs / 1000, 2)} s (${fmt(planMs / repCtxs.length, 1)} ms per rep, ${fmt(items)} due touches, ${fmt(planned)} planned); baseline reading the same rows ${fmt(planBaseMs / 1000, 2)} s; ratio ${fmt(planMs / planBaseMs, 1)}×`,
      ],
      results: { enrollments: first.checked, tickPerSec: tickRate, steadyPerSec: steadyRate, baselineRowsPerSec: baseRate, planMsPerRep: planMs / repCtxs.length, planRatio: planMs / planBaseMs },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
