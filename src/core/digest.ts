// The daily digest: what the rep's day holds (blocks and their touches), what is late, what is
// held back and why, and who replied. Text and HTML; every value is escaped in the HTML.
import type { Channel } from './types.ts';
import type { Plan, PlannedBlock } from './planner.ts';
import { formatLocalClock, localDayNumber } from './schedule.ts';

export interface DigestTouch {
  prospectName: string;
  companyName?: string | null;
  channel: Channel;
  stepName: string;
}

export interface OverdueTouch extends DigestTouch {
  dueAt: number;
}

export interface HeldTouch extends DigestTouch {
  /** The hold's explanation, e.g. "held: 3rd touch to Acme today". */
  reason: string;
  /** When the hold lifts; null for never. */
  until?: number | null;
}

/** An inbound message waiting for the rep's decision (what the queue's Replies section lists). */
export interface WaitingReply {
  /** A reply or a booked meeting Tally acted on, waiting to be confirmed; a message Tally was unsure about. */
  kind: 'reply' | 'meeting' | 'needs_look';
  prospectName: string;
  companyName?: string | null;
  subject?: string | null;
  receivedAt: number;
}

const WAITING_WHAT: Record<WaitingReply['kind'], string> = {
  reply: 'replied',
  meeting: 'booked a meeting',
  needs_look: 'needs a look (Tally was unsure and did nothing)',
};

export interface DigestInput {
  repName: string;
  repZone: string;
  now: number;
  /** The plan; only the blocks on the rep's local "today" are listed. */
  plan: Plan;
  overdue: readonly OverdueTouch[];
  /** Held touches; when omitted, the plan's items held by a guardrail. */
  held?: readonly HeldTouch[];
  /** Replies, meetings and "needs a look" messages waiting for the rep's decision, whenever they came. */
  replies: readonly WaitingReply[];
  /** Cadences the company-wide stop paused, in words (listed only when there are some). */
  notices?: readonly { text: string }[];
  /** Mailbox pauses and warnings (sending paused, needs reconnecting…), shown first when there are any. */
  mailbox?: readonly string[];
}

export interface Digest {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function who(t: { prospectName: string; companyName?: string | null }): string {
  return t.companyName ? `${t.prospectName} (${t.companyName})` : t.prospectName;
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "3 days", "5 hours", "20 minutes". */
export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 60) return count(minutes, 'minute', 'minutes');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return count(hours, 'hour', 'hours');
  return count(Math.floor(hours / 24), 'day', 'days');
}

interface Line {
  text: string;
}

interface Section {
  title: string;
  lines: Line[];
  empty: string;
}

export function dailyDigest(input: DigestInput): Digest {
  const { repZone: zone, now } = input;
  const today = localDayNumber(now, zone);
  const blocks: PlannedBlock[] = input.plan.blocks.filter((b) => localDayNumber(b.occurrence.start, zone) === today);
  const held: HeldTouch[] = input.held
    ? [...input.held]
    : input.plan.unplaced
        .filter((u) => u.reason === 'held')
        .map((u) => ({ ...u.item, reason: u.explanation, until: u.hold?.until ?? null }));
  const planned = blocks.reduce((n, b) => n + b.touches.length, 0);

  const blockSections: Section[] = blocks.map((b) => ({
    title: `${formatLocalClock(b.occurrence.start, zone)}–${formatLocalClock(b.occurrence.end, zone)} follow-up block: ${count(b.touches.length, 'touch', 'touches')} (${b.usedMinutes} of ${b.capacityMinutes} minutes)`,
    lines: b.touches.map((t) => ({ text: `${formatLocalClock(t.at, zone)} ${who(t.item)} · ${t.item.channel} · ${t.item.stepName}` })),
    empty: 'Nothing planned in this block.',
  }));
  const mailbox: Section[] = input.mailbox?.length ? [{ title: 'Your mailbox', lines: input.mailbox.map((text) => ({ text })), empty: '' }] : [];
  const sections: Section[] = [
    ...mailbox,
    ...(blockSections.length > 0 ? blockSections : [{ title: 'Follow-up blocks today', lines: [], empty: 'No follow-up block today.' }]),
    {
      title: `Overdue (${input.overdue.length})`,
      lines: [...input.overdue]
        .sort((a, b) => a.dueAt - b.dueAt)
        .map((t) => ({ text: `${who(t)} · ${t.channel} · ${t.stepName}: overdue by ${formatAge(now - t.dueAt)}` })),
      empty: 'Nothing overdue.',
    },
    {
      title: `Held back (${held.length})`,
      lines: held.map((t) => ({ text: `${who(t)} · ${t.channel} · ${t.stepName}: ${t.reason}` })),
      empty: 'Nothing held back.',
    },
    {
      title: `Replies waiting (${input.replies.length})`,
      lines: [...input.replies]
        .sort((a, b) => a.receivedAt - b.receivedAt)
        .map((r) => ({ text: `${who(r)} ${WAITING_WHAT[r.kind]}${r.subject ? `: "${r.subject}"` : ''}, ${formatAge(now - r.receivedAt)} ago` })),
      empty: 'No replies waiting.',
    },
    ...(input.notices?.length ? [{ title: `Paused by the company-wide stop (${input.notices.length})`, lines: input.notices.map((n) => ({ text: n.text })), empty: '' }] : []),
  ];

  // A subject is a mail header: no line breaks from a name.
  const subject = (
    `Tally for ${input.repName}: ${count(planned, 'touch', 'touches')} in ${count(blocks.length, 'block', 'blocks')} today` +
    `, ${input.overdue.length} overdue, ${count(input.replies.length, 'reply', 'replies')} waiting`
  ).replace(/[\r\n]+/g, ' ');
  const text = [
    subject,
    '',
    ...sections.flatMap((s) => [s.title, ...(s.lines.length > 0 ? s.lines.map((l) => `  - ${l.text}`) : [`  ${s.empty}`]), '']),
  ].join('\n');
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<h1>${escapeHtml(subject)}</h1>`,
    ...sections.map(
      (s) =>
        `<h2>${escapeHtml(s.title)}</h2>` +
        (s.lines.length > 0 ? `<ul>${s.lines.map((l) => `<li>${escapeHtml(l.text)}</li>`).join('')}</ul>` : `<p>${escapeHtml(s.empty)}</p>`),
    ),
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
