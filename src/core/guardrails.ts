// Guardrails: persistent, never pushy. Every rule is checked in the prospect's own time zone and
// explains itself in plain words, with the earliest instant at which it stops holding.
import { z } from 'zod';
import type { Channel } from './types.ts';
import type { ScheduleRules } from './schedule.ts';
import {
  atLocalTime,
  businessDaysBetweenDays,
  clockMinutes,
  dayKey,
  formatLocalClock,
  localDayNumber,
  nonBusinessReason,
  nthBusinessDayAfter,
  placeInWindow,
  toLocalMs,
  weekdayOfDay,
  windowMinutes,
} from './schedule.ts';

// ---------------------------------------------------------------------------------------------
// Settings

export interface QuietHours {
  /** Local "HH:mm" when quiet hours begin (inclusive). */
  start: string;
  /** Local "HH:mm" when they end (exclusive); earlier than `start` means they span midnight. */
  end: string;
}

export interface GuardrailSettings {
  /** Minimum business days between two touches to one person (in the prospect's zone). */
  minGapBusinessDays: number;
  /** Maximum touches to one person in any rolling 7 days. */
  maxTouchesPerPerson7Days: number;
  /** Maximum touches to one person in any rolling 30 days. */
  maxTouchesPerPerson30Days: number;
  /** Maximum touches to people at one company per local day (of the prospect being touched). */
  maxTouchesPerCompanyPerDay: number;
  /** No touch on any channel inside these local hours; null turns them off. */
  quietHours: QuietHours | null;
}

export const DEFAULT_GUARDRAIL_SETTINGS: Readonly<GuardrailSettings> = Object.freeze({
  minGapBusinessDays: 2,
  maxTouchesPerPerson7Days: 3,
  maxTouchesPerPerson30Days: 8,
  maxTouchesPerCompanyPerDay: 3,
  quietHours: Object.freeze({ start: '20:00', end: '08:00' }),
});

const clockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a local time "HH:mm" (00:00–23:59)');

/** A workspace's guardrail settings file; missing fields take the defaults, unknown fields are errors. */
export const guardrailSettingsSchema = z.strictObject({
  minGapBusinessDays: z.number().int().min(0).max(60).default(DEFAULT_GUARDRAIL_SETTINGS.minGapBusinessDays),
  maxTouchesPerPerson7Days: z.number().int().min(1).max(100).default(DEFAULT_GUARDRAIL_SETTINGS.maxTouchesPerPerson7Days),
  maxTouchesPerPerson30Days: z.number().int().min(1).max(500).default(DEFAULT_GUARDRAIL_SETTINGS.maxTouchesPerPerson30Days),
  maxTouchesPerCompanyPerDay: z.number().int().min(1).max(1000).default(DEFAULT_GUARDRAIL_SETTINGS.maxTouchesPerCompanyPerDay),
  quietHours: z
    .strictObject({ start: clockSchema, end: clockSchema })
    .refine((q) => q.start !== q.end, { message: 'quiet hours need different start and end times', path: ['end'] })
    .nullable()
    .default({ start: '20:00', end: '08:00' }),
});

export type GuardrailSettingsResult = { ok: true; settings: GuardrailSettings } | { ok: false; errors: string[] };

/** Validates a settings value; errors read "quietHours.start: expected a local time …". */
export function parseGuardrailSettings(input: unknown): GuardrailSettingsResult {
  const parsed = guardrailSettingsSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, settings: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(settings)'}: ${issue.message}`),
  };
}

// ---------------------------------------------------------------------------------------------
// Verdicts

export const GUARDRAIL_RULES = [
  'opted_out',
  'do_not_contact',
  'bad_email',
  'working_day',
  'sending_window',
  'quiet_hours',
  'min_gap',
  'person_7_days',
  'person_30_days',
  'company_per_day',
  'unresolved',
] as const;
export type GuardrailRule = (typeof GUARDRAIL_RULES)[number];

