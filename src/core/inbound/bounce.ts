// Bounces: RFC 3464 delivery status notifications and the free-text NDRs real MTAs send, read per
// recipient into a reason from the fixed taxonomy (reason-rules.ts) and whether the address is bad.
import { extractAddress, extractMessageIds, getHeader, parseHeaderBlock } from './headers.ts';
import type { Header } from './headers.ts';
import type { InboundMessage } from './message.ts';
import { findPart, partText } from './mime.ts';
import type { MimePart } from './mime.ts';
import { isDelayWarning, isNdr, ndrSignals } from './ndr.ts';
import { decideReason } from './reason-rules.ts';
import type { ReasonResult } from './reason-rules.ts';
import { bounceEffect, isAddressLevel } from './reasons.ts';
import { addressesIn, ownAddresses, segmentRecipients } from './recipients.ts';
import type { Segment } from './recipients.ts';
import { diagnosticLine, isGenericStatus, smtpFacts, STATUS } from './smtp-reply.ts';
import type { BounceInfo, Confidence, Evidence, RecipientResult } from './types.ts';


export type BounceResult =
  | { kind: 'bounce'; bounce: BounceInfo; evidence: Evidence[]; confidence: Confidence }
  /** A DSN that reports success only (Action: delivered/relayed/expanded): not a bounce. */
  | { kind: 'success-dsn'; evidence: Evidence[] };

// ---------------------------------------------------------------- RFC 3464

export interface DsnRecipient {
  finalRecipient?: string;
  originalRecipient?: string;
  action?: string;
  status?: string;
  diagnostic?: string;
}

