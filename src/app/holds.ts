// Guardrail holds for touches about to be made: loads the touch history the rules need and asks
// the core when each touch may happen, and why not earlier.
import { earliestAllowed, type EarliestAllowed, type GuardrailSettings, type TouchCheckInput } from '../core/guardrails/index.ts';
import type { Channel } from '../core/types.ts';
import { rulesCache, type Context } from './context.ts';
import type { ContactFlags, DueStepBase } from './ports/store/due-steps.ts';

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
  flags: ContactFlags;
}

/** A due step as a touch to check, meant for its due time or now, whichever is later. */
export function touchToCheck(r: DueStepBase, now: number): TouchToCheck {
  return {
    key: r.enrollmentId,
    prospectId: r.prospectId,
    name: r.prospect.name,
    timezone: r.prospect.timezone,
    companyId: r.prospect.companyId,
    companyName: r.company,
    channel: r.step.channel,
    at: Math.max(r.dueAt, now),
    flags: r.prospect.flags,
  };
}

/** The 30-day rule is the longest look-back any guardrail needs. */
export const LOOKBACK_MS = 31 * 86_400_000;
/** The company cap counts touches on the touch's local day, which began at most 25 hours before it (a DST day). */
export const COMPANY_LOOKBACK_MS = 25 * 3_600_000;

export function guardrailSettings(ctx: Context): GuardrailSettings {
  return ctx.settings.guardrails;
}

/** For each touch: the earliest allowed instant (null: never) and the holds that moved it. */
export async function holdsFor(ctx: Context, touches: TouchToCheck[]): Promise<Map<number, EarliestAllowed>> {
  if (touches.length === 0) return new Map();
  const earliest = touches.reduce((m, t) => Math.min(m, t.at), Infinity);
  const history = await touchHistory(ctx, touches.map((t) => t.prospectId), touches.map((t) => t.companyId), earliest - LOOKBACK_MS, earliest - COMPANY_LOOKBACK_MS);
  return holdsWith(ctx, touches, history);
}

/**
 * The same, with the history already read (the queue reads it with its page, in one statement).
 * `judge` asks another question of the same input (the queue: liftsLast too, the one reason to show).
 */
export function holdsWith(ctx: Context, touches: TouchToCheck[], history: TouchHistory): Map<number, EarliestAllowed>;
export function holdsWith<T>(ctx: Context, touches: TouchToCheck[], history: TouchHistory, judge: (input: TouchCheckInput) => T): Map<number, T>;
export function holdsWith<T>(ctx: Context, touches: TouchToCheck[], { byProspect, byCompany }: TouchHistory, judge?: (input: TouchCheckInput) => T): Map<number, T | EarliestAllowed> {
  const ask = judge ?? earliestAllowed;
  const result = new Map<number, T | EarliestAllowed>();
  const rules = rulesCache(ctx);
  const settings = guardrailSettings(ctx);
  const now = ctx.now();
  for (const t of touches) {
    result.set(
      t.key,
      ask({
        at: t.at,
        channel: t.channel,
        prospect: { name: t.name, rules: rules(t.timezone), flags: t.flags },
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

/** Times of touches since `since` to these prospects, and since `companySince` to anyone at these companies. */
export async function touchHistory(ctx: Context, prospects: number[], companies: (number | null)[], since: number, companySince = since): Promise<TouchHistory> {
  return {
    byProspect: await ctx.store.touches.times('prospect', prospects, since),
    byCompany: await ctx.store.touches.times('company', companies.filter((c): c is number => c !== null), companySince),
  };
}
