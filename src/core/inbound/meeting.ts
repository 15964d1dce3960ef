// Calendar mail (RFC 5546 iTIP in a text/calendar part): the prospect invites us (METHOD:REQUEST
// organised by them) or accepts our invitation (METHOD:REPLY, PARTSTAT=ACCEPTED) — a meeting is
// booked. A decline, a tentative answer or a counter-proposal is a person answering: a human reply.
import type { InboundMessage } from './message.ts';
import { findPart, partText } from './mime.ts';
import type { Confidence, Evidence, MeetingInfo } from './types.ts';

interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}

/** Unfolded content lines ("NAME;PARAM=x:value") of an iCalendar text. */
function properties(ics: string): Property[] {
  const out: Property[] = [];
  for (const line of ics.replace(/\r/g, '').replace(/\n[ \t]/g, '').split('\n')) {
    const colon = line.search(/:(?=(?:[^"]*"[^"]*")*[^"]*$)/);
    if (colon <= 0) continue;
    const [name, ...rawParams] = line.slice(0, colon).split(';');
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"|"$/g, '');
    }
    out.push({ name: name!.toUpperCase(), params, value: line.slice(colon + 1).trim() });
  }
  return out;
}

const mailto = (v: string | undefined): string => (v ?? '').replace(/^mailto:/i, '').trim().toLowerCase();

/** "20270112T150000Z" → "2027-01-12T15:00:00Z"; "20270112" → "2027-01-12"; with TZID the local time. */
function isoStart(p: Property | undefined): string | undefined {
  const m = p && /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(p.value);
  if (!m) return undefined;
  if (m[4] === undefined) return `${m[1]}-${m[2]}-${m[3]}`;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ? 'Z' : p!.params['TZID'] ? ` (${p!.params['TZID']})` : ''}`;
}

export interface MeetingResult {
  /** True when a meeting is booked (their invitation, or their acceptance of ours). */
  booked: boolean;
  meeting: MeetingInfo;
  evidence: Evidence[];
  confidence: Confidence;
}

export function detectMeeting(m: InboundMessage): MeetingResult | undefined {
  const part = findPart(m.root, (p) => p.type === 'text/calendar' || p.type === 'application/ics');
  if (!part) return undefined;
  const all = properties(partText(part));
  const method = (all.find((p) => p.name === 'METHOD')?.value ?? part.params['method'] ?? '').toUpperCase();
  // The first VEVENT's own properties (a VTIMEZONE has DTSTARTs of its own).
  const begin = all.findIndex((p) => p.name === 'BEGIN' && /^VEVENT$/i.test(p.value));
  if (!method || begin < 0) return undefined;
  const end = all.findIndex((p, i) => i > begin && p.name === 'END' && /^VEVENT$/i.test(p.value));
  const props = all.slice(begin + 1, end < 0 ? undefined : end);
  const meeting: MeetingInfo = { method };
  const start = isoStart(props.find((p) => p.name === 'DTSTART'));
  if (start) meeting.start = start;
  const summary = props.find((p) => p.name === 'SUMMARY')?.value;
  if (summary) meeting.summary = summary.replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' ').slice(0, 200);
  const organizer = mailto(props.find((p) => p.name === 'ORGANIZER')?.value);
  const attendees = props.filter((p) => p.name === 'ATTENDEE');
  const evidence: Evidence[] = [{ source: 'mime', detail: `${part.type}; METHOD:${method}` }];
  const ours = new Set(m.to);
  if (method === 'REPLY') {
    const who = attendees.find((a) => mailto(a.value) === m.from) ?? attendees.find((a) => a.params['PARTSTAT']) ?? attendees[0];
    const partstat = (who?.params['PARTSTAT'] ?? '').toUpperCase();
    if (partstat) meeting.partstat = partstat;
    evidence.push({ source: 'mime', detail: `ATTENDEE ${mailto(who?.value) || '?'} PARTSTAT=${partstat || '?'}` });
    const confidence: Confidence = who !== undefined && mailto(who.value) === m.from ? 'certain' : 'likely';
    return { booked: partstat === 'ACCEPTED', meeting, evidence, confidence };
  }
  if (method === 'REQUEST' || method === 'PUBLISH') {
    // Their own invitation (a scheduling tool's counts too); our invitation coming back is not a booking.
    const theirs = organizer !== '' && !ours.has(organizer);
    evidence.push({ source: 'mime', detail: `ORGANIZER ${organizer || '?'}` });
    const confidence: Confidence = method === 'REQUEST' && organizer === m.from ? 'certain' : 'likely';
    return { booked: theirs || organizer === '', meeting, evidence, confidence };
  }
  // COUNTER, DECLINECOUNTER, CANCEL, REFRESH: a person answering about the meeting.
  return { booked: false, meeting, evidence, confidence: 'likely' };
}
