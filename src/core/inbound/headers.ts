// RFC 5322 header block reading: unfolding, RFC 2047 encoded words, RFC 2045/2231 parameters,
// addresses and message ids. Works on binary strings (see charset.ts) with "\n" line ends.
import { decodeBinary } from './charset.ts';

export interface Header {
  /** Lowercased field name. */
  name: string;
  /** Unfolded value, still raw (encoded words not decoded). */
  value: string;
}

const FIELD_NAME = /^[!-9;-~]+$/;

/** Split a message into header block and body at the first empty line. */
export function splitHeadBody(bin: string): { head: string; body: string } {
  if (bin.startsWith('\n')) return { head: '', body: bin.slice(1) };
  const i = bin.indexOf('\n\n');
  if (i === -1) return { head: bin, body: '' };
  return { head: bin.slice(0, i), body: bin.slice(i + 2) };
}

export function parseHeaderBlock(head: string): Header[] {
  const out: Header[] = [];
  const lines = head.split('\n');
  let cur: Header | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const c = line.charCodeAt(0);
    if ((c === 32 || c === 9) && cur) {
      // Folded continuation: unfolding just removes the line break.
      cur.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      cur = undefined; // mbox "From " line or garbage: skip it
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!FIELD_NAME.test(name)) {
      cur = undefined;
      continue;
    }
    cur = { name, value: line.slice(colon + 1) };
    out.push(cur);
  }
  for (const h of out) h.value = h.value.replace(/\r/g, '').trim();
  return out;
}

export function getHeader(headers: readonly Header[], name: string): string | undefined {
  for (const h of headers) if (h.name === name) return h.value;
  return undefined;
}

export function hasHeader(headers: readonly Header[], name: string): boolean {
  return getHeader(headers, name) !== undefined;
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=/g;

/** Decode RFC 2047 encoded words (and raw 8-bit UTF-8 per RFC 6532) in a header value. */
export function decodeWords(value: string): string {
  if (!value.includes('=?')) return decodeBinary(value);
  let out = '';
  let last = 0;
  let pendingCharset = '';
  let pendingBytes = '';
  const flush = (): void => {
    if (pendingBytes) out += decodeBinary(pendingBytes, pendingCharset);
    pendingBytes = '';
  };
  ENCODED_WORD.lastIndex = 0;
  for (let m = ENCODED_WORD.exec(value); m; m = ENCODED_WORD.exec(value)) {
    const gap = value.slice(last, m.index);
    // Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
    if (!(pendingBytes && /^\s*$/.test(gap))) {
      flush();
      out += decodeBinary(gap);
    }
    const charset = m[1]!.split('*')[0]!; // RFC 2231 language suffix
    const text = m[3]!;
    const bytes = m[2] === 'b' || m[2] === 'B' ? Buffer.from(text, 'base64').toString('latin1') : decodeQ(text);
    // Adjacent words in the same charset are joined as bytes: a multibyte char may be split.
    if (pendingBytes && charset.toLowerCase() !== pendingCharset.toLowerCase()) flush();
    pendingCharset = charset;
    pendingBytes += bytes;
    last = m.index + m[0].length;
  }
  flush();
  out += decodeBinary(value.slice(last));
  return out;
}

function decodeQ(s: string): string {
  return s.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** Split "type/sub; a=b; c=\"d\"" into the main value and lowercased parameters (RFC 2231 aware). */
export function parseParams(value: string): { value: string; params: Record<string, string> } {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '"') quoted = !quoted;
    else if (ch === '\\' && quoted && i + 1 < value.length) {
      cur += value[++i]!;
      continue;
    }
    if (ch === ';' && !quoted) {
      parts.push(cur);
      cur = '';
    } else if (ch !== '"') cur += ch;
  }
  parts.push(cur);
  const params: Record<string, string> = {};
  const continued: Record<string, { i: number; v: string; ext: boolean }[]> = {};
  for (const p of parts.slice(1)) {
    const eq = p.indexOf('=');
    if (eq <= 0) continue;
    const key = p.slice(0, eq).trim().toLowerCase();
    const v = p.slice(eq + 1).trim();
    const m = /^([^*]+)\*(\d+)?(\*)?$/.exec(key);
    if (m) {
      const base = m[1]!;
      (continued[base] ??= []).push({ i: m[2] === undefined ? 0 : Number(m[2]), v, ext: m[3] === '*' || m[2] === undefined });
    } else if (!(key in params)) params[key] = v;
  }
  for (const [base, segs] of Object.entries(continued)) {
    segs.sort((a, b) => a.i - b.i);
    let charset = '';
    let bin = '';
    for (const s of segs) {
      let v = s.v;
      if (s.ext) {
        if (s.i === 0) {
          const q = /^([^']*)'[^']*'(.*)$/.exec(v);
          if (q) {
            charset = q[1]!;
            v = q[2]!;
          }
        }
        v = v.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
      }
      bin += v;
    }
    params[base] = decodeBinary(bin, charset);
  }
  return { value: (parts[0] ?? '').trim().toLowerCase(), params };
}

/** Remove RFC 5322 comments "( … )" (non-nested is enough for addresses). */
function stripComments(s: string): string {
  return s.replace(/\([^()]*\)/g, ' ');
}

/**
 * The bare lowercased address of the first mailbox in an address header.
 * Returns '' for the null path "<>", and a bare local word (e.g. "mailer-daemon") when there is no '@'.
 */
export function extractAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const angle = /<([^<>]*)>/.exec(value);
  if (angle) {
    const inner = angle[1]!.trim().replace(/^mailto:/i, '');
    if (inner === '' || inner.includes('@')) return inner.toLowerCase();
  }
  const noComments = stripComments(value).replace(/"[^"]*"/g, ' ');
  const at = /[^\s<>"(),;:[\]]+@[^\s<>"(),;:[\]]+/.exec(noComments);
  if (at) return at[0].toLowerCase();
  const word = noComments.trim().split(/[\s,;]+/)[0];
  if (word && /^[\w.+=-]+$/.test(word)) return word.toLowerCase();
  return undefined;
}

/** All addresses of an address list header, lowercased. */
export function extractAddresses(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const m of stripComments(value).matchAll(/[^\s<>"(),;:[\]]+@[^\s<>"(),;:[\]]+/g)) out.push(m[0].toLowerCase());
  return out;
}

/** Message ids of Message-ID / In-Reply-To / References, kept with their angle brackets. */
export function extractMessageIds(value: string | undefined): string[] {
  if (!value) return [];
  const ids = value.match(/<[^<>\s]+>/g);
  if (ids) return ids;
  const bare = value.trim();
  return bare && !/\s/.test(bare) ? [`<${bare}>`] : [];
}
