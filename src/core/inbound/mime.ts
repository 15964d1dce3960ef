// A small synchronous MIME reader. mailparser is stream-based and async; the classifier must be a
// pure synchronous function that handles thousands of messages per second, so we read only what
// it needs: the part tree, transfer decodings (base64, quoted-printable) and charsets.
import { decodeBinary } from './charset.ts';
import { decodeWords, getHeader, parseHeaderBlock, parseParams, splitHeadBody } from './headers.ts';
import type { Header } from './headers.ts';

export interface MimePart {
  headers: Header[];
  /** Lowercased "type/subtype". */
  type: string;
  params: Record<string, string>;
  /** Lowercased Content-Transfer-Encoding. */
  encoding: string;
  attachment: boolean;
  /** Body bytes as a binary string, still transfer-encoded. */
  raw: string;
  /** Multipart children, or the single embedded message of message/rfc822. */
  parts: MimePart[];
}

// Limits keep hostile input (deep nesting, thousands of parts) bounded.
const MAX_DEPTH = 12;
const MAX_PARTS = 300;

/** Parse a whole message. `bin` is a binary string; CRLF is normalized here. */
export function parseMessage(bin: string): MimePart {
  const text = bin.includes('\r') ? bin.replace(/\r\n?/g, '\n') : bin;
  return parsePart(text, 0, 'text/plain', { n: 0 });
}

function parsePart(bin: string, depth: number, defaultType: string, budget: { n: number }): MimePart {
  budget.n++;
  const { head, body } = splitHeadBody(bin);
  const headers = parseHeaderBlock(head);
  const ct = getHeader(headers, 'content-type');
  const parsed = ct ? parseParams(ct) : { value: defaultType, params: {} };
  // "text/plain\n   charset=…" (a missing ";") still says text/plain.
  const value = parsed.value.split(/\s/)[0]!;
  let type = value.includes('/') ? value : defaultType;
  if (type === 'text') type = 'text/plain';
  const disp = getHeader(headers, 'content-disposition');
  const part: MimePart = {
    headers,
    type,
    params: parsed.params,
    encoding: (getHeader(headers, 'content-transfer-encoding') ?? '7bit').trim().toLowerCase(),
    attachment: disp !== undefined && /^\s*attachment/i.test(disp),
    raw: body,
    parts: [],
  };
  if (depth >= MAX_DEPTH) return part;
  if (type.startsWith('multipart/')) {
    const boundary = part.params['boundary'];
    if (boundary) {
      const childType = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
      let chunks = splitMultipart(body, boundary);
      if (chunks.length === 0) chunks = splitMultipart(body, guessBoundary(body) ?? boundary);
      for (const chunk of chunks) {
        if (budget.n >= MAX_PARTS) break;
        part.parts.push(parsePart(chunk, depth + 1, childType, budget));
      }
    }
  } else if (type === 'message/rfc822' || type === 'message/global') {
    // An embedded message (a bounce's copy of our mail, a forwarded original) is read for its
    // headers only: nothing reads inside it, so its own parts are not split.
    part.parts.push(parsePart(transferDecode(part), MAX_DEPTH, 'text/plain', budget));
  }
  return part;
}

/** Body chunks between "--boundary" delimiter lines (RFC 2046 §5.1.1); preamble and epilogue dropped. */
export function splitMultipart(body: string, boundary: string): string[] {
  const delim = '\n--' + boundary;
  const text = '\n' + body;
  const chunks: string[] = [];
  let start = -1;
  let pos = text.indexOf(delim);
  while (pos !== -1) {
    const after = pos + delim.length;
    const closing = text.startsWith('--', after);
    const c = text.charCodeAt(after);
    // "--b" must end the line (or be "--b--"): "--b2" is another boundary.
    if (!closing && !(Number.isNaN(c) || c === 10 || c === 32 || c === 9)) {
      pos = text.indexOf(delim, after);
      continue;
    }
    if (start >= 0) chunks.push(text.slice(start, pos));
    if (closing) return chunks;
    const eol = text.indexOf('\n', after);
    if (eol === -1) return chunks;
    start = eol + 1;
    pos = text.indexOf(delim, eol);
  }
  if (start >= 0) chunks.push(text.slice(start)); // unterminated multipart: keep the last part
  return chunks;
}

/**
 * The boundary a body really uses when the declared one never occurs (some MTAs rewrite one but
 * not the other): a "--token" line that comes back later in the body.
 */
function guessBoundary(body: string): string | undefined {
  const first = /^--([^\s]{1,200})[ \t]*$/m.exec(body);
  if (!first) return undefined;
  const token = first[1]!.replace(/--$/, '');
  return body.indexOf(`\n--${token}`, first.index + first[0].length) >= 0 ? token : undefined;
}

/** Undo Content-Transfer-Encoding; result is a binary string. */
export function transferDecode(part: MimePart): string {
  if (part.encoding === 'base64') return Buffer.from(part.raw, 'base64').toString('latin1');
  if (part.encoding === 'quoted-printable') return decodeQuotedPrintable(part.raw);
  return part.raw;
}

export function decodeQuotedPrintable(s: string): string {
  return s.replace(/[ \t]+$/gm, '').replace(/=(?:[ \t]*\n|([0-9A-Fa-f]{2}))/g, (_m, h: string | undefined) =>
    h === undefined ? '' : String.fromCharCode(parseInt(h, 16)),
  );
}

/** Text of a part: transfer-decoded, then decoded from its charset. */
export function partText(part: MimePart): string {
  return decodeBinary(transferDecode(part), part.params['charset']);
}

export interface BodyText {
  plain: string;
  html: string;
}

/**
 * The readable text of the message itself: inline text/plain and text/html parts, choosing one
 * alternative, skipping attachments and embedded messages (a bounce's copy of our own mail, a
 * forwarded original) and machine-readable report parts.
 */
export function collectBody(root: MimePart): BodyText {
  const plain: string[] = [];
  const html: string[] = [];
  const walk = (p: MimePart): void => {
    if (p.type === 'multipart/alternative') {
      const pick = p.parts.find((c) => c.type === 'text/plain' && !c.attachment) ?? p.parts[p.parts.length - 1];
      if (pick) walk(pick);
      return;
    }
    if (p.type.startsWith('multipart/')) {
      for (const c of p.parts) walk(c);
      return;
    }
    if (p.attachment) return;
    if (p.type === 'text/plain') plain.push(partText(p));
    else if (p.type === 'text/html') html.push(partText(p));
  };
  walk(root);
  return { plain: plain.join('\n'), html: html.join('\n') };
}

/** Depth-first search for the first matching part, not looking inside embedded messages. */
export function findPart(root: MimePart, pred: (p: MimePart) => boolean): MimePart | undefined {
  if (pred(root)) return root;
  if (root.type === 'message/rfc822' || root.type === 'message/global') return undefined;
  for (const c of root.parts) {
    const f = findPart(c, pred);
    if (f) return f;
  }
  return undefined;
}

/** Decoded value of a header of a part. */
export function headerText(part: MimePart, name: string): string | undefined {
  const v = getHeader(part.headers, name);
  return v === undefined ? undefined : decodeWords(v);
}
