// Inbound mail classifier: from the raw RFC 5322 bytes of one message, decide what it is, so that
// Tally never follows up with someone who answered, is away, or whose address is dead — and never
// kills a good address because the sending side was refused.
//
// Pure and synchronous (no IO, no clock: dates are read against the message's own Date header).
// Order matters (docs/classifier.md): a challenge-response request wins over its delivery-report
// dress; a delivery report wins over auto-reply headers (DSNs often carry Auto-Submitted); calendar
// answers before auto replies; auto replies win over the words in their body; only the new text of
// a reply is read for unsubscribe requests.
import { detectAutoReply, detectChallenge, noReplySender, strongHeaders } from './auto-reply.ts';
import type { AutoReply } from './auto-reply.ts';
import { detectBounce } from './bounce.ts';
import { detectFeedback } from './feedback.ts';
import { getHeader } from './headers.ts';
import { detectMeeting } from './meeting.ts';
import { headerToken, readMessage } from './message.ts';
import type { InboundMessage } from './message.ts';
import { findPart } from './mime.ts';
import { calendarDay, extractReturnDate } from './return-date.ts';
import type { AutoReplyInfo, Classification, Confidence, Evidence, InboundClass } from './types.ts';
import { detectUnsubscribe } from './unsubscribe.ts';

export type { AutoReplyInfo, BounceInfo, Classification, Confidence, Evidence, FeedbackInfo, InboundClass, MeetingInfo, RecipientResult } from './types.ts';
export { INBOUND_CLASSES } from './types.ts';
export { bounceEffect } from './reasons.ts';

export interface ClassifyOptions {
  /** Used only when the message has no readable Date header: the day dates are read against. */
  now?: Date;
  /** How to read ambiguous a/b/yyyy dates: day-first (default) or month-first. */
  dateOrder?: 'dmy' | 'mdy';
}

type Result = (cls: InboundClass, confidence: Confidence, evidence: Evidence[], extra?: Partial<Classification>) => Classification;

export function classify(raw: Buffer | string, opts: ClassifyOptions = {}): Classification {
  let m: InboundMessage;
  try {
    m = readMessage(raw);
  } catch {
    // Defensive only: the reader is written not to throw, but a classifier must always answer.
    return { class: 'other', confidence: 'unsure', evidence: [{ source: 'mime', detail: 'unreadable message' }], references: [] };
  }
  const base: Omit<Classification, 'class' | 'confidence' | 'evidence'> = { references: m.references };
  if (m.messageId) base.messageId = m.messageId;
  if (m.inReplyTo) base.inReplyTo = m.inReplyTo;
  if (m.from) base.from = m.from;
  if (m.subject) base.subject = m.subject;
  if (m.date) base.date = m.date.at.toISOString();
  const result: Result = (cls, confidence, evidence, extra = {}) => ({ ...base, ...extra, class: cls, confidence, evidence });
  return machine(m, result) ?? person(m, opts, result);
}

/** Reports written by mail systems: challenges, bounces, complaints, read receipts. */
function machine(m: InboundMessage, result: Result): Classification | undefined {
  const challenge = detectChallenge(m, strongHeaders(m));
  if (challenge) {
    return result('auto_reply', challenge.some((e) => e.source === 'header') ? 'certain' : 'likely', challenge, { autoReply: { kind: 'challenge', returnDateStated: false } });
  }
  const bounce = detectBounce(m);
  if (bounce?.kind === 'bounce') return result('bounce', bounce.confidence, bounce.evidence, { bounce: bounce.bounce });
  if (bounce?.kind === 'success-dsn') return result('other', 'certain', [...bounce.evidence, { source: 'mime', detail: 'delivery report without failure' }]);
  const feedback = detectFeedback(m);
  if (feedback) return result('feedback', feedback.confidence, feedback.evidence, { feedback: feedback.feedback });
  const isMdn =
    (m.root.type === 'multipart/report' && m.root.params['report-type']?.toLowerCase() === 'disposition-notification') ||
    findPart(m.root, (p) => p.type === 'message/disposition-notification') !== undefined;
  if (isMdn) return result('other', 'certain', [{ source: 'mime', detail: 'read receipt (disposition-notification)' }]);
  return undefined;
}

