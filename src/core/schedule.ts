// Due-time rules: business days, sending windows and holidays in the prospect's own time zone.
// Local wall-clock times are kept across DST changes: a touch due at 9:00 stays at 9:00 local.
//
// Speed: Luxon needs ~20 µs per zone-offset lookup, far too slow for a million enrollments, so
// offsets are cached per zone and UTC day and all day arithmetic is done on plain numbers
// ("day numbers": days since 1970-01-01 in local wall-clock time).
import { DateTime, IANAZone } from 'luxon';
import type { Channel, Delay } from './types.ts';
import type { TimeWindow } from './channels/driver.ts';
import { channelDriver } from './channels/registry.ts';

/** Local "HH:mm" (start inclusive, end exclusive). */
export type { TimeWindow };

export interface ScheduleRules {
  /** The prospect's IANA time zone. */
  timezone: string;
  /** ISO weekdays that are working days (1 = Monday … 7 = Sunday). */
  workdays: number[];
  /** Local dates ("YYYY-MM-DD") on which nothing is due. */
  holidays: string[];
  /** Per-channel sending windows in the prospect's local time; a channel not listed keeps its driver's default. */
  windows: Readonly<Partial<Record<Channel, TimeWindow>>>;
}

const WHOLE_DAY: TimeWindow = Object.freeze({ start: '00:00', end: '24:00' });

/** A channel's window until the workspace sets one: its driver's, or the whole working day. */
export function defaultWindow(channel: Channel): TimeWindow {
  return channelDriver(channel).defaultWindow ?? WHOLE_DAY;
}

const NO_OVERRIDES: ScheduleRules['windows'] = Object.freeze({});

export function defaultScheduleRules(timezone = 'UTC'): ScheduleRules {
  return { timezone, workdays: [1, 2, 3, 4, 5], holidays: [], windows: NO_OVERRIDES };
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A year and a half of days: far more than any holiday list can block in a row. */
const MAX_DAYS_SCANNED = 550;

export function parseClock(hhmm: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`invalid time of day "${hhmm}" (expected HH:mm)`);
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 24 || minute > 59 || (hour === 24 && minute !== 0)) throw new Error(`invalid time of day "${hhmm}"`);
  return { hour, minute };
}

/** "HH:mm" as minutes after local midnight ("24:00" is 1440). */
export function clockMinutes(hhmm: string): number {
  const { hour, minute } = parseClock(hhmm);
  return hour * 60 + minute;
}

export function isValidTimeZone(zone: string): boolean {
  // A zone whose offsets are cached was found valid (offsetsFor): no DateTime built (the tick asks once per zone per tick).
  return zoneOffsets.has(zone) || DateTime.local().setZone(zone).isValid;
}

// ---------------------------------------------------------------------------------------------
// Zone offsets

interface DayOffsets {
  /** Offset (minutes) before `change`. */
  before: number;
  /** Offset (minutes) from `change` on. */
  after: number;
  /** The instant the offset changes inside this UTC day, or Infinity when it does not. */
  change: number;
}

interface ZoneOffsets {
  zone: IANAZone;
  /** UTC day number → the offsets of that day (at most one change per day, as in every real zone). */
  days: Map<number, DayOffsets>;
}

const zoneOffsets = new Map<string, ZoneOffsets>();
/** Bounds memory: ~270 years of days per zone before the cache is dropped and refilled. */
const MAX_CACHED_DAYS = 100_000;

let lastZone = '';
let lastOffsets: ZoneOffsets | undefined;

function offsetsFor(zone: string): ZoneOffsets {
  // Runs of checks tend to stay in one zone: skip the map lookup then.
  if (zone === lastZone && lastOffsets !== undefined) return lastOffsets;
  let entry = zoneOffsets.get(zone);
  if (entry === undefined) {
    const iana = IANAZone.create(zone);
    if (!iana.isValid) throw new Error(`unknown time zone "${zone}"`);
    entry = { zone: iana, days: new Map() };
    zoneOffsets.set(zone, entry);
  }
  lastZone = zone;
  lastOffsets = entry;
  return entry;
}