/** Per-recipient blocks of a message/delivery-status body. */
export function parseDeliveryStatus(text: string): DsnRecipient[] {
  const out: DsnRecipient[] = [];
  for (const block of text.replace(/\r/g, '').split(/\n[ \t]*\n/)) {
    const fields = parseHeaderBlock(block.replace(/^\n+/, ''));
    const get = (n: string): string | undefined => getHeader(fields, n);
    if (get('final-recipient') === undefined && get('action') === undefined) continue;
    out.push({
      finalRecipient: dsnAddress(get('final-recipient')),
      originalRecipient: dsnAddress(get('original-recipient')),
      action: get('action')?.split(/[\s(;]/)[0]?.toLowerCase(),
      status: STATUS.exec(get('status') ?? '')?.[0],
      diagnostic: get('diagnostic-code')?.replace(/^[\w-]+\s*;\s*/, '').replace(/\s+/g, ' ').trim(),
    });
  }
  return out;
}

/** "rfc822; <jdoe@example.com>" → "jdoe@example.com". */
function dsnAddress(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const addr = v.includes(';') ? v.slice(v.indexOf(';') + 1) : v;
  const a = extractAddress(addr.replace(/"/g, ''));
  return a || undefined;
}

// ---------------------------------------------------------------- per recipient

interface Read {
  result: RecipientResult;
  basis: ReasonResult['basis'];
  phrase?: string;
}

/** One recipient: the server's words (DSN diagnostic first, then the report text about it) → reason. */
function readRecipient(recipient: string, action: 'failed' | 'delayed', texts: (string | undefined)[], dsn?: { status?: string; diagnostic?: string }): Read {
  const dsnStatus = dsn?.status;
  const own = texts.slice(0, 2).filter(Boolean).join('\n');
  const facts = smtpFacts(own || texts.filter(Boolean).join('\n'));
  const status = dsnStatus && !(isGenericStatus(dsnStatus) && facts.status) ? dsnStatus : facts.status;
  const diagnostic = dsn?.diagnostic ?? diagnosticLine(own);
  // The server's one line first (short, usually decisive), then the whole text about the recipient.
  const r = decideReason({ texts: [diagnostic, ...texts], status, smtpCode: facts.smtpCode, stage: facts.stage, addressStatus: facts.addressStatus });
  const result: RecipientResult = { recipient, action, reason: r.reason, addressBad: action === 'failed' && isAddressLevel(r.reason) };
  if (status) result.status = status;
  if (facts.smtpCode !== undefined) result.smtpCode = facts.smtpCode;
  if (facts.stage) result.stage = facts.stage;
  if (diagnostic) result.diagnostic = diagnostic.replace(/\s+/g, ' ').trim();
  return { result, basis: r.basis, phrase: r.phrase };
}

function segmentFor(segments: readonly Segment[], ...addrs: (string | undefined)[]): Segment | undefined {
  return segments.find((s) => addrs.includes(s.recipient));
}

function fromDsn(blocks: readonly DsnRecipient[], report: string, ours: ReadonlySet<string>): Read[] {
  const { segments, preamble } = segmentRecipients(report, ours);
  const reads: Read[] = [];
  for (const b of blocks) {
    if (b.action === 'delivered' || b.action === 'relayed' || b.action === 'expanded') continue;
    const recipient = b.finalRecipient ?? b.originalRecipient;
    const seg = segmentFor(segments, b.finalRecipient, b.originalRecipient) ?? (blocks.length === 1 ? segments[0] : undefined);
    const fallback = blocks.length === 1 ? (seg ? preamble : report) : undefined;
    const action = b.action === 'delayed' ? 'delayed' : 'failed';
    reads.push(readRecipient(recipient ?? seg?.recipient ?? '', action, [b.diagnostic, seg?.text, fallback], b));
  }
  return reads.filter((r) => r.result.recipient !== '' || reads.length === 1);
}

function fromText(m: InboundMessage, report: string, failedHeader: string | undefined, ours: ReadonlySet<string>): Read[] {
  let { segments, preamble } = segmentRecipients(report, ours);
  // A report pasted inline (a forwarded bounce) names its recipients below the cut.
  if (segments.length === 0) ({ segments, preamble } = segmentRecipients(m.text, ours));
  const action = isDelayWarning(m.subject, report) ? 'delayed' : 'failed';
  // A single recipient may have its reason in the text above it ("Reason: … The following address failed:").
  const reads = segments.map((s) => readRecipient(s.recipient, action, [s.text, segments.length === 1 ? preamble : undefined]));
  for (const a of addressesIn(failedHeader)) {
    if (!reads.some((r) => r.result.recipient === a)) reads.push(readRecipient(a, action, [report]));
  }
  // Nothing names the recipient: the returned original's single recipient is the one.
  const to = addressesIn(getHeader(originalHeaderFields(m), 'to'));
  if (reads.length === 0) reads.push(readRecipient(to.length === 1 ? to[0]! : '', action, [report, m.subject]));
  return reads;
}

// ---------------------------------------------------------------- the bounce

/** The sender addresses of the returned original: never a failed recipient. */
function originalSenders(root: MimePart): string[] {
  const headers = originalHeaders(root);
  return ['from', 'sender', 'return-path', 'reply-to'].map((h) => extractAddress(getHeader(headers, h)) ?? '');
}

export function detectBounce(m: InboundMessage): BounceResult | undefined {
  const reportPart = findPart(m.root, (p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status');
  const isDsnReport = m.root.type === 'multipart/report' && m.root.params['report-type']?.toLowerCase() === 'delivery-status';
  const report = m.report;
  const ours = ownAddresses([...m.to, m.from, m.returnPath, ...originalSenders(m.root)]);
  const signals = ndrSignals(m, report, reportPart !== undefined || isDsnReport);
  const evidence: Evidence[] = [];
  let reads: Read[] = [];
  if (reportPart || isDsnReport) {
    evidence.push({ source: 'mime', detail: reportPart ? `${reportPart.type} part` : 'multipart/report; report-type=delivery-status' });
    const blocks = reportPart ? parseDeliveryStatus(partText(reportPart)) : [];
    if (blocks.length > 0 && blocks.every((b) => b.action === 'delivered' || b.action === 'relayed' || b.action === 'expanded')) {
      return { kind: 'success-dsn', evidence: [...evidence, { source: 'mime', detail: `Action: ${blocks[0]!.action}` }] };
    }
    reads = fromDsn(blocks, report, ours);
  } else if (!isNdr(signals)) return undefined;
  if (reads.length === 0) reads = fromText(m, report, signals.failedRecipients, ours);
  evidence.push(...signals.evidence);
  const bounce = assemble(reads.map((r) => r.result), originalMessageId(m));
  const primary = reads.find((r) => r.result.recipient === bounce.recipient) ?? reads[0]!;
  evidence.push({ source: 'body', detail: `${bounce.delayed ? 'delayed' : 'failed'}: ${bounce.reason}${primary.phrase ? ` ("${primary.phrase}")` : primary.basis === 'status' ? ` (status ${bounce.status})` : ''}` });
  return { kind: 'bounce', bounce, evidence, confidence: bounceConfidence(reads, evidence[0]?.source === 'mime', signals) };
}

/** The primary recipient: the first whose address is bad, else the first failed, else the first. */
function assemble(recipients: RecipientResult[], originalId: string | undefined): BounceInfo {
  const known = recipients.filter((r) => r.recipient !== '');
  const failed = known.filter((r) => r.action === 'failed');
  const primary = failed.find((r) => r.addressBad) ?? failed[0] ?? known[0] ?? recipients[0]!;
  const delayed = failed.length === 0 && recipients.every((r) => r.action === 'delayed');
  const b: BounceInfo = {
    reason: primary.reason,
    effect: bounceEffect(primary.reason),
    addressBad: failed.some((r) => r.addressBad),
    delayed,
    recipients: known,
  };
  if (primary.recipient) b.recipient = primary.recipient;
  if (primary.status) b.status = primary.status;
  if (primary.smtpCode !== undefined) b.smtpCode = primary.smtpCode;
  if (primary.diagnostic) b.diagnostic = primary.diagnostic;
  if (originalId) b.originalMessageId = originalId;
  return b;
}

/**
 * certain: a DSN part, or a daemon/null-path report with NDR wording, naming the recipient, with a
 * reason read from the server's words or a specific status code. likely: a bounce whose reason or
 * recipient is not known. unsure: only a report subject and a daemon sender, or only X-Failed-Recipients.
 */
function bounceConfidence(reads: readonly Read[], dsn: boolean, s: ReturnType<typeof ndrSignals>): Confidence {
  const strong = dsn || (s.body !== undefined && (s.daemon || s.nullPath || s.subject));
  const known = reads.every((r) => r.result.recipient !== '' && (r.basis === 'text' || r.basis === 'status'));
  if (strong && known) return 'certain';
  if (strong || (s.daemon && s.subject && reads.some((r) => r.basis !== 'none'))) return 'likely';
  return 'unsure';
}

// ---------------------------------------------------------------- the original message

/** Header fields of the returned original (attached message or text/rfc822-headers). */
export function originalHeaders(root: MimePart): Header[] {
  const orig = findOriginal(root);
  if (!orig) return [];
  return orig.type === 'text/rfc822-headers' || orig.type === 'message/global-headers'
    ? parseHeaderBlock(partText(orig).replace(/\r/g, '').trim())
    : (orig.parts[0]?.headers ?? []);
}

/** The original's header fields: attached, else pasted below the report ("----- Unsent message follows -----"). */
function originalHeaderFields(m: InboundMessage): Header[] {
  const attached = originalHeaders(m.root);
  if (attached.length > 0) return attached;
  const rest = m.text.slice(m.report.length);
  const at = rest.search(/^[\w-]+:/m);
  return at < 0 ? [] : parseHeaderBlock(rest.slice(at).split(/\n\s*\n/)[0]!.replace(/^\s+(?=[\w-]+:)/gm, ''));
}

/** Message-ID of our original message: embedded message/rfc822 or text/rfc822-headers, else quoted text. */
export function originalMessageId(m: InboundMessage): string | undefined {
  return extractMessageIds(getHeader(originalHeaderFields(m), 'message-id'))[0];
}

export function findOriginal(root: MimePart): MimePart | undefined {
  return findPart(root, (p) => p !== root && (p.type === 'message/rfc822' || p.type === 'message/global' || p.type === 'text/rfc822-headers' || p.type === 'message/global-headers'));
}

