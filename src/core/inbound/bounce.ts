// Bounces: RFC 3464 delivery status notifications and the free-text NDRs real MTAs send
// (Exchange/Office 365, Gmail, Postfix, qmail, Exim, Sendmail, Yahoo, Domino, GroupWise, SES, Mimecast).
import { decodeWords, extractAddress, extractMessageIds, getHeader, parseHeaderBlock } from './headers.ts';
import type { InboundMessage } from './message.ts';
import { findPart, partText } from './mime.ts';
import type { MimePart } from './mime.ts';
import type { BounceInfo, Evidence } from './types.ts';

export type BounceResult =
  | { kind: 'bounce'; bounce: BounceInfo; evidence: Evidence[] }
  /** A DSN that reports success only (Action: delivered/relayed/expanded): not a bounce. */
  | { kind: 'success-dsn'; evidence: Evidence[] };

// ---------------------------------------------------------------- hard / soft

// Wording of temporary conditions: the address is fine, try later.
const SOFT_TEXT =
  /mailbox (is )?full|over.?quota|over (the )?(allowed |storage )?quota|quota.?exceeded|exceeded storage|insufficient (system )?storage|out of storage|storage space|not enough space|greylist|graylist|try (again )?later|temporar(il)?y|deferred|delayed|will (be )?retr(y|ied)|not yet been delivered|still being retried|rate.?limit|too many (connections|messages)|message (size|too (big|large))|exceeds? (the )?(maximum )?(message )?size/i;

export interface KindInput {
  action?: string;
  status?: string;
  smtpCode?: number;
  diagnostic?: string;
}

/**
 * Hard or soft. Documented rule (docs/classifier.md):
 * - Action: delayed, any 4.x.x status or 4xx code → soft.
 * - 5.2.2 (mailbox full), 5.2.3 / 5.3.4 (message too big) → soft; other 5.x.x → hard
 *   unless the diagnostic says the mailbox is full / over quota / temporary.
 * - Only a 5xx code: hard unless the text says full/quota/temporary (552 "mailbox full" is soft).
 * - Nothing machine-readable: soft if the text says full/quota/temporary/delayed, else hard.
 */
export function bounceKind(i: KindInput): 'hard' | 'soft' {
  if (i.action === 'delayed') return 'soft';
  const softText = i.diagnostic !== undefined && SOFT_TEXT.test(i.diagnostic);
  if (i.status) {
    if (i.status.startsWith('4')) return 'soft';
    if (i.status === '5.2.2' || i.status === '5.2.3' || i.status === '5.3.4') return 'soft';
    if (i.status.startsWith('5')) return softText ? 'soft' : 'hard';
  }
  if (i.smtpCode !== undefined) {
    if (i.smtpCode >= 400 && i.smtpCode < 500) return 'soft';
    if (i.smtpCode >= 500) return softText ? 'soft' : 'hard';
  }
  return softText ? 'soft' : 'hard';
}

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
  const a = extractAddress(decodeWords(addr));
  return a || undefined;
}

// ---------------------------------------------------------------- free-text NDRs

// Enhanced status code, not part of an IP address or version number.
const STATUS = /(?<![\d.])[245]\.\d{1,3}\.\d{1,3}(?!\.?\d)/;
const CODE_AND_STATUS = /(?<![\w.])([245]\d\d)[ -]#?([245]\.\d{1,3}\.\d{1,3})(?!\.?\d)/;
// A 4xx/5xx reply code followed by text ("550 User unknown", "554: delivery error", "552 1 Requested").
const SMTP_CODE = /(?<![\w.:/-])#?([45][0-5]\d)(?=[ :-](?!\d\d)|\s*$)/m;

