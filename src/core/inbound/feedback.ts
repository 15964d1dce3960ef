// Complaints: a recipient pressed "this is spam". ARF (RFC 5965) reports, and the non-standard
// formats large providers and abuse desks send: Microsoft's JMRP (the original attached, with
// X-HmXmrOriginalRecipient), Yahoo's complaint feedback loop, and abuse forwards with the original
// attached or pasted. The caller treats every one as an opt-out.
import { extractAddress, extractAddresses, extractMessageIds, getHeader, parseHeaderBlock } from './headers.ts';
import type { Header } from './headers.ts';
import type { InboundMessage } from './message.ts';
import { findPart, partText } from './mime.ts';
import { findOriginal, originalHeaders } from './bounce.ts';
import { localPart } from './ndr.ts';
import type { Confidence, Evidence, FeedbackInfo } from './types.ts';

export interface FeedbackResult {
  feedback: FeedbackInfo;
  evidence: Evidence[];
  confidence: Confidence;
}

export const ABUSE_SENDER = /^(abuse|spam|fbl|cfl|complaints?|feedback(loop)?|scomp|staff|report|reports|jmrp)$/i;
export const COMPLAINT_SUBJECT = /(abuse|spam|complaint|fbl) (report|notification|notice)|complaint about (a )?message|spam complaint|\bfbl\b|feedback loop|unsolicited (e-?mail|mail|commercial)|\[spamcop|reported as spam|marked as spam/i;
const COMPLAINT_BODY = /this is an (e-?mail )?abuse report|(has been |was )?(reported|marked) as (spam|junk|abuse)|complained about|spam complaint|unsolicited (bulk |commercial )?(e-?mail|mail)|feedback loop|this message was reported/i;

/** Headers of the original when it is pasted into the body ("--- original message ---\nReceived: …"). */
function pastedOriginal(text: string): Header[] {
  const m = /^(received|return-path|message-id|from):.*$/im.exec(text);
  if (!m) return [];
  return parseHeaderBlock(text.slice(m.index).split(/\n\s*\n/)[0] ?? '');
}

function info(format: FeedbackInfo['format'], type: string | undefined, fields: readonly Header[], orig: readonly Header[]): FeedbackInfo {
  const out: FeedbackInfo = { format };
  if (type) out.feedbackType = type;
  const rcpt =
    extractAddress(getHeader(fields, 'original-rcpt-to')) ||
    extractAddress(getHeader(orig, 'x-hmxmroriginalrecipient')) ||
    extractAddresses(getHeader(orig, 'to'))[0];
  if (rcpt) out.originalRecipient = rcpt;
  const id = extractMessageIds(getHeader(orig, 'message-id'))[0];
  if (id) out.originalMessageId = id;
  return out;
}

function arf(m: InboundMessage): FeedbackResult | undefined {
  const isArf = m.root.type === 'multipart/report' && m.root.params['report-type']?.toLowerCase() === 'feedback-report';
  const report = findPart(m.root, (p) => p.type === 'message/feedback-report');
  if (!isArf && !report) return undefined;
  const evidence: Evidence[] = [{ source: 'mime', detail: isArf ? 'multipart/report; report-type=feedback-report' : 'message/feedback-report part' }];
  const fields = report ? parseHeaderBlock(partText(report).replace(/\r/g, '').trim()) : [];
  const type = getHeader(fields, 'feedback-type')?.trim().toLowerCase();
  if (type) evidence.push({ source: 'mime', detail: `Feedback-Type: ${type}` });
  return { feedback: info('arf', type, fields, originalHeaders(m.root)), evidence, confidence: 'certain' };
}

/** JMRP, Yahoo's feedback loop, abuse desks: an original (attached or pasted) plus complaint signs. */
function nonStandard(m: InboundMessage): FeedbackResult | undefined {
  const attached = findOriginal(m.root) !== undefined;
  const orig = attached ? originalHeaders(m.root) : pastedOriginal(m.text);
  if (orig.length === 0) return undefined;
  const domain = (m.from ?? '').split('@')[1] ?? '';
  const abuseSender = ABUSE_SENDER.test(localPart(m.from));
  const subject = COMPLAINT_SUBJECT.exec(m.subject);
  const body = COMPLAINT_BODY.exec(m.text.slice(0, 5000));
  const jmrp = getHeader(orig, 'x-hmxmroriginalrecipient') !== undefined;
  const yahoo = /(^|\.)yahoo(-inc)?\.(com|net)$/i.test(domain) && abuseSender;
  if (!jmrp && !yahoo && !((abuseSender || subject) && (subject || body))) return undefined;
  const format: FeedbackInfo['format'] = jmrp ? 'jmrp' : yahoo ? 'yahoo-cfl' : 'abuse-forward';
  const evidence: Evidence[] = [{ source: 'mime', detail: attached ? 'original message attached' : 'original message pasted' }];
  if (jmrp) evidence.push({ source: 'header', detail: 'X-HmXmrOriginalRecipient (Microsoft JMRP)' });
  if (abuseSender) evidence.push({ source: 'header', detail: `From: ${m.from}` });
  if (subject) evidence.push({ source: 'subject', detail: `Subject: ${m.subject.slice(0, 80)}` });
  if (body) evidence.push({ source: 'body', detail: `complaint: "${body[0]}"` });
  const confidence: Confidence = jmrp || yahoo || (abuseSender && subject && body) ? 'certain' : 'likely';
  return { feedback: info(format, 'abuse', [], orig), evidence, confidence };
}

export function detectFeedback(m: InboundMessage): FeedbackResult | undefined {
  return arf(m) ?? nonStandard(m);
}
