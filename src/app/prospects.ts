// Finding prospects the acting user may see, and the full picture of one of them.
import type { Prospect } from './ports/records.ts';
import type { Context } from './context.ts';
import { isManager, mayChangeAuthored } from './context.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';
import { isValidTimeZone } from '../core/schedule.ts';
import { asId, emailKey } from '../core/keys.ts';
import { tallyLine } from '../core/tally.ts';
import type { Channel, EnrollmentStatus, Outcome } from '../core/types.ts';

/** Only the acting user's own prospects, unless they manage the team: the `ownerId` filter of queries. */
export function visibleOwner(ctx: Context): number | undefined {
  return isManager(ctx) ? undefined : ctx.user.id;
}

/** A prospect by id or email, within what the acting user may see. */
export async function findProspect(ctx: Context, ref: string | number): Promise<Prospect> {
  const text = String(ref).trim();
  // Ids are 32-bit on PostgreSQL: a larger number cannot be an id (and must not be a query error).
  const id = asId(text);
  const p = await ctx.store.prospects.find(ctx.workspace.id, id !== null ? { id } : { emailKey: emailKey(text) }, visibleOwner(ctx));
  if (!p) throw new NotFoundError(`unknown prospect "${text}" (give an id or an email address)`);
  return p;
}

export interface TimelineEntry {
  at: number;
  kind: 'touch' | 'enrolled' | 'ended' | 'mail' | 'change' | 'note';
  channel?: Channel;
  outcome?: Outcome;
  note?: string | null;
  cadence?: string;
  step?: number | null;
  text: string;
  /** Touches: its id, and whether the viewer may correct or delete it (its author or a manager). */
  touchId?: number;
  canChange?: boolean;
  /** Touches: every correction made to it, oldest first (who, when, what it was). */
  changes?: TouchChangeView[];
  /** Notes: its id, who wrote it, when it was last edited, and its earlier texts (who changed them, when). */
  noteId?: number;
  by?: string;
  editedAt?: number | null;
  edits?: NoteEditView[];
}

export interface NoteEditView {
  at: number;
  by: string;
  /** The text before this edit. */
  was: string;
}

export interface TouchChangeView {
  action: 'undone' | 'corrected' | 'deleted';
  at: number;
  by: string;
  /** What the touch was before the change, in words. */
  was: string;
}

/** "call → no answer — rang twice" from a touch_changes record. */
function touchWords(json: string): string {
  const t = JSON.parse(json) as { channel: string; outcome: string; note: string | null };
  return `${t.channel} → ${t.outcome.replace(/_/g, ' ')}${t.note ? ` — ${t.note}` : ''}`;
}

export interface ProspectView {
  prospect: Prospect & { company: string | null; owner: string; custom_fields: Record<string, string> };
  tally: { count: number; line: string };
  enrollments: {
    id: number;
    cadence: string;
    version: number;
    status: EnrollmentStatus;
    reason: string | null;
    step: number;
    steps: number;
    nextStep: string | null;
    dueAt: number | null;
  }[];
  timeline: TimelineEntry[];
}

/** The items' views in lists under their key, in the items' order (a touch's or a note's changes). */
function listsBy<T, V>(items: readonly T[], key: (item: T) => number, view: (item: T) => V): Map<number, V[]> {
  const lists = new Map<number, V[]>();
  for (const item of items) {
    const list = lists.get(key(item));
    if (list) list.push(view(item));
    else lists.set(key(item), [view(item)]);
  }
  return lists;
}

