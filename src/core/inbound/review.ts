// "Needs a look": an inbound message the classifier is unsure about is not acted on; the rep
// decides what it is, and the decision has the same effects as if the classifier had read it so.
// Replies and booked meetings wait for the rep to confirm them. Every decision is kept with the
// message, so what people decided can be exported as labelled data (docs/classifier.md).
import { decideInbound, type InboundDecision, type InboundFacts } from './apply.ts';
import type { Header } from './headers.ts';
import { readMessage } from './message.ts';
import type { AutoReplyKind, BounceReason, Classification, Confidence, Evidence, InboundClass } from './types.ts';
import { CONFIRMED, REVIEW_CHOICES, REVIEW_DECISIONS, REVIEW_KINDS, reviewChoice, type ReviewChoice, type ReviewDecision, type ReviewKind } from './review-choices.ts';

export { CONFIRMED, REVIEW_CHOICES, REVIEW_DECISIONS, REVIEW_KINDS, reviewChoice, type ReviewChoice, type ReviewDecision, type ReviewKind };

/** The classifier's reading as it is kept with a message and shown to the rep. */
export interface Reading {
  class: InboundClass;
  confidence: Confidence;
  /** One line: "out of office, back 2026-03-10". */
  summary: string;
  /** The decision that matches the reading (the rep's default). */
  suggested: ReviewDecision;
  evidence: Evidence[];
  bounce?: { reason: BounceReason; addressBad: boolean; code?: string };
  autoReply?: { kind: AutoReplyKind; returnDate?: string };
}

function suggestedOf(c: Classification): ReviewDecision {
  switch (c.class) {
    case 'human_reply':
      return 'reply';
    case 'meeting':
      return 'meeting';
    case 'auto_reply':
      return c.autoReply?.kind === 'out_of_office' || c.autoReply === undefined ? 'out_of_office' : 'auto_reply';
    case 'bounce':
      return c.bounce?.addressBad ? 'bounce' : 'not_related';
    case 'feedback':
    case 'unsubscribe':
      return 'unsubscribe';
    case 'other':
      return 'not_related';
  }
}

function summaryOf(c: Classification): string {
  switch (c.class) {
    case 'human_reply':
      return 'a reply from a person';
    case 'meeting':
      return 'a meeting booked';
    case 'auto_reply': {
      const a = c.autoReply;
      if (!a || a.kind === 'out_of_office') return `out of office${a?.returnDate ? `, back ${a.returnDate}` : ', no return date'}`;
      return `automatic reply (${a.kind.replace('_', ' ')})`;
    }
    case 'bounce':
      return `bounce: ${c.bounce?.reason.replace(/_/g, ' ') ?? 'no details'}${c.bounce?.addressBad ? ', address bad' : ''}`;
    case 'feedback':
      return 'spam complaint';
    case 'unsubscribe':
      return 'asks to unsubscribe';
    case 'other':
      return 'nothing to act on';
  }
}

export function readingOf(c: Classification): Reading {
  const r: Reading = { class: c.class, confidence: c.confidence, summary: summaryOf(c), suggested: suggestedOf(c), evidence: c.evidence.slice(0, 8) };
  if (c.bounce) r.bounce = { reason: c.bounce.reason, addressBad: c.bounce.addressBad, ...(c.bounce.status ? { code: c.bounce.status } : {}) };
  if (c.autoReply) r.autoReply = { kind: c.autoReply.kind, ...(c.autoReply.returnDate ? { returnDate: c.autoReply.returnDate } : {}) };
  return r;
}

/** Doubt goes to a person: Tally does not act on an unsure reading. */
export function needsLook(c: Pick<Classification, 'confidence'>): boolean {
  return c.confidence === 'unsure';
}

/** What the rep confirms once Tally acted by itself; null when nothing waits for them. */
export function confirmKind(action: string): ReviewKind | null {
  if (action === 'replied') return 'reply';
  if (action === 'meeting_booked') return 'meeting';
  return null;
}

/** The classification a decision stands for: deciding it does what classifying it so would do. */
function classificationFor(choice: ReviewDecision, returnDate: string | undefined): Classification {
  const base = { confidence: 'certain' as const, evidence: [], references: [] };
  switch (choice) {
    case 'reply':
      return { ...base, class: 'human_reply' };
    case 'meeting':
      return { ...base, class: 'meeting' };
    case 'out_of_office':
      return { ...base, class: 'auto_reply', autoReply: { kind: 'out_of_office', returnDateStated: returnDate !== undefined, ...(returnDate ? { returnDate } : {}) } };
    case 'auto_reply':
      return { ...base, class: 'auto_reply', autoReply: { kind: 'notification', returnDateStated: false } };
    case 'bounce':
      return { ...base, class: 'bounce', bounce: { reason: 'user_unknown', effect: 'address_bad', addressBad: true, delayed: false, recipients: [] } };
    case 'unsubscribe':
      return { ...base, class: 'unsubscribe' };
    case 'not_related':
      return { ...base, class: 'other', evidence: [{ source: 'body', detail: 'not related to the cadence' }] };
  }
}

/** The effect of the rep's decision: the same as the classifier reading the message so. */
export function decideReviewed(choice: ReviewDecision, facts: Omit<InboundFacts, 'classification'> & { returnDate?: string }): InboundDecision {
  if (facts.returnDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(facts.returnDate)) throw new RangeError(`return date "${facts.returnDate}" is not YYYY-MM-DD`);
  const d = decideInbound({ ...facts, classification: classificationFor(choice, facts.returnDate) });
  return { ...d, reason: `${d.reason} (the rep's decision)` };
}

/** The headers a labelled example keeps: what the classifier reads, nothing of the body. */
const HEADERS_THAT_MATTER = [
  'from', 'to', 'subject', 'date', 'message-id', 'in-reply-to', 'references', 'return-path', 'content-type', 'auto-submitted', 'precedence',
  'x-autoreply', 'x-autorespond', 'x-auto-response-suppress', 'x-ms-exchange-inbox-rules-loop', 'x-ms-exchange-generated-message-source',
  'x-failed-recipients', 'list-id', 'list-unsubscribe', 'feedback-type',
];

export function headersThatMatter(headers: readonly Header[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of headers) {
    if (!HEADERS_THAT_MATTER.includes(h.name) || out[h.name] !== undefined) continue;
    out[h.name] = h.value.replace(/\s+/g, ' ').trim().slice(0, 500);
  }
  return out;
}

/** What the rep reads of a waiting message, and what a labelled example keeps: its new text and the headers that matter. */
export function reviewMaterial(raw: Buffer | string): { headers: Record<string, string>; text: string } {
  const m = readMessage(raw);
  return { headers: headersThatMatter(m.headers), text: m.newText.trim().slice(0, 4000) };
}
