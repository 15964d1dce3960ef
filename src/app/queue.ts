// The rep's queue: due and overdue touches, with what they need to make each one count.
import { startOfNextLocalDay } from '../core/schedule.ts';
import type { Channel, EnrollmentStatus } from '../core/types.ts';
import type { Context } from './context.ts';
import { isManager, userZone } from './context.ts';
import { earliestWithReason } from '../core/guardrails/index.ts';
import { COMPANY_LOOKBACK_MS, holdsWith, LOOKBACK_MS, touchToCheck, type TouchHistory } from './holds.ts';
import { loadPlaybook, playbookForSteps, type Playbook, type StepPlaybook } from './playbook.ts';
import type { DueStep } from './ports/store/due-steps.ts';
import { unsubscribeLinks, unsubscribeToken } from '../core/unsubscribe-token.ts';
import type { Need } from '../core/mail-template.ts';
import type { SendingDecision } from '../core/step-sending.ts';
import { findMailbox } from './mailboxes.ts';
import { draftSteps, type DraftRow } from './outbox/drafts.ts';
import { unsubscribeUrlOf } from './unsubscribe-url.ts';
import type { Mailbox } from './ports/records.ts';
import { keptAt } from './kept.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';

/** An email step as the prospect would receive it now, and what it still needs from the rep. */
export interface QueueMessage {
  subject: string;
  text: string;
  /** null: plain text only (the template uses no formatting). */
  html: string | null;
  /** Non-empty: "needs your words": nothing goes out until each is filled. */
  needs: Need[];
  sending: SendingDecision;
  /** Set when the step cannot be drafted at all (no template…); the other fields are empty then. */
  error: string | null;
}

export interface QueueItem {
  enrollmentId: number;
  prospectId: number;
  name: string;
  email: string;
  phone: string | null;
  linkedinUrl: string | null;
  title: string | null;
  company: string | null;
  timezone: string | null;
  priority: number;
  cadence: string;
  step: number;
  steps: number | null;
  stepName: string;
  channel: Channel;
  dueAt: number;
  overdue: boolean;
  status: EnrollmentStatus;
  /** Why this touch helps: a note for the rep, never sent. */
  reason: string;
  talkingPoints: string[];
  subject: string | null;
  touches: number;
  /** Set when a guardrail keeps this touch from happening now: until when, and why. */
  held: { until: number | null; reasons: string[] } | null;
  /** The one reason to show a rep for a held touch: the rule that lifts last (core/guardrails liftsLast). */
  heldReason: string | null;
  /** The step's playbook value item (title, summary, link) and the objections to be ready for. */
  playbook: StepPlaybook;
  /**
   * Email steps: the rendered mail (a reply's subject is drafted as if it started the thread). null for
   * other channels, and for the email cards a page left undrafted (QueueOptions.drafts).
   */
  message: QueueMessage | null;
}

export interface ReplyWaiting {
  prospectId: number;
  name: string;
  email: string;
  company: string | null;
  at: number;
  /** The subject or first words of the reply. */
  note: string | null;
}

export interface Queue {
  owner: string;
  until: number;
  total: number;
  overdue: number;
  /** Inbound replies nobody has answered yet: they go first, before any planned touch. */
  replies: ReplyWaiting[];
  items: QueueItem[];
}

/** How far back an unanswered inbound reply still heads the queue. */
const REPLY_WINDOW_MS = 14 * 86_400_000;

/** Replies that came in (logged by mail sync, so with a Message-ID) with no touch from the rep since. */
async function repliesWaiting(ctx: Context, team: boolean): Promise<ReplyWaiting[]> {
  const rows = await ctx.store.touches.repliesWaiting({
    workspaceId: ctx.workspace.id,
    ownerId: team ? undefined : ctx.user.id,
    since: ctx.now() - REPLY_WINDOW_MS,
    limit: 100,
  });
  return rows.map((r) => ({ prospectId: r.prospectId, name: r.name, email: r.email, company: r.company, at: r.at, note: r.note }));
}

export interface QueueOptions {
  /** Include touches due up to the end of this many local days after today (0 = today). */
  days?: number;
  limit?: number;
  /** Managers: the whole team's queue. */
  team?: boolean;
  /**
   * Draft the email cards among the first this many a rep works (not held); the others come with
   * `message: null` and their draft from `queueDraft`. Every email card when absent.
   */
  drafts?: number;
}