export interface Hold {
  rule: GuardrailRule;
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

export interface ProspectFlags {
  /** The prospect asked to stop: never contact again, on any cadence. */
  optedOut?: boolean;
  /** Marked do-not-contact by the team: never contact. */
  doNotContact?: boolean;
  /** The email address bounced or is known bad: no email channel (other channels stay open). */
  emailBad?: boolean;
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
}

// Local copies: hot-path constants should not go through module bindings.
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Quiet hours parsed once per settings object. */
const parsedQuietHours = new WeakMap<QuietHours, { start: number; end: number }>();
function quietMinutes(quiet: QuietHours): { start: number; end: number } {
  let parsed = parsedQuietHours.get(quiet);
  if (parsed === undefined) {
    parsed = { start: clockMinutes(quiet.start), end: clockMinutes(quiet.end) };
    parsedQuietHours.set(quiet, parsed);
  }
  return parsed;
}

const ALLOWED: GuardrailVerdict = Object.freeze({ allowed: true, holds: Object.freeze([]) as readonly Hold[] });
const WEEKDAY_NAMES = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const SHORT_WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  const suffix = n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function touchCount(n: number): string {
  return n === 1 ? '1 touch' : `${n} touches`;
}

function clockText(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Holds that never lift: checked first, and alone enough to refuse. */
function neverHolds(input: TouchCheckInput): Hold[] | null {
  const flags = input.prospect.flags;
  if (flags === undefined) return null;
  const name = input.prospect.name;
  let holds: Hold[] | null = null;
  if (flags.optedOut === true) (holds ??= []).push({ rule: 'opted_out', explanation: `never: ${name} opted out`, until: null });
  if (flags.doNotContact === true) {
    (holds ??= []).push({ rule: 'do_not_contact', explanation: `never: ${name} is marked do not contact`, until: null });
  }
  if (flags.emailBad === true && input.channel === 'email') {
    (holds ??= []).push({ rule: 'bad_email', explanation: `never by email: ${name}'s email address is marked bad`, until: null });
  }
  return holds;
}

/**
 * Checks one proposed touch against every guardrail plus the channel's sending window on a
 * business day. Returns all the holds, each with its explanation and the instant it lifts.
 */
// eslint-disable-next-line max-lines-per-function -- replaced by the guardrail registry (src/core/guardrails/, issue 14)
export function checkTouch(input: TouchCheckInput): GuardrailVerdict {
  const never = neverHolds(input);
  if (never !== null) return { allowed: false, holds: never };

  const settings = input.settings ?? DEFAULT_GUARDRAIL_SETTINGS;
  const { at, channel } = input;
  const rules = input.prospect.rules;
  const zone = rules.timezone;
  const name = input.prospect.name;
  const local = toLocalMs(at, zone);
  const day = Math.floor(local / DAY_MS);
  const minute = (local - day * DAY_MS) / MINUTE_MS;
  let holds: Hold[] | null = null;

  // Sending window on a business day.
  const offDay = nonBusinessReason(day, rules);
  if (offDay !== null) {
    const explanation =
      offDay === 'holiday'
        ? `held: ${dayKey(day)} is a holiday in ${zone}`
        : `held: ${WEEKDAY_NAMES[weekdayOfDay(day)]} is not a working day in ${zone}`;
    (holds ??= []).push({ rule: 'working_day', explanation, until: placeInWindow(at, channel, rules) });
  } else {
    const window = windowMinutes(channel, rules);
    if (minute < window.start || minute >= window.end) {
      (holds ??= []).push({
        rule: 'sending_window',
        explanation: `held: outside the ${channel} window in ${zone} (${formatLocalClock(at, zone)} local; window ${clockText(window.start)}–${clockText(window.end)})`,
        until: placeInWindow(at, channel, rules),
      });
    }
  }

  // Quiet hours, on every channel.
  const quiet = settings.quietHours;
  if (quiet !== null) {
    const { start: qs, end: qe } = quietMinutes(quiet);
    const wraps = qs > qe;
    const inQuiet = wraps ? minute >= qs || minute < qe : minute >= qs && minute < qe;
    if (inQuiet) {
      const endDay = wraps && minute >= qs ? day + 1 : day;
      (holds ??= []).push({
        rule: 'quiet_hours',
        explanation: `held: quiet hours in ${zone} (${formatLocalClock(at, zone)} local)`,
        until: atLocalTime(endDay, qe, zone),
      });
    }
  }

  // Person: minimum business-day gap to the nearest touch on either side, and rolling caps.
  const touches = input.touches;
  if (touches.length > 0) {
    const minGap = settings.minGapBusinessDays;
    let gapHold: { other: number; otherDay: number; gap: number; later: boolean } | null = null;
    let in7 = 0;
    let in30 = 0;
    for (const other of touches) {
      if (other <= at) {
        if (other > at - 30 * DAY_MS) {
          in30++;
          if (other > at - 7 * DAY_MS) in7++;
        }
      }
      // Touches many weeks away cannot be within the gap (skips the day arithmetic for old history).
      if (minGap > 0 && Math.abs(other - at) < (minGap + 14) * 7 * DAY_MS) {
        const otherDay = localDayNumber(other, zone);
        const later = other > at;
        const gap = later ? businessDaysBetweenDays(day, otherDay, rules) : businessDaysBetweenDays(otherDay, day, rules);
        if (gap < minGap && (gapHold === null || otherDay > gapHold.otherDay)) gapHold = { other, otherDay, gap, later };
      }
    }
    if (gapHold !== null) {
      const explanation = gapHold.later
        ? `held: next touch to ${name} is ${plural(gapHold.gap, 'business day')} later (minimum ${minGap})`
        : `held: last touch to ${name} ${plural(gapHold.gap, 'business day')} ago (minimum ${minGap})`;
      const liftDay = nthBusinessDayAfter(gapHold.otherDay, minGap, rules);
      (holds ??= []).push({ rule: 'min_gap', explanation, until: atLocalTime(liftDay, 0, zone) });
    }
    if (in7 >= settings.maxTouchesPerPerson7Days) {
      (holds ??= []).push({
        rule: 'person_7_days',
        explanation: `held: ${touchCount(in7)} to ${name} in the last 7 days (max ${settings.maxTouchesPerPerson7Days})`,
        until: rollingLift(touches, at, 7 * DAY_MS, in7 - settings.maxTouchesPerPerson7Days + 1),
      });
    }
    if (in30 >= settings.maxTouchesPerPerson30Days) {
      (holds ??= []).push({
        rule: 'person_30_days',
        explanation: `held: ${touchCount(in30)} to ${name} in the last 30 days (max ${settings.maxTouchesPerPerson30Days})`,
        until: rollingLift(touches, at, 30 * DAY_MS, in30 - settings.maxTouchesPerPerson30Days + 1),
      });
    }
  }

  // Company: touches on the prospect's local day.
  const company = input.company;
  if (company != null && company.touches.length >= settings.maxTouchesPerCompanyPerDay) {
    const dayStart = day * DAY_MS;
    let sameDay = 0;
    for (const other of company.touches) {
      // Cheap pre-filter: offsets stay within ±1 day.
      if (Math.abs(other - at) > 2 * DAY_MS) continue;
      const otherLocal = toLocalMs(other, zone);
      if (otherLocal >= dayStart && otherLocal < dayStart + DAY_MS) sameDay++;
    }
    if (sameDay >= settings.maxTouchesPerCompanyPerDay) {
      const now = input.now ?? at;
      const when = localDayNumber(now, zone) === day ? 'today' : `on ${SHORT_WEEKDAYS[weekdayOfDay(day)]} ${dayKey(day)}`;
      (holds ??= []).push({
        rule: 'company_per_day',
        explanation: `held: ${ordinal(sameDay)} touch to ${company.name} ${when}`,
        until: atLocalTime(day + 1, 0, zone),
      });
    }
  }

  return holds === null ? ALLOWED : { allowed: false, holds };
}

/** When enough past touches leave the rolling window: the `drop`-th oldest one in it, plus the window. */
function rollingLift(touches: readonly number[], at: number, windowMs: number, drop: number): number {
  const inWindow = touches.filter((t) => t <= at && t > at - windowMs).sort((a, b) => a - b);
  const leaving = inWindow[Math.min(drop, inWindow.length) - 1] ?? at;
  return leaving + windowMs;
}

export interface EarliestAllowed {
  /** The earliest instant ≥ the proposed one that passes every rule; null when none ever will. */
  at: number | null;
  /** The holds that moved it (first explanation per rule), or the ones that refuse it for good. */
  holds: Hold[];
}

/** Rounds of "jump to the latest lift" before giving up: every round moves strictly forward. */
const MAX_ROUNDS = 200;

/**
 * The earliest instant at or after `input.at` inside the channel's window on a business day that
 * passes every guardrail, found by jumping to the latest lift of the current holds until none holds.
 */
export function earliestAllowed(input: TouchCheckInput): EarliestAllowed {
  const moved: Hold[] = [];
  let at = input.at;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const verdict = checkTouch(round === 0 ? input : { ...input, at });
    if (verdict.allowed) return { at, holds: moved };
    let next = at;
    for (const hold of verdict.holds) {
      if (hold.until === null) return { at: null, holds: verdict.holds.filter((h) => h.until === null) };
      if (!moved.some((m) => m.rule === hold.rule)) moved.push(hold);
      if (hold.until > next) next = hold.until;
    }
    // Every lift lies after `at`; the guard only protects against a rule that misreports it.
    at = next > at ? next : at + MINUTE_MS;
  }
  moved.push({
    rule: 'unresolved',
    explanation: `held: no allowed time found after ${MAX_ROUNDS} tries: check the guardrail settings and sending windows`,
    until: null,
  });
  return { at: null, holds: moved };
}