const BOUNCE_SUBJECT =
  /^\s*\[?(undeliver(able|ed)|delivery status notification|mail delivery (failed|failure|system)|returned mail|failure notice|delivery failure|non[- ]?deliver|message not delivered|message undeliverable|could not send message|mail system error|delivery notification|message status - undeliverable|warning: (message .{0,80} delayed|could not send)|delayed mail|delivery delayed|unzustellbar|nicht zustellbar|non remis|no se puede entregar|no entregado|onbestelbaar|não entregue|配信不能|配信エラー)/i;

const BOUNCE_BODY: readonly [RegExp, string][] = [
  [/delivery has failed to these recipients/i, 'Exchange NDR'],
  [/(couldn'?t|could not|can'?t|cannot) be delivered to/i, 'could not be delivered'],
  [/(wasn'?t|was not|has not been) delivered to/i, 'was not delivered'],
  [/address not found/i, 'Gmail: address not found'],
  [/this is the qmail-send program/i, 'qmail-send'],
  [/i'm afraid i wasn't able to deliver/i, 'qmail-send'],
  [/this is the mail system at host/i, 'Postfix'],
  [/^the mail system\s*$/im, 'Postfix'],
  [/created automatically by mail delivery software/i, 'Exim'],
  [/transcript of session follows/i, 'Sendmail'],
  [/permanent fatal errors/i, 'Sendmail'],
  [/unable to deliver (your|the) message/i, 'unable to deliver'],
  [/(message|mail) could not be delivered/i, 'could not be delivered'],
  [/undeliverable to the following/i, 'GroupWise'],
  [/(delivery to the following recipients? (failed|has been delayed))/i, 'delivery failed'],
  [/error occurred while trying to deliver/i, 'Amazon SES'],
  [/not listed in (the )?(domino|public name)/i, 'Domino'],
  [/has not yet been delivered/i, 'delayed delivery'],
  [/following address(\(es\)|es)? failed/i, 'Exim'],
  [/fehler bei der zustellung|konnte nicht zugestellt werden|nicht zugestellt werden/i, 'German NDR'],
  [/n'a pas pu être remis|impossible de remettre/i, 'French NDR'],
  [/no se pudo entregar|no pudo ser entregado/i, 'Spanish NDR'],
  [/kon niet worden (bezorgd|afgeleverd)/i, 'Dutch NDR'],
  [/não (pôde|foi possível) ser entregue/i, 'Portuguese NDR'],
];

// Where the NDR text stops and the copy of the original message starts.
const ORIGINAL_COPY =
  /(this is a copy of the message|below this line is a copy|original message (headers|follows)|unsent message follows|original message -{3,}|message headers follow|----- original message -----|------ this is a copy|content-type: message\/rfc822|^received: from )/im;

/** Start of the line where the copy of the original message begins, or -1. */
function originalCopyStart(text: string): number {
  const m = ORIGINAL_COPY.exec(text);
  return m ? text.lastIndexOf('\n', m.index) + 1 : -1;
}

const DAEMON_LOCAL = /^(mailer-daemon|mailer_daemon|mailerdaemon|mail-daemon|maildaemon|postmaster|mdaemon|bounce|bounces)$/i;
const DAEMON_NAME = /mail delivery (system|subsystem)|mail administrator|microsoft outlook/i;
const DELAYED_TEXT = /has not yet been delivered|delivery (is )?delayed|delayed mail|message delayed|still (being )?retr|will (continue|retry)|not been delivered yet|delivery incomplete|warning: message/i;

function localPart(a: string | undefined): string {
  return a === undefined ? '' : a.split('@')[0]!;
}

export function detectBounce(m: InboundMessage): BounceResult | undefined {
  const evidence: Evidence[] = [];
  const report = findPart(m.root, (p) => p.type === 'message/delivery-status' || p.type === 'message/global-delivery-status');
  const isDsnReport = m.root.type === 'multipart/report' && m.root.params['report-type']?.toLowerCase() === 'delivery-status';
  if (report || isDsnReport) {
    evidence.push({ source: 'mime', detail: report ? `${report.type} part` : 'multipart/report; report-type=delivery-status' });
    const rcpts = report ? parseDeliveryStatus(partText(report)) : [];
    if (rcpts.length > 0 && rcpts.every((r) => r.action === 'delivered' || r.action === 'relayed' || r.action === 'expanded')) {
      evidence.push({ source: 'mime', detail: `Action: ${rcpts[0]!.action}` });
      return { kind: 'success-dsn', evidence };
    }
    const r = rcpts.find((x) => x.action === 'failed') ?? rcpts.find((x) => x.action === 'delayed') ?? rcpts[0];
    if (r) {
      const fromText = freeText(m);
      const diagnostic = r.diagnostic ?? fromText.diagnostic;
      const status = r.status ?? (diagnostic ? STATUS.exec(diagnostic)?.[0] : undefined) ?? fromText.status;
      const smtpCode = codeOf(diagnostic) ?? fromText.smtpCode;
      if (r.action) evidence.push({ source: 'mime', detail: `Action: ${r.action}` });
      if (status) evidence.push({ source: 'mime', detail: `Status: ${status}` });
      const bounce: BounceInfo = {
        kind: bounceKind({ action: r.action, status, smtpCode, diagnostic }),
        recipient: r.finalRecipient ?? r.originalRecipient ?? fromText.recipient,
        status,
        smtpCode,
        diagnostic,
        originalMessageId: originalMessageId(m),
      };
      return { kind: 'bounce', bounce: clean(bounce), evidence };
    }
    // A report part we cannot read: fall through to the free-text reading below.
  }

  const subjectHit = BOUNCE_SUBJECT.test(m.subject);
  const daemon = DAEMON_LOCAL.test(localPart(m.from)) || DAEMON_NAME.test(m.fromName);
  const nullPath = m.returnPath === '';
  const failedHeader = getHeader(m.headers, 'x-failed-recipients');
  const reportText = cutAtOriginal(m.text);
  const bodyHit = BOUNCE_BODY.find(([re]) => re.test(reportText));
  const isBounce =
    evidence.length > 0 ||
    failedHeader !== undefined ||
    (bodyHit !== undefined && (daemon || subjectHit || nullPath)) ||
    (daemon && subjectHit);
  if (!isBounce) return undefined;
  if (subjectHit) evidence.push({ source: 'subject', detail: `Subject: ${m.subject.slice(0, 80)}` });
  if (daemon) evidence.push({ source: 'header', detail: `From: ${m.from ?? m.fromName}` });
  if (nullPath) evidence.push({ source: 'header', detail: 'Return-Path: <>' });
  if (failedHeader !== undefined) evidence.push({ source: 'header', detail: `X-Failed-Recipients: ${failedHeader}` });
  if (bodyHit) evidence.push({ source: 'body', detail: `${bodyHit[1]}: "${bodyHit[0].exec(reportText)![0]}"` });

  const t = freeText(m);
  const delayed = DELAYED_TEXT.test(m.subject) || DELAYED_TEXT.test(reportText);
  const bounce: BounceInfo = {
    kind: bounceKind({ action: delayed ? 'delayed' : undefined, status: t.status, smtpCode: t.smtpCode, diagnostic: t.diagnostic ?? reportText.slice(0, 2000) }),
    recipient: extractAddress(failedHeader?.split(',')[0]) || t.recipient,
    status: t.status,
    smtpCode: t.smtpCode,
    diagnostic: t.diagnostic,
    originalMessageId: originalMessageId(m),
  };
  return { kind: 'bounce', bounce: clean(bounce), evidence };
}

function clean(b: BounceInfo): BounceInfo {
  const out: BounceInfo = { kind: b.kind };
  if (b.recipient) out.recipient = b.recipient;
  if (b.status) out.status = b.status;
  if (b.smtpCode !== undefined) out.smtpCode = b.smtpCode;
  if (b.diagnostic) out.diagnostic = b.diagnostic.length > 300 ? `${b.diagnostic.slice(0, 297)}...` : b.diagnostic;
  if (b.originalMessageId) out.originalMessageId = b.originalMessageId;
  return out;
}

export function cutAtOriginal(text: string): string {
  const i = originalCopyStart(text);
  return i >= 0 ? text.slice(0, i) : text;
}

function codeOf(diagnostic: string | undefined): number | undefined {
  if (!diagnostic) return undefined;
  const m = /^\s*#?([245]\d\d)(?!\d)/.exec(diagnostic) ?? SMTP_CODE.exec(diagnostic);
  return m ? Number(m[1]) : undefined;
}

interface FreeText {
  recipient?: string;
  status?: string;
  smtpCode?: number;
  diagnostic?: string;
}

const ADDRESS = /[A-Za-z0-9._%+'=-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Recipient, status, code and diagnostic line read from the human-readable NDR text. */
function freeText(m: InboundMessage): FreeText {
  const text = cutAtOriginal(m.text);
  const out: FreeText = {};
  const lines = text.split('\n');
  // The status/code line, with the next line when it only introduces the server's answer.
  let hitLine = -1;
  const both = CODE_AND_STATUS.exec(text);
  if (both) {
    out.smtpCode = Number(both[1]);
    out.status = both[2];
    hitLine = lineOf(text, both.index);
  } else {
    const s = STATUS.exec(text);
    const c = SMTP_CODE.exec(text);
    if (s && (s[0].startsWith('4') || s[0].startsWith('5'))) {
      out.status = s[0];
      hitLine = lineOf(text, s.index);
    }
    if (c) {
      out.smtpCode = Number(c[1]);
      if (hitLine === -1) hitLine = lineOf(text, c.index);
    }
  }
  if (hitLine === -1) {
    // Gmail and others quote the remote server after "The response was:" / "Reason:".
    const intro = lines.findIndex((l) => /^\s*(the response (from the remote server )?was|the error that the other server returned was)\s*:\s*$/i.test(l));
    if (intro >= 0) hitLine = lines.findIndex((l, i) => i > intro && l.trim() !== '');
  }
  if (hitLine === -1) {
    const k = lines.findIndex((l) => /user unknown|no such (user|mailbox|domain|address)|does not exist|not found|unknown (user|recipient)|invalid (recipient|address|mailbox)|mailbox (unavailable|disabled|full)|over quota|not listed|host not found|doesn't have a|rejected/i.test(l));
    if (k >= 0) hitLine = k;
  }
  if (hitLine >= 0) {
    let d = lines[hitLine]!.trim();
    if (d.length < 60 && /(said|error|reason|because|diagnostic[^:]*)\s*:\s*$/i.test(d) && lines[hitLine + 1]) d += ' ' + lines[hitLine + 1]!.trim();
    out.diagnostic = d.replace(/^[<>]{3}\s*/, '').replace(/\s+/g, ' ');
  }
  const ours = new Set<string>([...m.to, m.from ?? '', m.returnPath ?? '']);
  for (const line of lines) {
    if (/^\s*(message-id|in-reply-to|references|reporting-mta|received|from|to|sender)\s*:/i.test(line)) continue;
    for (const a of line.matchAll(ADDRESS)) {
      const addr = a[0].toLowerCase().replace(/\.$/, '');
      if (ours.has(addr) || DAEMON_LOCAL.test(localPart(addr))) continue;
      out.recipient = addr;
      return out;
    }
  }
  return out;
}

function lineOf(text: string, index: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Message-ID of our original message: embedded message/rfc822 or text/rfc822-headers, else quoted text. */
export function originalMessageId(m: InboundMessage): string | undefined {
  const orig = findOriginal(m.root);
  if (orig) {
    const headers = orig.type === 'text/rfc822-headers' ? parseHeaderBlock(partText(orig).replace(/\r/g, '')) : orig.parts[0]?.headers ?? [];
    const id = extractMessageIds(getHeader(headers, 'message-id'))[0];
    if (id) return id;
  }
  const idx = originalCopyStart(m.text);
  if (idx >= 0) {
    const id = /^\s*message-id:\s*(<[^<>\s]+>)/im.exec(m.text.slice(idx));
    if (id) return id[1];
  }
  return undefined;
}

export function findOriginal(root: MimePart): MimePart | undefined {
  return findPart(root, (p) => p !== root && (p.type === 'message/rfc822' || p.type === 'message/global' || p.type === 'text/rfc822-headers' || p.type === 'message/global-headers'));
}
