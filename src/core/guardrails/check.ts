// Checking one proposed touch against every rule of the registry, and walking forward to the first
// instant that passes them all. Pure: the caller brings the history and the settings.
import type { Channel } from '../channels/driver.ts';
import type { ScheduleRules } from '../schedule.ts';
import { nonBusinessReason, toLocalMs } from '../schedule.ts';
import type { GuardrailRule, ProspectFlags, TouchView } from './rule.ts';
import { DEFAULT_GUARDRAIL_SETTINGS, GUARDRAIL_RULES, type GuardrailRuleId, type GuardrailSettings } from './registry.ts';

export interface Hold {
  rule: GuardrailRuleId;
  /** Plain words for the rep, e.g. "held: 3 touches to Dana in the last 7 days (max 3)". */
  explanation: string;
  /** The earliest instant at which this rule stops holding; null when it never will. */
  until: number | null;
}

export interface GuardrailVerdict {
  allowed: boolean;
  /** Empty when allowed. */
  holds: readonly Hold[];
}

export interface TouchCheckInput {
  /** Proposed instant (UTC ms). */
  at: number;
  channel: Channel;
  prospect: {
    /** Shown in explanations, e.g. "Dana". */
    name: string;
    rules: ScheduleRules;
    flags?: ProspectFlags;
  };
  /** Touches to this prospect (UTC ms, any order, any cadence). Past ones; planned ones may be included too. */
  touches: readonly number[];
  /** Touches to everyone at the prospect's company (including this prospect), counted per local day. */
  company?: { name: string; touches: readonly number[] } | null;
  settings?: GuardrailSettings;
  /** "Now", to word the company hold as "today" or "on <date>"; defaults to `at`. */
  now?: number;
  /**
   * false: leave the holds' explanations empty. The scheduler tick checks thousands of touches a
   * minute and keeps which rules hold and until when; wording clocks and dates was a tenth of its work.
   */
  words?: boolean;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const ALLOWED: GuardrailVerdict = Object.freeze({ allowed: true, holds: Object.freeze([]) as readonly Hold[] });

// Split once: the permanent rules refuse alone, so they are checked before the others.
const RULES = GUARDRAIL_RULES as readonly GuardrailRule[] as readonly (GuardrailRule & { id: GuardrailRuleId })[];
const PERMANENT = RULES.filter((r) => r.permanent);
const TIMED = RULES.filter((r) => !r.permanent);
const CALENDAR = new Set<GuardrailRuleId>(RULES.filter((r) => r.calendar).map((r) => r.id));

function viewOf(input: TouchCheckInput): TouchView {
  const zone = input.prospect.rules.timezone;
  const local = toLocalMs(input.at, zone);
  const day = Math.floor(local / DAY_MS);
  return {
    at: input.at,
    channel: input.channel,
    name: input.prospect.name,
    rules: input.prospect.rules,
    zone,
    flags: input.prospect.flags,
    day,
    minute: (local - day * DAY_MS) / MINUTE_MS,
    offDay: nonBusinessReason(day, input.prospect.rules),
    touches: input.touches,
    company: input.company ?? null,
    now: input.now ?? input.at,
    words: input.words !== false,
  };
}

function holdsOf(rules: readonly (GuardrailRule & { id: GuardrailRuleId })[], view: TouchView, settings: GuardrailSettings): Hold[] | null {
  let holds: Hold[] | null = null;
  for (const rule of rules) {
    const lift = rule.check(view, settings);
    if (lift !== null) (holds ??= []).push({ rule: rule.id, explanation: lift.explanation, until: lift.until });
  }
  return holds;
}

/**
 * Checks one proposed touch against every guardrail, the channel's sending window on a business
 * day included. Returns all the holds, each with its explanation and the instant it lifts; a
 * hold that never lifts (an opt-out…) is returned alone.
 */
export function checkTouch(input: TouchCheckInput): GuardrailVerdict {
  const settings = input.settings ?? DEFAULT_GUARDRAIL_SETTINGS;
  const view = viewOf(input);
  const holds = holdsOf(PERMANENT, view, settings) ?? holdsOf(TIMED, view, settings);
  return holds === null ? ALLOWED : { allowed: false, holds };
}

export interface EarliestAllowed {
  /** The earliest instant ≥ the proposed one that passes every rule; null when none ever will. */
  at: number | null;
  /** The holds that moved it (first explanation per rule), or the ones that refuse it for good. */
  holds: Hold[];
}

/** Rounds of "jump to the latest lift" before giving up: every round moves strictly forward. */
const MAX_ROUNDS = 200;

interface Walk extends EarliestAllowed {
  /** The one reason it is held (see liftsLast), null when nothing held. */
  reason: Hold | null;
}

/** The hold of one round that lifts last, among those `eligible` (ties go to the rule checked first). */
function latestLift(holds: readonly Hold[], eligible: (h: Hold) => boolean): Hold | null {
  let latest: Hold | null = null;
  for (const hold of holds) if (eligible(hold) && (latest === null || (hold.until ?? Infinity) > (latest.until ?? Infinity))) latest = hold;
  return latest;
}

const isCalendar = (hold: Hold): boolean => CALENDAR.has(hold.rule);

/** Jumps to the latest lift of the current holds until none holds. */
function walk(input: TouchCheckInput): Walk {
  const moved: Hold[] = [];
  // The latest non-calendar hold of the last round that had one; else the last round's latest hold.
  let reason: Hold | null = null;
  let reasonIsCalendar = true;
  let at = input.at;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const verdict = checkTouch(round === 0 ? input : { ...input, at });
    if (verdict.allowed) return { at, holds: moved, reason: reason === null ? null : { ...reason, until: at } };
    const never = verdict.holds.filter((h) => h.until === null);
    if (never.length > 0) return { at: null, holds: never, reason: never[0]! };
    const rule = latestLift(verdict.holds, (h) => !isCalendar(h));
    if (rule !== null) [reason, reasonIsCalendar] = [rule, false];
    else if (reasonIsCalendar) reason = latestLift(verdict.holds, () => true);
    let next = at;
    for (const hold of verdict.holds) {
      if (!moved.some((m) => m.rule === hold.rule)) moved.push(hold);
      if (hold.until! > next) next = hold.until!;
    }
    // Every lift lies after `at`; the guard only protects against a rule that misreports it.
    at = next > at ? next : at + MINUTE_MS;
  }
  const unresolved: Hold = {
    rule: 'unresolved',
    explanation: `held: no allowed time found after ${MAX_ROUNDS} tries: check the guardrail settings and sending windows`,
    until: null,
  };
  moved.push(unresolved);
  return { at: null, holds: moved, reason: unresolved };
}

/**
 * The earliest instant at or after `input.at` inside the channel's window on a business day that
 * passes every guardrail, with the holds that moved it there.
 */
export function earliestAllowed(input: TouchCheckInput): EarliestAllowed {
  const { at, holds } = walk(input);
  return { at, holds };
}

/**
 * For a held touch, the one reason to show (instead of every rule met along the way) and when the
 * touch may happen: the rule that lifts last, worded at the moment it was the one holding. A rule
 * of the calendar (a channel's hours, quiet hours, working days) is the reason only when nothing
 * else held: after "3rd touch to Acme today" lifts at midnight, quiet hours merely move the touch
 * to the morning. `until` is when the touch may happen (null: never). Null when it may happen at
 * `input.at`.
 */
export function liftsLast(input: TouchCheckInput): Hold | null {
  return walk(input).reason;
}

/** earliestAllowed and liftsLast of the same input from one walk (the queue shows both). */
export function earliestWithReason(input: TouchCheckInput): EarliestAllowed & { reason: Hold | null } {
  return walk(input);
}
