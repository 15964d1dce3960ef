// One parsed inbound message with the derived views every detector needs, computed once.
import { toBinary } from './charset.ts';
import { decodeWords, extractAddress, extractAddresses, extractMessageIds, getHeader } from './headers.ts';
import type { Header } from './headers.ts';
import { cutHtmlQuote, htmlToText } from './html.ts';
import { collectBody, parseMessage } from './mime.ts';
import type { MimePart } from './mime.ts';
import { newText } from './reply-text.ts';

export interface InboundMessage {
  root: MimePart;
  headers: Header[];
  subject: string;
  /** Bare lowercased sender address (or a bare local word such as "mailer-daemon"). */
  from?: string;
  /** Display name part of From, decoded. */
  fromName: string;
  /** Return-Path address; '' for the null path "<>". */
  returnPath?: string;
  to: string[];
  messageId?: string;
  inReplyTo?: string;
  references: string[];
  /** Readable body text of the message itself (plain part, or HTML converted). */
  text: string;
  /** `text` without quoted history and signature. */
  newText: string;
}

// Classification reads the top of the text: new text, NDR reports and OOO notes come first.
// The cap keeps the cost bounded on multi-megabyte bodies.
const TEXT_LIMIT = 100_000;

export function readMessage(raw: Buffer | Uint8Array | string): InboundMessage {
  const root = parseMessage(toBinary(raw));
  const h = root.headers;
  const body = collectBody(root);
  let text: string;
  let fresh: string;
  if (body.plain.trim() !== '') {
    text = body.plain.slice(0, TEXT_LIMIT).replace(/\r/g, '');
    fresh = newText(text);
  } else {
    text = htmlToText(body.html).slice(0, TEXT_LIMIT);
    fresh = newText(htmlToText(cutHtmlQuote(body.html)));
  }
  const fromRaw = getHeader(h, 'from');
  const fromDecoded = fromRaw === undefined ? '' : decodeWords(fromRaw);
  return {
    root,
    headers: h,
    subject: decodeWords(getHeader(h, 'subject') ?? '').replace(/\s+/g, ' ').trim(),
    from: extractAddress(fromDecoded),
    fromName: fromDecoded.replace(/<[^>]*>/g, '').replace(/["()]/g, '').trim(),
    returnPath: extractAddress(getHeader(h, 'return-path')),
    to: [...extractAddresses(getHeader(h, 'to')), ...extractAddresses(getHeader(h, 'cc'))],
    messageId: extractMessageIds(getHeader(h, 'message-id'))[0],
    inReplyTo: extractMessageIds(getHeader(h, 'in-reply-to'))[0],
    references: extractMessageIds(getHeader(h, 'references')),
    text,
    newText: fresh,
  };
}

/** Lowercased value of a header of the top-level message, without parameters/comments. */
export function headerToken(m: InboundMessage, name: string): string | undefined {
  const v = getHeader(m.headers, name);
  if (v === undefined) return undefined;
  return v.split(/[;(]/)[0]!.trim().toLowerCase();
}