export async function showProspect(ctx: Context, ref: string | number): Promise<ProspectView> {
  const p = await findProspect(ctx, ref);
  const [companies, owner, enrollments, touches, mail, changes, notes, noteChanges] = await Promise.all([
    p.company_id ? ctx.store.companies.names([p.company_id]) : new Map<number, string>(),
    ctx.store.users.byId(p.owner_id),
    ctx.store.enrollments.history(p.id),
    ctx.store.touches.ofProspect(p.id),
    ctx.store.inbound.history(p.id),
    ctx.store.touches.changesOf(p.id),
    ctx.store.notes.ofProspect(p.id),
    ctx.store.notes.changesOf(p.id),
  ]);
  const changesOf = listsBy(changes, (c) => c.touch_id, (c): TouchChangeView => ({ action: c.action, at: c.at, by: c.user_name, was: touchWords(c.before) }));
  const editsOf = listsBy(noteChanges.filter((c) => c.action === 'edited'), (c) => c.note_id, (c) => ({ at: c.at, by: c.user_name, was: c.before }));
  const company = p.company_id ? companies.get(p.company_id) ?? null : null;
  const timeline: TimelineEntry[] = [];
  for (const e of enrollments) {
    timeline.push({ at: e.started_at, kind: 'enrolled', cadence: e.cadence, text: `enrolled in ${e.cadence} v${e.version}` });
    if (e.ended_at !== null) timeline.push({ at: e.ended_at, kind: 'ended', cadence: e.cadence, text: `${e.cadence}: ${e.status}${e.reason ? ` (${e.reason})` : ''}` });
  }
  for (const t of touches) {
    timeline.push({
      at: t.occurred_at,
      kind: 'touch',
      channel: t.channel,
      outcome: t.outcome,
      note: t.note,
      step: t.step_index === null ? null : t.step_index + 1,
      text: `${t.channel} → ${t.outcome.replace(/_/g, ' ')}${t.note ? ` — ${t.note}` : ''}`,
      touchId: t.id,
      canChange: mayChangeAuthored(ctx, t.user_id),
      changes: changesOf.get(t.id) ?? [],
    });
  }
  // A deleted touch stays in the story as its deletion: who, when, and what it was.
  for (const c of changes) {
    if (c.action !== 'deleted') continue;
    timeline.push({ at: c.at, kind: 'change', text: `${c.user_name} deleted a touch: ${touchWords(c.before)}` });
  }
  // Notes are records on the timeline, not touches: never in the tally.
  for (const n of notes) {
    timeline.push({ at: n.created_at, kind: 'note', note: n.body, text: `note ${n.id} by ${n.user_name}${n.edited_at === null ? '' : ' (edited)'}: ${n.body}`, noteId: n.id, by: n.user_name, editedAt: n.edited_at, canChange: mayChangeAuthored(ctx, n.user_id), edits: editsOf.get(n.id) ?? [] });
  }
  for (const c of noteChanges) {
    if (c.action === 'deleted') timeline.push({ at: c.at, kind: 'change', text: `${c.user_name} deleted a note: ${c.before}` });
  }
  // Mail from them written before a cadence could hear it: shown, never acted on (issue 16).
  for (const m of mail) {
    const at = m.written_at ?? m.received_at;
    const what = m.class === 'human_reply' ? 'wrote' : m.class === 'auto_reply' ? 'automatic reply' : m.class.replace('_', ' ');
    timeline.push({ at, kind: 'mail', text: `${what} on ${new Date(at).toUTCString().slice(5, 16)}${m.subject ? ` — ${m.subject}` : ''} (before the cadence: not acted on)` });
  }
  // Same instant: the enrollment comes first, its end last.
  const order = { enrolled: 0, mail: 1, touch: 1, change: 1, note: 1, ended: 2 } as const;
  timeline.sort((a, b) => a.at - b.at || order[a.kind] - order[b.kind]);
  return {
    prospect: { ...p, company, owner: owner?.name ?? '', custom_fields: JSON.parse(p.custom) as Record<string, string> },
    tally: { count: touches.length, line: tallyLine(touches.length) },
    enrollments: enrollments.map((e) => ({
      id: e.id,
      cadence: e.cadence,
      version: e.version,
      status: e.status,
      reason: e.reason,
      step: Math.min(e.step_index + 1, Number(e.steps)),
      steps: Number(e.steps),
      nextStep: e.next_step,
      dueAt: e.due_at,
    })),
    timeline,
  };
}

/** Sets (or clears) a prospect's zone by hand: from then on it is theirs, not "inferred". */
export async function setProspectZone(ctx: Context, ref: string | number, zone: string | null): Promise<{ timezone: string | null; timezoneInferred: boolean }> {
  const timezone = zone?.trim() || null;
  if (timezone !== null && !isValidTimeZone(timezone)) {
    throw new TallyError(`unknown time zone "${timezone}" (use an IANA name such as America/New_York or Europe/Paris)`, 'invalid', { field: 'timezone' });
  }
  return ctx.store.transaction(async (tx) => {
    const p = await findProspect({ ...ctx, store: tx }, ref);
    await tx.prospects.update(p.id, { timezone, timezone_inferred: 0, updated_at: ctx.now() });
    return { timezone, timezoneInferred: false };
  });
}
