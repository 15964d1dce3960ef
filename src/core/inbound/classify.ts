// Inbound mail classifier: from the raw RFC 5322 bytes of one message, decide what it is, so that
// Tally never follows up with someone who answered, is away, or whose address is dead.
//
// Pure and synchronous (no IO); the MIME reading is our own (mime.ts) because mailparser is async.
// Order matters: a delivery report wins over auto-reply headers (DSNs often carry
// Auto-Submitted: auto-replied), auto replies win over the words in their body, and only the new
// text of a reply is read for unsubscribe requests. See docs/classifier.md.
import { detectAutoReply } from './auto-reply.ts';
import { detectBounce } from './bounce.ts';
import { detectFeedback } from './feedback.ts';
import { getHeader } from './headers.ts';
import { headerToken, readMessage } from './message.ts';
import type { InboundMessage } from './message.ts';
import { findPart } from './mime.ts';
import { extractReturnDate } from './return-date.ts';
import type { Classification, Evidence, InboundClass } from './types.ts';
import { detectUnsubscribe } from './unsubscribe.ts';

export type { BounceInfo, Classification, Evidence, FeedbackInfo, InboundClass } from './types.ts';
export { INBOUND_CLASSES } from './types.ts';

export interface ClassifyOptions {
  /** Anchor for dates without a year (default: the current time). */
  now?: Date;
  /** How to read ambiguous a/b/yyyy dates: day-first (default) or month-first. */
  dateOrder?: 'dmy' | 'mdy';
}

export function classify(raw: Buffer | string, opts: ClassifyOptions = {}): Classification {
  let m: InboundMessage;
  try {
    m = readMessage(raw);
  } catch {
    // Defensive only: the reader is written not to throw, but a classifier must always answer.
    return { class: 'other', evidence: [{ source: 'mime', detail: 'unreadable message' }], references: [] };
  }
  const base: Classification = { class: 'other', evidence: [], references: m.references };
  if (m.messageId) base.messageId = m.messageId;
  if (m.inReplyTo) base.inReplyTo = m.inReplyTo;
  if (m.from) base.from = m.from;
  if (m.subject) base.subject = m.subject;
  const result = (cls: InboundClass, evidence: Evidence[], extra: Partial<Classification> = {}): Classification => ({
    ...base,
    ...extra,
    class: cls,
    evidence,
  });

  const bounce = detectBounce(m);
  if (bounce?.kind === 'bounce') return result('bounce', bounce.evidence, { bounce: bounce.bounce });
  if (bounce?.kind === 'success-dsn') return result('other', [...bounce.evidence, { source: 'mime', detail: 'delivery report without failure' }]);

  const feedback = detectFeedback(m);
  if (feedback) return result('feedback', feedback.evidence, { feedback: feedback.feedback });

  const isMdn =
    (m.root.type === 'multipart/report' && m.root.params['report-type']?.toLowerCase() === 'disposition-notification') ||
    findPart(m.root, (p) => p.type === 'message/disposition-notification') !== undefined;
  if (isMdn) return result('other', [{ source: 'mime', detail: 'read receipt (disposition-notification)' }]);

  const auto = detectAutoReply(m);
  if (auto) {
    const rd = extractReturnDate(m.newText || m.text, opts.now ?? new Date(), opts.dateOrder);
    if (rd) auto.push({ source: 'body', detail: `return date ${rd.date} from "${rd.phrase}"` });
    return result('auto_reply', auto, { autoReply: rd ? { returnDate: rd.date } : {} });
  }

  const list = getHeader(m.headers, 'list-unsubscribe') !== undefined || getHeader(m.headers, 'list-id') !== undefined;
  const precedence = headerToken(m, 'precedence');
  const isReply = m.inReplyTo !== undefined || m.references.length > 0;
  if (list && (precedence === 'bulk' || precedence === 'list' || precedence === 'junk' || !isReply)) {
    const ev: Evidence[] = [{ source: 'header', detail: getHeader(m.headers, 'list-id') !== undefined ? 'List-Id' : 'List-Unsubscribe' }];
    if (precedence) ev.push({ source: 'header', detail: `Precedence: ${precedence}` });
    return result('other', ev);
  }

  const unsub = detectUnsubscribe(m.newText, m.subject);
  if (unsub) return result('unsubscribe', unsub, { text: m.newText });

  if (/\p{L}|\p{N}/u.test(m.newText)) {
    const snippet = m.newText.replace(/\s+/g, ' ').slice(0, 60);
    const ev: Evidence[] = [{ source: 'body', detail: `new text: "${snippet}"` }];
    if (m.inReplyTo) ev.push({ source: 'header', detail: `In-Reply-To: ${m.inReplyTo}` });
    return result('human_reply', ev, { text: m.newText });
  }

  const calendar = findPart(m.root, (p) => p.type === 'text/calendar' || p.type === 'application/ics');
  if (calendar) return result('other', [{ source: 'mime', detail: `${calendar.type} without new text` }]);
  return result('other', [{ source: 'body', detail: m.text.trim() ? 'no new text (only quoted history)' : 'empty body' }]);
}
