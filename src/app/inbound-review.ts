// What inbound mail waits for from the rep (replies first, issue 17; needs a look, issue 15):
// - a message the classifier was unsure about acted on nothing; it waits until the rep decides
//   what it is, and the decision does what the classifier would have done reading it so;
// - a reply or a booked meeting Tally acted on waits until the rep confirms it, or logs a touch on
//   the prospect after it came in (the rep acted on it);
// - a cadence paused by the company-wide stop leaves its owner a notice until they dismiss it.
// A rep sees and decides their own prospects' messages; a manager, everyone's. Every decision is
// kept with the message (who, when, what), which is what `tally classify --export-reviewed` exports.
import { stringify } from 'csv-stringify';
import { DEFAULT_INBOUND_POLICY } from '../core/inbound/apply.ts';
import { CONFIRMED, REVIEW_CHOICES, decideReviewed, reviewChoice, type Reading, type ReviewChoice, type ReviewKind } from '../core/inbound/review.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';
import { neutraliseCell } from '../core/csv-cells.ts';
import { isManager, rulesCache, type Context } from './context.ts';
import { applyInboundDecision } from './inbound.ts';
import { stopAtCompany } from './company-stop.ts';
import type { ReviewRow } from './ports/store/review.ts';

export interface WaitingMessage {
  id: number;
  kind: ReviewKind;
  prospectId: number;
  name: string;
  email: string;
  company: string | null;
  from: string | null;
  subject: string | null;
  /** The message's new text (quoted history cut). */
  text: string | null;
  /** When the person wrote it (its Date header, else its arrival). */
  at: number;
  reading: Reading | null;
  /** What Tally did (a reply: stopped the cadence) or, needing a look, that it did nothing. */
  detail: string | null;
  /** The decisions the rep may take: every choice for a message that needs a look, "confirmed" for a reply or meeting. */
  choices: { id: string; key: string; label: string; effect: string; takesDate: boolean }[];
}

export interface WaitingNotice {
  id: number;
  prospectId: number;
  name: string;
  text: string;
  at: number;
}

export interface Waiting {
  messages: WaitingMessage[];
  notices: WaitingNotice[];
}

const CONFIRM_CHOICE = { id: CONFIRMED, key: 'c', label: 'Confirm', effect: 'seen: it leaves the list', takesDate: false };
const choiceView = (c: ReviewChoice) => ({ id: c.id, key: c.key, label: c.label, effect: c.effect, takesDate: c.takesDate === true });

function parseReading(json: string | null): Reading | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as Reading;
  } catch {
    return null;
  }
}

function waitingView(r: ReviewRow): WaitingMessage {
  const m = r.message;
  const kind = m.review ?? 'needs_look';
  return {
    id: m.id, kind, prospectId: r.prospect.id, name: r.prospect.name, email: r.prospect.email, company: r.prospect.company,
    from: m.from_address, subject: m.subject, text: m.text, at: m.written_at ?? m.received_at, reading: parseReading(m.reading), detail: m.detail,
    choices: kind === 'needs_look' ? REVIEW_CHOICES.map(choiceView) : [CONFIRM_CHOICE],
  };
}

/** A rep: their own prospects; a manager: the team's when asked. */
const ownerScope = (ctx: Context, team: boolean) => (team && isManager(ctx) ? undefined : ctx.user.id);

/** Messages and notices waiting for the rep (or, `team`, for a manager: everyone's), newest first. */
export async function waitingForRep(ctx: Context, opts: { team?: boolean; limit?: number } = {}): Promise<Waiting> {
  const ownerId = ownerScope(ctx, opts.team === true);
  const limit = opts.limit ?? 100;
  const [rows, notices] = await Promise.all([
    ctx.store.review.waiting({ workspaceId: ctx.workspace.id, ownerId, limit }),
    ctx.store.review.notices({ workspaceId: ctx.workspace.id, userId: ownerId, limit }),
  ]);
  return {
    messages: rows.map(waitingView),
    notices: notices.map((n) => ({ id: n.id, prospectId: n.prospect_id, name: n.prospect_name, text: n.text, at: n.created_at })),
  };
}