function dayOffsets(entry: ZoneOffsets, utcDay: number): DayOffsets {
  const first = utcDay * DAY_MS;
  const before = entry.zone.offset(first);
  const after = entry.zone.offset(first + DAY_MS - 1);
  if (before === after) return { before, after, change: Number.POSITIVE_INFINITY };
  // Binary-search the change once; every later lookup that day is a comparison.
  let lo = first;
  let hi = first + DAY_MS - 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (entry.zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return { before, after, change: hi };
}

/** The zone's UTC offset in minutes at the instant `at` (e.g. 120 for Berlin in summer). */
export function offsetMinutesAt(at: number, zone: string): number {
  const entry = offsetsFor(zone);
  const utcDay = Math.floor(at / DAY_MS);
  let offsets = entry.days.get(utcDay);
  if (offsets === undefined) {
    offsets = dayOffsets(entry, utcDay);
    if (entry.days.size >= MAX_CACHED_DAYS) entry.days.clear();
    entry.days.set(utcDay, offsets);
  }
  return at < offsets.change ? offsets.before : offsets.after;
}

/** The instant as a local wall-clock reading, expressed as if it were UTC milliseconds. */
export function toLocalMs(at: number, zone: string): number {
  return at + offsetMinutesAt(at, zone) * MINUTE_MS;
}

/**
 * The first instant whose local wall-clock reading is `localMs` (see toLocalMs).
 * In a DST gap (the wall-clock time does not exist) it is the instant the clocks jump, i.e. the
 * first instant whose local time is later than `localMs`. In a fold (the time happens twice) it
 * is the first occurrence.
 */
export function fromLocalMs(localMs: number, zone: string): number {
  const before = offsetMinutesAt(localMs - DAY_MS, zone);
  const after = offsetMinutesAt(localMs + DAY_MS, zone);
  const early = localMs - before * MINUTE_MS;
  if (before === after && offsetMinutesAt(early, zone) === before) return early;
  const late = localMs - after * MINUTE_MS;
  const earlyValid = offsetMinutesAt(early, zone) === before;
  const lateValid = offsetMinutesAt(late, zone) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  // Gap: binary-search the jump, the first instant whose local reading is ≥ localMs.
  let lo = Math.min(early, late);
  let hi = Math.max(early, late);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (toLocalMs(mid, zone) >= localMs) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ---------------------------------------------------------------------------------------------
// Local days

/** Days since 1970-01-01 of the instant's local date in `zone`. */
export function localDayNumber(at: number, zone: string): number {
  return Math.floor(toLocalMs(at, zone) / DAY_MS);
}

/** Minutes after local midnight of the instant in `zone` (fractional when not on a minute). */
export function localMinuteOfDay(at: number, zone: string): number {
  const local = toLocalMs(at, zone);
  return (local - Math.floor(local / DAY_MS) * DAY_MS) / MINUTE_MS;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number. */
export function weekdayOfDay(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** "YYYY-MM-DD" of a day number. */
export function dayKey(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Day number of a "YYYY-MM-DD" date; throws on anything else. */
export function dayFromKey(key: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(key);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (Number.isNaN(ms) || dayKey(ms / DAY_MS) !== key) throw new Error(`invalid date "${key}" (expected YYYY-MM-DD)`);
  return ms / DAY_MS;
}

/** The local date ("YYYY-MM-DD") of the instant in `zone`. */
export function localDateKey(at: number, zone: string): string {
  return dayKey(localDayNumber(at, zone));
}

/** The local "HH:mm" of the instant in `zone`. */
export function formatLocalClock(at: number, zone: string): string {
  const minutes = Math.floor(localMinuteOfDay(at, zone));
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The first instant at which the local clock of day `day` reads `minuteOfDay` (DST: see fromLocalMs). */
export function atLocalTime(day: number, minuteOfDay: number, zone: string): number {
  return fromLocalMs(day * DAY_MS + minuteOfDay * MINUTE_MS, zone);
}

/** First instant of the instant's local day. */
export function startOfLocalDay(at: number, zone: string): number {
  return atLocalTime(localDayNumber(at, zone), 0, zone);
}

/** First instant of the next local day (the exclusive end of the instant's local day). */
export function startOfNextLocalDay(at: number, zone: string): number {
  return atLocalTime(localDayNumber(at, zone) + 1, 0, zone);
}

// ---------------------------------------------------------------------------------------------
// Compiled rules: the strings parsed once per rules object.

interface CompiledRules {
  source: { timezone: string; workdays: number[]; holidays: string[]; windows: ScheduleRules['windows'] };
  zone: string;
  /** Index = ISO weekday. */
  workday: boolean[];
  workdaysPerWeek: number;
  holidays: Set<number>;
  /** Per channel, filled on first use (channels may be registered after start-up): [start, end) in minutes after local midnight. */
  windows: Map<Channel, { start: number; end: number }>;
}

const compiledRules = new WeakMap<ScheduleRules, CompiledRules>();

/** Rules are values: a rules object is parsed once (re-parsed if a field is replaced). */
let lastCompiled: CompiledRules | undefined;
let lastRules: ScheduleRules | undefined;

function compile(rules: ScheduleRules): CompiledRules {
  const cached = rules === lastRules ? lastCompiled : compiledRules.get(rules);
  if (
    cached !== undefined &&
    cached.source.timezone === rules.timezone &&
    cached.source.workdays === rules.workdays &&
    cached.source.holidays === rules.holidays &&
    cached.source.windows === rules.windows
  ) {
    lastRules = rules;
    lastCompiled = cached;
    return cached;
  }
  offsetsFor(rules.timezone); // fails early on an unknown zone
  const workday = [false, false, false, false, false, false, false, false];
  for (const d of rules.workdays) if (Number.isInteger(d) && d >= 1 && d <= 7) workday[d] = true;
  const compiled: CompiledRules = {
    source: { timezone: rules.timezone, workdays: rules.workdays, holidays: rules.holidays, windows: rules.windows },
    zone: rules.timezone,
    workday,
    workdaysPerWeek: workday.filter(Boolean).length,
    holidays: new Set(rules.holidays.map(dayFromKey)),
    windows: new Map(),
  };
  compiledRules.set(rules, compiled);
  lastRules = rules;
  lastCompiled = compiled;
  return compiled;
}

/** The channel's sending window as minutes after local midnight, [start, end). */
export function windowMinutes(channel: Channel, rules: ScheduleRules): { start: number; end: number } {
  return windowOf(compile(rules), channel);
}

function windowOf(c: CompiledRules, channel: Channel): { start: number; end: number } {
  let window = c.windows.get(channel);
  if (window === undefined) {
    const w = c.source.windows[channel] ?? defaultWindow(channel);
    window = { start: clockMinutes(w.start), end: clockMinutes(w.end) };
    c.windows.set(channel, window);
  }
  return window;
}

function isWorkDay(c: CompiledRules, day: number): boolean {
  return c.workday[weekdayOfDay(day)] === true && !c.holidays.has(day);
}

/** Whether local day number `day` is a working day that is not a holiday. */
export function isBusinessDayNumber(day: number, rules: ScheduleRules): boolean {
  return isWorkDay(compile(rules), day);
}

/** Why a local day is not a business day: 'weekend' (not a workday), 'holiday', or null when it is one. */
export function nonBusinessReason(day: number, rules: ScheduleRules): 'weekend' | 'holiday' | null {
  const c = compile(rules);
  if (c.workday[weekdayOfDay(day)] !== true) return 'weekend';
  return c.holidays.has(day) ? 'holiday' : null;
}

export function isBusinessDay(dt: DateTime, rules: ScheduleRules): boolean {
  const c = compile(rules);
  // As before: the weekday and date of `dt` as given (callers pass it in the rules' zone).
  return isWorkDay(c, dayFromKey(dt.toISODate() ?? ''));
}

/** Whether the instant falls on a business day in the prospect's zone. */
export function isBusinessDayAt(at: number, rules: ScheduleRules): boolean {
  const c = compile(rules);
  return isWorkDay(c, localDayNumber(at, c.zone));
}

/** Whether the instant is inside the channel's window (local wall clock) on a business day. */
export function isInWindow(at: number, channel: Channel, rules: ScheduleRules): boolean {
  const c = compile(rules);
  const local = toLocalMs(at, c.zone);
  const day = Math.floor(local / DAY_MS);
  if (!isWorkDay(c, day)) return false;
  const minute = (local - day * DAY_MS) / MINUTE_MS;
  const w = windowOf(c, channel);
  return minute >= w.start && minute < w.end;
}

/** The earliest instant at or after `at` that is inside the channel's window on a business day. */
export function placeInWindow(at: number, channel: Channel, rules: ScheduleRules): number {
  const c = compile(rules);
  const w = windowOf(c, channel);
  if (w.start >= w.end) throw new Error(`the ${channel} window is empty: check its start and end`);
  const local = toLocalMs(at, c.zone);
  let day = Math.floor(local / DAY_MS);
  const minute = (local - day * DAY_MS) / MINUTE_MS;
  if (isWorkDay(c, day)) {
    if (minute >= w.start && minute < w.end) return at;
    if (minute < w.start) {
      const start = atLocalTime(day, w.start, c.zone);
      // In a DST fold the first reading of the start time can lie before `at`: take the second.
      return start > at ? start : at + (w.start - minute) * MINUTE_MS;
    }
  }
  for (let i = 0; i < MAX_DAYS_SCANNED; i++) {
    day++;
    if (isWorkDay(c, day)) return atLocalTime(day, w.start, c.zone);
  }
  throw new Error('no business day found within 550 days: check the workdays and holiday list');
}

/** Moves `n` business days forward from `from`, keeping the local time of day. */
export function addBusinessDays(from: number, n: number, rules: ScheduleRules): number {
  if (n <= 0) return from;
  const c = compile(rules);
  if (c.workdaysPerWeek === 0) throw new Error('no business day found: check the workdays and holiday list');
  const local = toLocalMs(from, c.zone);
  let day = Math.floor(local / DAY_MS);
  const timeOfDay = local - day * DAY_MS;
  let left = n;
  let guard = 0;
  while (left > 0) {
    day++;
    if (isWorkDay(c, day)) left--;
    if (++guard > MAX_DAYS_SCANNED * Math.max(1, n)) throw new Error('no business day found: check the workdays and holiday list');
  }
  return fromLocalMs(day * DAY_MS + timeOfDay, c.zone);
}

/** Day number of the `n`-th business day after local day `day` (n ≥ 1). */
export function nthBusinessDayAfter(day: number, n: number, rules: ScheduleRules): number {
  const c = compile(rules);
  if (c.workdaysPerWeek === 0) throw new Error('no business day found: check the workdays and holiday list');
  let left = n;
  let d = day;
  let guard = 0;
  while (left > 0) {
    d++;
    if (isWorkDay(c, d)) left--;
    if (++guard > MAX_DAYS_SCANNED * Math.max(1, n)) throw new Error('no business day found: check the workdays and holiday list');
  }
  return d;
}

/**
 * Business days between two local day numbers: how many business days d satisfy fromDay < d ≤ toDay
 * (0 when toDay ≤ fromDay). Friday → Monday is 1; Monday → Wednesday is 2.
 */
export function businessDaysBetweenDays(fromDay: number, toDay: number, rules: ScheduleRules): number {
  if (toDay <= fromDay) return 0;
  const c = compile(rules);
  const span = toDay - fromDay;
  const weeks = Math.floor(span / 7);
  let count = weeks * c.workdaysPerWeek;
  for (let d = fromDay + 1 + weeks * 7; d <= toDay; d++) if (c.workday[weekdayOfDay(d)] === true) count++;
  for (const h of c.holidays) if (h > fromDay && h <= toDay && c.workday[weekdayOfDay(h)] === true) count--;
  return count;
}

/** Business days from the local day of `from` to the local day of `to`, in the rules' zone (see businessDaysBetweenDays). */
export function businessDaysBetween(from: number, to: number, rules: ScheduleRules): number {
  const zone = rules.timezone;
  return businessDaysBetweenDays(localDayNumber(from, zone), localDayNumber(to, zone), rules);
}

/** When a step with this delay, counted from `from`, is due. Never earlier than `from`. */
export function nextDueAt(from: number, delay: Delay, channel: Channel, rules: ScheduleRules): number {
  const raw = delay.unit === 'hours' ? from + delay.amount * HOUR_MS : addBusinessDays(from, delay.amount, rules);
  return placeInWindow(Math.max(from, raw), channel, rules);
}

export interface OffsetTransition {
  /** The instant the offset changes (UTC ms). */
  at: number;
  /** Offset in minutes before it. */
  from: number;
  /** Offset in minutes from it on. */
  to: number;
}

/** The zone's offset changes in [fromMs, toMs), in order (e.g. to describe the zone in a calendar). */
export function offsetTransitions(zone: string, fromMs: number, toMs: number): OffsetTransition[] {
  const transitions: OffsetTransition[] = [];
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
    const first = day * DAY_MS;
    const before = offsetMinutesAt(first, zone);
    const after = offsetMinutesAt(first + DAY_MS - 1, zone);
    if (before === after) continue;
    let lo = first;
    let hi = first + DAY_MS - 1;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMinutesAt(mid, zone) === before) lo = mid;
      else hi = mid;
    }
    if (hi >= fromMs && hi < toMs) transitions.push({ at: hi, from: before, to: after });
  }
  return transitions;
}
