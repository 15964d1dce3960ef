// The rep's follow-up blocks as an iCalendar (RFC 5545) feed. Event UIDs derive from the rep and the
// block start, so calendar apps update an event on regeneration instead of adding a duplicate.
import ical from 'ical-generator';
import { DateTime } from 'luxon';
import type { Plan, PlannedBlock } from './planner.ts';
import { DAY_MS, formatLocalClock, offsetMinutesAt, offsetTransitions } from './schedule.ts';

export interface CalendarFeedOptions {
  /** Stable rep identity: part of every event UID. */
  repId: string;
  /** The rep's IANA zone: event times are written in it, with a VTIMEZONE describing it. */
  repZone: string;
  /** When the feed is generated (DTSTAMP); pass it for a deterministic document. */
  generatedAt: number;
  /** Calendar display name; default "Tally follow-up blocks". */
  calendarName?: string;
  /** Right-hand side of the UIDs; default "tally.local". */
  uidDomain?: string;
}

/** "tally-block-<rep>-<UTC start>@<domain>": the same rep and block start always give the same UID. */
export function blockEventUid(repId: string, blockStart: number, uidDomain = 'tally.local'): string {
  const stamp = new Date(blockStart).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
  return `tally-block-${encodeURIComponent(repId)}-${stamp}@${uidDomain}`;
}

export function blockSummary(block: PlannedBlock): string {
  const n = block.touches.length;
  return `Follow-up block: ${n} ${n === 1 ? 'touch' : 'touches'}`;
}

/** One line per planned touch: "09:06 Dana Smith (Acme) · call · Intro call" in the rep's time. */
export function blockDescription(block: PlannedBlock, repZone: string): string {
  if (block.touches.length === 0) return `No touches planned yet (${block.freeMinutes} minutes free).`;
  const lines = block.touches.map((t) => {
    const company = t.item.companyName ?? t.item.companyKey;
    const who = company ? `${t.item.prospectName} (${company})` : t.item.prospectName;
    return `${formatLocalClock(t.at, repZone)} ${who} · ${t.item.channel} · ${t.item.stepName}`;
  });
  lines.push(`${block.usedMinutes} of ${block.capacityMinutes} minutes planned, ${block.freeMinutes} free.`);
  return lines.join('\n');
}

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

function formatLocal(localMs: number): string {
  return new Date(localMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, '');
}

function isDaylight(at: number, zone: string): boolean {
  return DateTime.fromMillis(at, { zone }).isInDST;
}

/**
 * A VTIMEZONE for `zone` valid over [fromMs, toMs): one observance for the offset at the start,
 * then one per offset change, each explicit (no RRULE), which every parser understands.
 */
export function vtimezone(zone: string, fromMs: number, toMs: number): string {
  const start = fromMs - DAY_MS;
  const first = offsetMinutesAt(start, zone);
  const observance = (at: number, from: number, to: number): string[] => {
    const kind = isDaylight(at, zone) ? 'DAYLIGHT' : 'STANDARD';
    return [
      `BEGIN:${kind}`,
      `DTSTART:${formatLocal(at + from * 60_000)}`,
      `TZOFFSETFROM:${formatOffset(from)}`,
      `TZOFFSETTO:${formatOffset(to)}`,
      `END:${kind}`,
    ];
  };
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...observance(start, first, first)];
  for (const t of offsetTransitions(zone, start, toMs + DAY_MS)) lines.push(...observance(t.at, t.from, t.to));
  lines.push('END:VTIMEZONE');
  return lines.join('\r\n');
}

/** The rep's iCalendar document: one event per block occurrence of the plan. */
export function calendarFeed(plan: Plan, opts: CalendarFeedOptions): string {
  const zone = opts.repZone;
  const starts = plan.blocks.map((b) => b.occurrence.start);
  const ends = plan.blocks.map((b) => b.occurrence.end);
  const from = starts.length > 0 ? Math.min(...starts) : opts.generatedAt;
  const to = ends.length > 0 ? Math.max(...ends) : opts.generatedAt;
  const timezone = vtimezone(zone, from, to);

  const calendar = ical({ name: opts.calendarName ?? 'Tally follow-up blocks', prodId: { company: 'Tally', product: 'follow-up blocks' } });
  // No calendar-level zone name: ical-generator would then write DTSTAMP without its UTC "Z".
  // The events carry the zone; the generator adds its VTIMEZONE once.
  calendar.timezone({ name: null, generator: (tzid) => (tzid === zone ? timezone : null) });
  calendar.x('X-WR-TIMEZONE', zone);
  const stamp = DateTime.fromMillis(opts.generatedAt, { zone: 'utc' });
  for (const block of plan.blocks) {
    calendar.createEvent({
      id: blockEventUid(opts.repId, block.occurrence.start, opts.uidDomain),
      stamp,
      start: DateTime.fromMillis(block.occurrence.start, { zone }),
      end: DateTime.fromMillis(block.occurrence.end, { zone }),
      timezone: zone,
      summary: blockSummary(block),
      description: blockDescription(block, zone),
    });
  }
  return calendar.toString();
}
