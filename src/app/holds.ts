// Guardrail holds for touches about to be made: loads the touch history the rules need and asks
// the core when each touch may happen, and why not earlier.
import { earliestAllowed, type EarliestAllowed, type GuardrailSettings } from '../core/guardrails.ts';
import type { Channel } from '../core/types.ts';
import { rulesCache, type Context } from './context.ts';

export interface TouchToCheck {
  /** Caller's key for the result (an enrollment id, an outbox id…). */
  key: number;
  prospectId: number;
  name: string;
  timezone: string | null;
  companyId: number | null;
  companyName: string | null;
  channel: Channel;
  /** When it is meant to happen (usually max(due, now)). */
  at: number;
  optedOut: boolean;
  doNotContact: boolean;
  emailBad: boolean;
}

/** The 30-day rule is the longest look-back any guardrail needs. */
export const LOOKBACK_MS = 31 * 86_400_000;
const CHUNK = 500;

export function guardrailSettings(ctx: Context): GuardrailSettings {
  return ctx.settings.guardrails;
}

/** For each touch: the earliest allowed instant (null: never) and the holds that moved it. */
export async function holdsFor(ctx: Context, touches: TouchToCheck[]): Promise<Map<number, EarliestAllowed>> {
  const result = new Map<number, EarliestAllowed>();
  if (touches.length === 0) return result;
  const since = touches.reduce((m, t) => Math.min(m, t.at), Infinity) - LOOKBACK_MS;
  const { byProspect, byCompany } = await touchHistory(
    ctx,
    touches.map((t) => t.prospectId),
    touches.map((t) => t.companyId),
    since,
  );
  const rules = rulesCache(ctx);
  const settings = guardrailSettings(ctx);
  const now = ctx.now();
  for (const t of touches) {
    result.set(
      t.key,
      earliestAllowed({
        at: t.at,
        channel: t.channel,
        prospect: { name: t.name, rules: rules(t.timezone), flags: { optedOut: t.optedOut, doNotContact: t.doNotContact, emailBad: t.emailBad } },
        touches: byProspect.get(t.prospectId) ?? [],
        company: t.companyId !== null ? { name: t.companyName ?? 'this company', touches: byCompany.get(t.companyId) ?? [] } : null,
        settings,
        now,
      }),
    );
  }
  return result;
}

export interface TouchHistory {
  byProspect: Map<number, number[]>;
  byCompany: Map<number, number[]>;
}

/** Times of touches since `since` to these prospects, and to anyone at these companies. */
export async function touchHistory(ctx: Context, prospects: number[], companies: (number | null)[], since: number): Promise<TouchHistory> {
  return {
    byProspect: await touchTimesBy(ctx, 'prospect_id', prospects, since),
    byCompany: await touchTimesBy(ctx, 'company_id', companies.filter((c): c is number => c !== null), since),
  };
}

async function touchTimesBy(ctx: Context, column: 'prospect_id' | 'company_id', keys: number[], since: number): Promise<Map<number, number[]>> {
  const times = new Map<number, number[]>();
  const ids = [...new Set(keys)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await ctx.store.db
      .selectFrom('touches')
      .select([`${column} as key`, 'occurred_at'])
      .where(column, 'in', ids.slice(i, i + CHUNK))
      .where('occurred_at', '>=', since)
      .execute();
    for (const r of rows) if (r.key !== null) push(times, r.key, Number(r.occurred_at));
  }
  return times;
}

function push(map: Map<number, number[]>, key: number, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
