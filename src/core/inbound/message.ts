// One parsed inbound message with the derived views every detector needs, computed once.
import { toBinary } from './charset.ts';
import { decodeWords, extractAddress, extractAddresses, extractMessageIds, getHeader } from './headers.ts';
import { htmlToText } from './html.ts';
import { collectBody, parseMessage } from './mime.ts';
import { cutAtOriginal } from './ndr.ts';
import { newText } from './reply-text.ts';

import type { InboundMessage } from './inbound-message.ts';

export type { InboundMessage };

// Classification reads the top of the text: new text, NDR reports and OOO notes come first.
// The cap keeps the cost bounded on multi-megabyte bodies.
const TEXT_LIMIT = 100_000;

export function readMessage(raw: Buffer | Uint8Array | string): InboundMessage {
  const root = parseMessage(toBinary(raw));
  const h = root.headers;
  const body = collectBody(root);
  const plain = body.plain.trim() !== '';
  const text = plain ? body.plain.slice(0, TEXT_LIMIT).replace(/\r/g, '') : htmlToText(body.html).slice(0, TEXT_LIMIT);
  let fresh: string | undefined;
  let report: string | undefined;
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
    get newText(): string {
      return (fresh ??= newText(plain ? text : htmlToText(body.html, { quotes: true })));
    },
    get report(): string {
      return (report ??= cutAtOriginal(text));
    },
    date: parseDateHeader(getHeader(h, 'date')),
  };
}

const ZONES: Record<string, number> = { UT: 0, UTC: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };

/** RFC 5322 date ("Tue, 15 Dec 2026 08:41:17 +0100") → the instant and its UTC offset. */
export function parseDateHeader(value: string | undefined): { at: Date; offsetMinutes: number } | undefined {
  if (!value) return undefined;
  const v = value.replace(/\([^)]*\)/g, ' ').trim();
  const at = new Date(v);
  if (Number.isNaN(at.getTime())) return undefined;
  const num = /([+-])(\d{2}):?(\d{2})\s*$/.exec(v);
  const named = /\b([A-Z]{1,3}T?|UTC)\s*$/.exec(v);
  const offsetMinutes = num ? (num[1] === '-' ? -1 : 1) * (Number(num[2]) * 60 + Number(num[3])) : (ZONES[named?.[1] ?? ''] ?? 0);
  return { at, offsetMinutes };
}

/** Lowercased value of a header of the top-level message, without parameters/comments. */
export function headerToken(m: InboundMessage, name: string): string | undefined {
  const v = getHeader(m.headers, name);
  if (v === undefined) return undefined;
  return v.split(/[;(]/)[0]!.trim().toLowerCase();
}