/** The last millisecond of the local day `extraDays` after today's, in `zone` (DST-safe, no Luxon object). */
export function endOfLocalDay(now: number, zone: string, extraDays = 0): number {
  let next = startOfNextLocalDay(now, zone);
  for (let d = 0; d < extraDays; d++) next = startOfNextLocalDay(next, zone);
  return next - 1;
}

/** The part of a mailbox the drafts read: the sender's name and address, and its unsubscribe link. */
type DraftSender = Pick<Mailbox, 'from_name' | 'from_address' | 'unsubscribe_url'>;

async function draftSender(ctx: Context): Promise<DraftSender | null> {
  const m = await findMailbox(ctx);
  return m ? { from_name: m.from_name, from_address: m.from_address, unsubscribe_url: m.unsubscribe_url } : null;
}

/** The drafts of the queue's email steps, as the acting user's mailbox would send them. */
async function queueMessages(ctx: Context, rows: DraftRow[], mailbox: DraftSender | null, valueItems?: Playbook['valueItems']): Promise<Map<number, QueueMessage>> {
  const out = new Map<number, QueueMessage>();
  if (rows.length === 0) return out;
  const from = mailbox?.from_address ?? ctx.user.email;
  const key = ctx.secrets.unsubscribeKey();
  const drafts = await draftSteps(ctx, rows, {
    sender: { name: mailbox?.from_name ?? ctx.user.name, email: from, signature: ctx.user.signature },
    links: (r) => unsubscribeLinks(unsubscribeToken({ workspaceId: ctx.workspace.id, prospectId: r.prospectId }, key), from, unsubscribeUrlOf(ctx.settings, mailbox ?? undefined)),
    subjectFor: (r) => r.content.subject ?? '',
    valueItems,
  });
  for (const [id, d] of drafts) {
    out.set(id, d.draft ? { subject: d.draft.subject, text: d.draft.text, html: d.draft.html, needs: d.draft.needs, sending: d.sending, error: null } : { subject: '', text: '', html: null, needs: [], sending: d.sending, error: d.error });
  }
  return out;
}

export async function todayQueue(ctx: Context, opts: QueueOptions = {}): Promise<Queue> {
  const now = ctx.now();
  const until = endOfLocalDay(now, userZone(ctx), opts.days ?? 0);
  const team = opts.team === true && isManager(ctx);
  const scope = team ? { workspaceId: ctx.workspace.id } : { ownerId: ctx.user.id };
  // Independent reads, sent together: on PostgreSQL they run side by side on the pool, one round
  // trip. The due work is two statements: the counts (with the workspace's data version), and the
  // page (picked from the queue index alone) with everything each card shows, the touch history its
  // guardrails need and what drafting its email reads.
  const [counts, rows, replies] = await Promise.all([
    ctx.store.due.queueCounts(scope, until, now, ctx.workspace.id),
    ctx.store.due.steps(
      { queue: { scope, until, now, limit: opts.limit ?? 100 } },
      // What drafting reads comes with the page too (slot fills, hand-sent counts), so the call is one round trip.
      { contact: true, content: true, counts: true, history: { since: now - LOOKBACK_MS, companySince: now - COMPANY_LOOKBACK_MS }, drafting: opts.drafts !== 0 },
    ),
    repliesWaiting(ctx, team),
  ]);
  // Persistent, never pushy: say which touches a guardrail holds back, until when, and why — for a
  // person, one reason (the rule that lifts last): stacked reasons read as contradictions.
  const verdicts = holdsWith(ctx, rows.map((r) => touchToCheck(r, now)), historyOf(rows), earliestWithReason);
  const helds = rows.map((r) => {
    const v = verdicts.get(r.enrollmentId);
    return v && (v.at === null || v.at > Math.max(r.dueAt, now)) && v.holds.length ? { until: v.at, reasons: v.holds.map((h) => h.explanation) } : null;
  });
  const drafted = toDraft(rows, helds, opts.drafts);
  // The playbook and the sender are read again only when the data version moved on (app/kept.ts).
  const kept = keptAt(ctx.store, ctx.workspace.id, counts.dataVersion);
  const [playbook, sender] = await Promise.all([
    kept.get('playbook', () => loadPlaybook(ctx)),
    drafted.length ? kept.get(`sender:${ctx.user.id}`, () => draftSender(ctx)) : null,
  ]);
  const [playbooks, messages] = await Promise.all([
    // The objections' order for steps naming none depends on the current cadence versions too.
    playbookForSteps(ctx, rows.map((r) => ({ channel: r.step.channel, ...r.content })), playbook, (read) => kept.get(`objection-usage:${counts.cadences}`, read)),
    queueMessages(ctx, drafted, sender, playbook.valueItems),
  ]);
  const items = rows.map((r, i): QueueItem => {
    const held = helds[i]!;
    const reason = held ? verdicts.get(r.enrollmentId)!.reason?.explanation ?? held.reasons[0] ?? null : null;
    return queueItem(r, now, held, reason, playbooks[i]!, messages.get(r.enrollmentId) ?? null);
  });
  return { owner: team ? 'team' : ctx.user.name, until, total: counts.total, overdue: counts.overdue, replies, items };
}

