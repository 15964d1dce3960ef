import { describe, expect, it } from 'vitest';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import type { PlanItem } from '../../src/core/planner.ts';
import { planBlocks } from '../../src/core/planner.ts';
import { blockOccurrences } from '../../src/core/blocks.ts';
import { blockEventUid, calendarFeed } from '../../src/core/calendar.ts';
import { defaultScheduleRules } from '../../src/core/schedule.ts';

const BERLIN = 'Europe/Berlin';
const at = (iso: string, zone = BERLIN): number => DateTime.fromISO(iso, { zone }).toMillis();
const NOW = at('2024-03-28T07:00'); // Thursday before the spring DST change

function item(i: number, name = `Person ${i}`): PlanItem {
  return {
    enrollmentId: `e${i}`,
    prospectId: `p${i}`,
    prospectName: name,
    companyKey: `c${i}`,
    companyName: `Company ${i}`,
    channel: i % 2 === 0 ? 'email' : 'call',
    dueAt: NOW - 1000,
    priority: 0,
    stepIndex: 0,
    stepName: 'Case study follow-up',
    rules: defaultScheduleRules(BERLIN),
    touches: [],
  };
}

function buildPlan(names: string[], now = NOW) {
  const occurrences = blockOccurrences(
    [
      { weekday: 4, start: '10:00', minutes: 30 },
      { weekday: 1, start: '10:00', minutes: 30 },
    ],
    BERLIN,
    now,
    now + 7 * 86_400_000,
  );
  return planBlocks({ now, occurrences, items: names.map((n, i) => item(i, n)) });
}

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  return { calendar, events: calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v)) };
}

const LONG_NAME = 'Dr. Maximiliane Alexandra von und zu Oberhausen-Wiedenbrück, Head of Procurement; EMEA';
const NAMES = [LONG_NAME, 'Dana', 'Kai', 'Ana', 'Jo', 'Lee', 'Sam'];

describe('calendarFeed', () => {
  const plan = buildPlan(NAMES);
  const text = calendarFeed(plan, { repId: 'rep-7', repZone: BERLIN, generatedAt: NOW });
  const { calendar, events } = parse(text);

  it('has one event per block occurrence with zone-correct times across DST', () => {
    expect(events).toHaveLength(plan.blocks.length);
    expect(events.map((e) => e.startDate.toUnixTime() * 1000)).toEqual(plan.blocks.map((b) => b.occurrence.start));
    expect(events.map((e) => e.endDate.toUnixTime() * 1000)).toEqual(plan.blocks.map((b) => b.occurrence.end));
    // Both at 10:00 Berlin wall-clock time: CET on Thursday, CEST on Monday.
    expect(events.map((e) => [e.startDate.zone?.tzid, e.startDate.hour, e.startDate.minute])).toEqual([
      [BERLIN, 10, 0],
      [BERLIN, 10, 0],
    ]);
    expect(events.map((e) => new Date(e.startDate.toUnixTime() * 1000).toISOString())).toEqual(['2024-03-28T09:00:00.000Z', '2024-04-01T08:00:00.000Z']);
    expect(calendar.getAllSubcomponents('vtimezone').map((tz) => tz.getFirstPropertyValue('tzid'))).toEqual([BERLIN]);
  });

  it('summarises and describes the planned touches', () => {
    const first = plan.blocks[0];
    expect(events[0]?.summary).toBe(`Follow-up block: ${first?.touches.length} touches`);
    const lines = events[0]?.description.split('\n') ?? [];
    expect(lines[0]).toBe(`10:00 ${LONG_NAME} (Company 0) · email · Case study follow-up`);
    expect(lines).toHaveLength((first?.touches.length ?? 0) + 1);
    expect(lines.at(-1)).toBe(`${first?.usedMinutes} of 30 minutes planned, ${first?.freeMinutes} free.`);
  });

  it('folds long lines at 75 octets with CRLF', () => {
    const physical = text.split('\r\n');
    expect(physical.every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    expect(physical.some((l) => l.startsWith(' '))).toBe(true);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
  });

  it('keeps UIDs stable across regenerations and writes DTSTAMP in UTC', () => {
    const again = parse(calendarFeed(buildPlan(NAMES.slice(0, 2), NOW + 60_000), { repId: 'rep-7', repZone: BERLIN, generatedAt: NOW + 3_600_000 }));
    expect(again.events.map((e) => e.uid)).toEqual(events.map((e) => e.uid));
    expect(events[0]?.uid).toBe(blockEventUid('rep-7', at('2024-03-28T10:00')));
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    const stamp = calendar.getFirstSubcomponent('vevent')?.getFirstPropertyValue('dtstamp') as ICAL.Time;
    expect(stamp.zone?.tzid).toBe('UTC');
    expect(stamp.toUnixTime() * 1000).toBe(NOW);
    const otherRep = parse(calendarFeed(plan, { repId: 'rep-8', repZone: BERLIN, generatedAt: NOW }));
    expect(otherRep.events[0]?.uid).not.toBe(events[0]?.uid);
  });

  it('writes half-hour and 45-minute offsets', () => {
    for (const zone of ['America/St_Johns', 'Asia/Kathmandu']) {
      const now = at('2024-05-13T06:00', zone);
      const occurrences = blockOccurrences([{ weekday: 1, start: '09:30', minutes: 30 }], zone, now, now + 86_400_000);
      const zonePlan = planBlocks({ now, occurrences, items: [] });
      const parsed = parse(calendarFeed(zonePlan, { repId: 'r', repZone: zone, generatedAt: now }));
      expect(parsed.events[0]?.startDate.toUnixTime()).toBe((occurrences[0]?.start ?? 0) / 1000);
      expect(parsed.events[0]?.summary).toBe('Follow-up block: 0 touches');
    }
  });
});
