// Feedback loop reports, ARF (RFC 5965): a recipient pressed "this is spam". The caller treats it as an opt-out.
import { extractAddress, extractAddresses, extractMessageIds, getHeader, parseHeaderBlock } from './headers.ts';
import type { InboundMessage } from './message.ts';
import { findPart, partText } from './mime.ts';
import { findOriginal } from './bounce.ts';
import type { Evidence, FeedbackInfo } from './types.ts';

export function detectFeedback(m: InboundMessage): { feedback: FeedbackInfo; evidence: Evidence[] } | undefined {
  const isArf = m.root.type === 'multipart/report' && m.root.params['report-type']?.toLowerCase() === 'feedback-report';
  const report = findPart(m.root, (p) => p.type === 'message/feedback-report');
  if (!isArf && !report) return undefined;
  const evidence: Evidence[] = [
    { source: 'mime', detail: isArf ? 'multipart/report; report-type=feedback-report' : 'message/feedback-report part' },
  ];
  const fields = report ? parseHeaderBlock(partText(report).replace(/\r/g, '').trim()) : [];
  const feedback: FeedbackInfo = {};
  const type = getHeader(fields, 'feedback-type')?.trim().toLowerCase();
  if (type) {
    feedback.feedbackType = type;
    evidence.push({ source: 'mime', detail: `Feedback-Type: ${type}` });
  }
  const orig = findOriginal(m.root);
  const origHeaders = orig
    ? orig.type === 'text/rfc822-headers' || orig.type === 'message/global-headers'
      ? parseHeaderBlock(partText(orig).replace(/\r/g, '').trim())
      : (orig.parts[0]?.headers ?? [])
    : [];
  const rcpt = extractAddress(getHeader(fields, 'original-rcpt-to')) || extractAddresses(getHeader(origHeaders, 'to'))[0];
  if (rcpt) feedback.originalRecipient = rcpt;
  const id = extractMessageIds(getHeader(origHeaders, 'message-id'))[0];
  if (id) feedback.originalMessageId = id;
  return { feedback, evidence };
}