function autoReplyInfo(m: InboundMessage, auto: AutoReply, opts: ClassifyOptions): { info: AutoReplyInfo; evidence: Evidence[] } {
  if (auto.kind !== 'out_of_office') return { info: { kind: auto.kind, returnDateStated: false }, evidence: auto.evidence };
  const anchor = m.date ? calendarDay(m.date.at, m.date.offsetMinutes) : opts.now ? calendarDay(opts.now) : undefined;
  const rd = anchor ? extractReturnDate(m.newText || m.text, anchor, { order: opts.dateOrder, langs: auto.langs }) : undefined;
  if (!rd) return { info: { kind: auto.kind, returnDateStated: false }, evidence: [...auto.evidence, { source: 'body', detail: 'no return date stated' }] };
  return { info: { kind: auto.kind, returnDate: rd.date, returnDateStated: true }, evidence: [...auto.evidence, { source: 'body', detail: `return date ${rd.date} from "${rd.phrase}"` }] };
}

function listMail(m: InboundMessage): Evidence[] | undefined {
  const list = getHeader(m.headers, 'list-unsubscribe') !== undefined || getHeader(m.headers, 'list-id') !== undefined;
  const esp = m.headers.find((h) => /^(list-unsubscribe-post|x-campaign\w*|x-mailchimp-\w+|x-mc-user|x-sfmc-stack|x-csa-complaints|x-mailgun-tag|x-sg-eid|x-ses-outgoing)$/.test(h.name));
  const precedence = headerToken(m, 'precedence');
  const isReply = m.inReplyTo !== undefined || m.references.length > 0;
  if (!esp && !(list && (precedence === 'bulk' || precedence === 'list' || precedence === 'junk' || !isReply))) return undefined;
  const ev: Evidence[] = [{ source: 'header', detail: esp ? `bulk-mail header ${esp.name}` : getHeader(m.headers, 'list-id') !== undefined ? 'List-Id' : 'List-Unsubscribe' }];
  if (precedence) ev.push({ source: 'header', detail: `Precedence: ${precedence}` });
  return ev;
}

/** Mail that a person (or their auto-responder, or their calendar) sent in answer. */
function person(m: InboundMessage, opts: ClassifyOptions, result: Result): Classification {
  const meeting = detectMeeting(m);
  if (meeting?.booked) return result('meeting', meeting.confidence, meeting.evidence, { meeting: meeting.meeting });
  const auto = detectAutoReply(m);
  const list = listMail(m);
  if (list && !(auto?.kind === 'out_of_office' && auto.subjectCue)) return result('other', 'certain', list);
  if (auto) {
    const { info, evidence } = autoReplyInfo(m, auto, opts);
    return result('auto_reply', auto.confidence, evidence, { autoReply: info });
  }
  const noReply = noReplySender(m);
  if (noReply) return result('auto_reply', 'likely', noReply, { autoReply: { kind: 'notification', returnDateStated: false } });
  const unsub = detectUnsubscribe(m.newText, m.subject);
  if (unsub) return result('unsubscribe', unsub.confidence, unsub.evidence, { text: m.newText });
  if (/\p{L}|\p{N}/u.test(m.newText) || meeting) return humanReply(m, result, meeting?.meeting ? { meeting: meeting.meeting } : {});
  return result('other', 'likely', [{ source: 'body', detail: m.text.trim() ? 'no new text (only quoted history)' : 'empty body' }]);
}

/**
 * certain: threaded (In-Reply-To/References) new text with no automation cue; likely: not
 * threaded, or a calendar answer; unsure: not threaded and an out-of-office-like word in it.
 */
function humanReply(m: InboundMessage, result: Result, extra: Partial<Classification>): Classification {
  const snippet = m.newText.replace(/\s+/g, ' ').slice(0, 60);
  const ev: Evidence[] = [{ source: 'body', detail: snippet ? `new text: "${snippet}"` : 'calendar answer without text' }];
  if (extra.meeting) ev.push({ source: 'mime', detail: `calendar ${extra.meeting.method} ${extra.meeting.partstat ?? ''}`.trim() });
  const threaded = m.inReplyTo !== undefined || m.references.length > 0;
  if (m.inReplyTo) ev.push({ source: 'header', detail: `In-Reply-To: ${m.inReplyTo}` });
  const hinted = /out of (the )?office|automatic reply|auto-?reply|vacation|abwesen|absence|ausente/i.test(`${m.subject}\n${snippet}`);
  const confidence: Confidence = threaded && !hinted && !extra.meeting ? 'certain' : !threaded && hinted ? 'unsure' : 'likely';
  return result('human_reply', confidence, ev, { ...extra, text: m.newText });
}
