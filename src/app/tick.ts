// The scheduler tick: walks every live enrollment of the workspace, re-checks its next touch
// against the sending windows and guardrails (history and settings may have changed since it was
// planned), records why a touch is held, and wakes snoozed enrollments whose time has come.
import { earliestAllowed } from '../core/guardrails.ts';
import type { Channel } from '../core/types.ts';
import { rulesCache, type Context } from './context.ts';
import { LOOKBACK_MS, touchHistory } from './holds.ts';

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
  const channels = await stepChannels(ctx);
  const names = companyNameCache(ctx);
  let after = 0;
  for (;;) {
    // Only numbers and short codes are read per row; steps, company names and prospect names come
    // from small maps or are fetched for the rows that change: materialising strings dominates the tick.
    const rows = await ctx.store.db
      .selectFrom('enrollments as e')
      .innerJoin('prospects as p', 'p.id', 'e.prospect_id')
      .select([
        'e.id', 'e.status', 'e.due_at', 'e.held_until', 'e.held_rules', 'e.prospect_id', 'e.cadence_version_id', 'e.step_index',
        'p.timezone', 'p.opted_out_at', 'p.do_not_contact', 'p.email_status', 'p.company_id',
      ])
      .where('e.workspace_id', '=', ctx.workspace.id)
      .where('e.status', 'in', ['active', 'snoozed'])
      .where('e.id', '>', after)
      .orderBy('e.id')
      .limit(batch)
      .execute();
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.id;
    const history = await touchHistory(ctx, rows.map((r) => r.prospect_id), rows.map((r) => r.company_id), now - LOOKBACK_MS);
    const companyNames = await names.load(rows.map((r) => r.company_id));
    const changes: Change[] = [];
    for (const r of rows) {
      const due = Number(r.due_at);
      const at = Math.max(due, now);
      const verdict = earliestAllowed({
        at,
        channel: channels.get(`${r.cadence_version_id}:${r.step_index}`) ?? 'task',
        prospect: {
          name: NAME,
          rules: rules(r.timezone),
          flags: { optedOut: r.opted_out_at !== null, doNotContact: r.do_not_contact === 1, emailBad: r.email_status === 'bad' },
        },
        touches: history.byProspect.get(r.prospect_id) ?? [],
        company: r.company_id !== null ? { name: companyNames.get(r.company_id) ?? 'this company', touches: history.byCompany.get(r.company_id) ?? [] } : null,
        settings,
        now,
      });
      const held = verdict.at === null || verdict.at > at;
      const heldUntil = held ? verdict.at : null;
      const heldRules = held ? verdict.holds.map((h) => h.rule).join(',') : null;
      const wake = r.status === 'snoozed' && due <= now;
      const prevUntil = r.held_until === null ? null : Number(r.held_until);
      if (held && r.held_rules === null) report.held++;
      if (!held && r.held_rules !== null) report.released++;
      if (wake) report.woken++;
      if (wake || prevUntil !== heldUntil || r.held_rules !== heldRules) {
        changes.push({ id: r.id, prospectId: r.prospect_id, heldUntil, heldRules, reasonTemplate: held ? verdict.holds.map((h) => h.explanation).join('; ') : null, wake });
      }
    }
    report.checked += rows.length;
    if (changes.length) await ctx.store.transaction((trx) => writeChanges(ctx, trx, changes, now));
    opts.onProgress?.(report.checked);
  }
  report.ms = performance.now() - started;
  return report;
}

/** "versionId:position" → channel, for every cadence step of the workspace (a small table). */
async function stepChannels(ctx: Context): Promise<Map<string, Channel>> {
  const rows = await ctx.store.db
    .selectFrom('cadence_steps as s')
    .innerJoin('cadence_versions as v', 'v.id', 's.cadence_version_id')
    .innerJoin('cadences as c', 'c.id', 'v.cadence_id')
    .select(['s.cadence_version_id', 's.position', 's.channel'])
    .where('c.workspace_id', '=', ctx.workspace.id)
    .execute();
  return new Map(rows.map((r) => [`${r.cadence_version_id}:${r.position}`, r.channel as Channel]));
}

/** Company names by id, fetched once per id for the whole tick. */
function companyNameCache(ctx: Context) {
  const known = new Map<number, string>();
  return {
    async load(ids: (number | null)[]): Promise<Map<number, string>> {
      const missing = [...new Set(ids.filter((id): id is number => id !== null && !known.has(id)))];
      for (let i = 0; i < missing.length; i += 500) {
        const rows = await ctx.store.db.selectFrom('companies').select(['id', 'name']).where('id', 'in', missing.slice(i, i + 500)).execute();
        for (const r of rows) known.set(r.id, r.name);
      }
      return known;
    },
  };
}

/** The name the queue and the planner use, so a recorded reason reads as `tally today` says it. */
async function prospectNames(db: Context['store']['db'], ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('prospects').select(['id', 'first_name', 'last_name', 'email']).where('id', 'in', ids.slice(i, i + 500)).execute();
    for (const r of rows) out.set(r.id, [r.first_name, r.last_name].filter(Boolean).join(' ') || r.email);
  }
  return out;
}

async function writeChanges(ctx: Context, trx: Context['store']['db'], changes: Change[], now: number): Promise<void> {
  // Inside the transaction: on SQLite it holds the only connection.
  const named = await prospectNames(trx, [...new Set(changes.filter((c) => c.reasonTemplate !== null).map((c) => c.prospectId))]);
  const columns = (c: Change) => ({
    id: c.id,
    held_until: c.heldUntil,
    held_rules: c.heldRules,
    held_reason: c.reasonTemplate === null ? null : c.reasonTemplate.split(NAME).join(named.get(c.prospectId) ?? 'this prospect'),
    updated_at: now,
  });
  await ctx.store.updateMany(trx, 'enrollments', changes.filter((c) => !c.wake).map(columns));
  await ctx.store.updateMany(trx, 'enrollments', changes.filter((c) => c.wake).map((c) => ({ ...columns(c), status: 'active', reason: null })));
}