/** The email cards a page for a person drafts: the card on screen and the next (the web queue asks for the others' one at a time). */
export const PAGE_DRAFTS = 2;

/** The email cards drafted with the page: all of them, or the first `drafts` a rep works (not held), in queue order. */
function toDraft<R extends DraftRow>(rows: readonly R[], helds: readonly (QueueItem['held'])[], drafts: number | undefined): R[] {
  const email = rows.filter((r) => r.step.channel === 'email');
  if (drafts === undefined) return email;
  return rows.filter((r, i) => helds[i] === null).slice(0, drafts).filter((r) => r.step.channel === 'email');
}

/** One email card's draft, as the queue would show it: for the cards a page leaves undrafted (`drafts`). */
export async function queueDraft(ctx: Context, enrollmentId: number): Promise<QueueMessage> {
  const scope = isManager(ctx) ? {} : { ownerId: ctx.user.id };
  const [rows, sender] = await Promise.all([
    ctx.store.due.steps({ workspaceId: ctx.workspace.id, ...scope, enrollmentIds: [enrollmentId] }, { contact: true, content: true }),
    draftSender(ctx),
  ]);
  const row = rows[0];
  if (!row) throw new NotFoundError(`no touch due for enrollment ${enrollmentId} in your queue`);
  if (row.step.channel !== 'email') throw new TallyError(`enrollment ${enrollmentId}'s next step is a ${row.step.channel} step, not an email`, 'invalid', { field: 'enrollment' });
  return (await queueMessages(ctx, [row], sender)).get(enrollmentId)!;
}

/** The touch history the page's rows carry, as the guardrails read it. */
function historyOf(rows: DueStep<{ history: { since: number; companySince: number } }>[]): TouchHistory {
  const history: TouchHistory = { byProspect: new Map(), byCompany: new Map() };
  for (const r of rows) {
    history.byProspect.set(r.prospectId, r.history.prospect);
    if (r.prospect.companyId !== null) history.byCompany.set(r.prospect.companyId, r.history.company);
  }
  return history;
}

type PageRow = DueStep<{ contact: true; content: true; counts: true }>;

// Built in one literal, not spread into another: a page builds a hundred.
function queueItem(r: PageRow, now: number, held: QueueItem['held'], heldReason: string | null, playbook: StepPlaybook, message: QueueMessage | null): QueueItem {
  return {
    enrollmentId: r.enrollmentId,
    prospectId: r.prospectId,
    name: r.prospect.name,
    email: r.prospect.email,
    phone: r.contact.phone,
    linkedinUrl: r.contact.linkedinUrl,
    title: r.contact.title,
    company: r.company,
    timezone: r.prospect.timezone,
    priority: r.priority,
    cadence: r.counts.cadence,
    step: r.stepIndex + 1,
    steps: r.counts.steps,
    stepName: r.step.name,
    channel: r.step.channel,
    dueAt: r.dueAt,
    overdue: r.dueAt < now,
    status: r.status,
    reason: r.content.reason,
    talkingPoints: r.content.talkingPoints,
    subject: r.content.subject,
    touches: r.counts.touches,
    held,
    playbook,
    message,
    heldReason,
  };
}