export interface DecisionInput {
  /** A decision id or its key (core REVIEW_CHOICES), or "confirmed"/"confirm"/"c" for a reply or meeting. */
  decision: string;
  /** Out of office: the first day they are back is the day after (YYYY-MM-DD). */
  returnDate?: string;
}

export interface DecisionResult {
  id: number;
  prospectId: number;
  decision: string;
  /** What it did, e.g. "replied", "snoozed", "recorded". */
  action: string;
  detail: string;
}

async function visibleMessage(ctx: Context, id: number): Promise<ReviewRow> {
  const row = await ctx.store.review.one(ctx.workspace.id, id);
  // Another rep's message is "not found", exactly like one that does not exist: nothing leaks.
  if (!row || (!isManager(ctx) && row.prospect.ownerId !== ctx.user.id)) throw new NotFoundError(`no inbound message #${id} waiting for you (tally review lists them)`);
  return row;
}

function alreadyDecided(id: number): TallyError {
  return new TallyError(`message #${id} was decided already (by you or a colleague): reload the list`, 'conflict');
}

/** Applies the rep's decision on a waiting message, or their acknowledgement of a reply or meeting, and keeps it with the message. */
export async function decideMessage(ctx: Context, id: number, input: DecisionInput): Promise<DecisionResult> {
  const row = await visibleMessage(ctx, id);
  const m = row.message;
  if (m.review === null) throw new TallyError(`message #${id} needs no decision (Tally acted on it: ${m.detail ?? m.action})`, 'conflict');
  if (m.decided_at !== null) throw alreadyDecided(id);
  const now = ctx.now();
  if (m.review !== 'needs_look') {
    if (!['confirmed', 'confirm', 'c'].includes(input.decision)) {
      throw new TallyError(`a ${m.review === 'meeting' ? 'booked meeting' : 'reply'} is confirmed ("tally review ${id} confirm"): Tally acted on it already`, 'usage', { field: 'decision' });
    }
    if (!(await ctx.store.review.decide(id, { decision: CONFIRMED, by: ctx.user.id, at: now }))) throw alreadyDecided(id);
    return { id, prospectId: row.prospect.id, decision: CONFIRMED, action: m.action, detail: 'confirmed' };
  }
  const choice = reviewChoice(input.decision);
  if (!choice) {
    throw new TallyError(`unknown decision "${input.decision}": use one of ${REVIEW_CHOICES.map((c) => `${c.id} (${c.key})`).join(', ')}`, 'usage', { field: 'decision' });
  }
  if (input.returnDate !== undefined && (!choice.takesDate || !/^\d{4}-\d{2}-\d{2}$/.test(input.returnDate) || Number.isNaN(Date.parse(input.returnDate)))) {
    throw new TallyError(choice.takesDate ? `return date "${input.returnDate}" must be a day as YYYY-MM-DD` : `only "out of office" takes a return date`, 'usage', { field: 'returnDate' });
  }
  const [prospect] = await ctx.store.prospects.visible(ctx.workspace.id, [row.prospect.id]);
  if (!prospect) throw new NotFoundError(`the prospect of message #${id} is gone`);
  const decision = decideReviewed(choice.id, {
    now, writtenAt: m.written_at ?? m.received_at, rules: rulesCache(ctx)(prospect.timezone), softBouncesBefore: 0,
    policy: { ...DEFAULT_INBOUND_POLICY, autoReplyDefaultBusinessDays: ctx.settings.inbound.autoReplyDefaultBusinessDays }, returnDate: input.returnDate,
  });
  const label = input.returnDate ? `${choice.id} until ${input.returnDate}` : choice.id;
  return ctx.store.transaction(async (tx) => {
    const txCtx = { ...ctx, store: tx };
    const out = await applyInboundDecision(txCtx, { prospect, enrollmentId: m.enrollment_id, outboxId: m.outbox_id }, decision, { subject: m.subject ?? undefined, text: m.text ?? undefined }, m.message_id, now);
    // Fenced on "not decided yet": two people deciding at once, one wins and the other's work rolls back.
    if (!(await tx.review.decide(id, { decision: label, by: ctx.user.id, at: now, action: out.action, detail: out.reason, enrollmentId: out.enrollmentId ?? m.enrollment_id }))) throw alreadyDecided(id);
    if (out.action === 'replied' || out.action === 'meeting_booked') await stopAtCompany(txCtx, prospect, id, out.action);
    return { id, prospectId: prospect.id, decision: label, action: out.action, detail: out.reason };
  });
}

/** The rep has read a company-wide stop notice. */
export async function dismissNotice(ctx: Context, id: number): Promise<void> {
  if (!(await ctx.store.review.seeNotice(ctx.workspace.id, id, isManager(ctx) ? undefined : ctx.user.id, ctx.now()))) {
    throw new NotFoundError(`no notice #${id} waiting for you`);
  }
}

/** One labelled example: what the classifier read, and what a person said it is. */
export interface ReviewedExample {
  messageId: string;
  receivedAt: string;
  writtenAt: string | null;
  headers: Record<string, string>;
  reading: { class: string; confidence: string; summary: string } | null;
  label: { class: string; decision: string; returnDate: string | null };
  decidedBy: string;
  decidedAt: string;
}

function labelOf(decision: string, reading: Reading | null): ReviewedExample['label'] {
  if (decision === CONFIRMED) return { class: reading?.class ?? 'human_reply', decision, returnDate: null };
  const [id, returnDate] = decision.split(' until ');
  return { class: reviewChoice(id!)?.labelClass ?? 'other', decision: id!, returnDate: returnDate ?? null };
}

/** Every decided message of the rep's prospects (a manager: the workspace's), oldest decision first. */
export async function reviewedExamples(ctx: Context): Promise<ReviewedExample[]> {
  const [rows, users] = await Promise.all([
    ctx.store.review.decided({ workspaceId: ctx.workspace.id, ownerId: ownerScope(ctx, true) }),
    ctx.store.users.list(ctx.workspace.id),
  ]);
  const email = new Map(users.map((u) => [u.id, u.email]));
  const iso = (ms: number) => new Date(ms).toISOString();
  return rows.map(({ message: m }) => {
    const reading = parseReading(m.reading);
    return {
      messageId: m.message_id, receivedAt: iso(m.received_at), writtenAt: m.written_at === null ? null : iso(m.written_at),
      headers: m.headers ? (JSON.parse(m.headers) as Record<string, string>) : {},
      reading: reading && { class: reading.class, confidence: reading.confidence, summary: reading.summary },
      label: labelOf(m.decision!, reading),
      decidedBy: email.get(m.decided_by ?? -1) ?? '?', decidedAt: iso(m.decided_at!),
    };
  });
}

/** JSON Lines (one example a line) or CSV (the headers as one JSON cell). */
export async function formatExamples(examples: ReviewedExample[], format: 'jsonl' | 'csv'): Promise<string> {
  if (format === 'jsonl') return examples.map((e) => JSON.stringify(e)).join('\n') + (examples.length ? '\n' : '');
  const columns = ['message_id', 'received_at', 'written_at', 'from', 'subject', 'read_as', 'confidence', 'reading', 'label', 'decision', 'return_date', 'decided_by', 'decided_at', 'headers'];
  const rows = examples.map((e) => [
    e.messageId, e.receivedAt, e.writtenAt ?? '', e.headers.from ?? '', e.headers.subject ?? '', e.reading?.class ?? '', e.reading?.confidence ?? '', e.reading?.summary ?? '',
    e.label.class, e.label.decision, e.label.returnDate ?? '', e.decidedBy, e.decidedAt, JSON.stringify(e.headers),
  ]);
  return new Promise((resolve, reject) => stringify([columns, ...rows], { cast: { string: neutraliseCell } }, (err, out) => (err ? reject(err) : resolve(out))));
}
