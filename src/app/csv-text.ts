// Turning a CSV file's bytes into text, with a clear error (and line) when the encoding is wrong.
import { TallyError } from '../core/errors.ts';
import { ENCODINGS } from '../core/import-format.ts';


/** Byte offset of the first invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function lineAt(buf: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (buf[i] === 0x0a) line++;
  return line;
}

/** Decodes a CSV file: BOMs are honoured; without one, `encoding` (default UTF-8) must fit every byte. */
export function decodeCsv(buf: Uint8Array, file: string, encoding = 'utf-8'): string {
  const enc = encoding.toLowerCase();
  if (!(ENCODINGS as readonly string[]).includes(enc)) {
    throw new TallyError(`unknown encoding "${encoding}" (use one of: ${ENCODINGS.join(', ')})`, 'usage', { field: 'encoding' });
  }
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return decodeUtf8(buf.subarray(3), file, 1);
  if (buf[0] === 0xff && buf[1] === 0xfe) return new TextDecoder('utf-16le').decode(buf.subarray(2));
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  if (enc === 'utf-8') {
    // UTF-16 without a BOM shows up as NUL bytes between ASCII letters.
    if (buf.length >= 4 && buf[1] === 0 && buf[3] === 0 && buf[0] !== 0) {
      throw new TallyError('the file looks like UTF-16 without a byte-order mark: pass --encoding utf-16le', 'invalid_encoding', { file, line: 1 });
    }
    return decodeUtf8(buf, file, 0);
  }
  if (enc === 'latin1' || enc === 'windows-1252') return decodeWindows1252(buf);
  return new TextDecoder(enc).decode(buf);
}

/** Windows-1252 bytes 0x80–0x9F (the rest is ISO-8859-1); the five unused bytes stay as C1 controls. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Windows-1252 (what Excel writes, and what "latin1" means on the web). Done by hand: some Node
 * versions' TextDecoder turns 0x80–0x9F into C1 controls instead of € ’ “ ” – — and the like.
 */
export function decodeWindows1252(buf: Uint8Array): string {
  const text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString('latin1');
  return text.replace(/[\x80-\x9f]/g, (ch) => String.fromCharCode(CP1252_HIGH[ch.charCodeAt(0) - 0x80]!));
}

function decodeUtf8(buf: Uint8Array, file: string, skipped: number): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    const at = firstInvalidUtf8(buf);
    const byte = at >= 0 ? buf[at]! : 0;
    throw new TallyError(
      `not valid UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at offset ${at + skipped}): save the file as UTF-8, or pass --encoding windows-1252 (or latin1) if it came from Excel`,
      'invalid_encoding',
      { file, line: at >= 0 ? lineAt(buf, at) : 1 },
    );
  }
}

/** Bytes at the end of `buf` that start a UTF-8 sequence the next chunk completes (0 to 3). */
function incompleteTail(buf: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

function newlinesIn(buf: Uint8Array, end = buf.length): number {
  let n = 0;
  for (let at = buf.indexOf(0x0a); at !== -1 && at < end; at = buf.indexOf(0x0a, at + 1)) n++;
  return n;
}

/**
 * decodeCsv for a file read in chunks: the same BOMs, encodings and errors (with the offset and line
 * of a bad byte in the whole file), holding back only the bytes of a character split between chunks.
 */
export class CsvDecoder {
  private readonly enc: string;
  private started = false;
  private head: Uint8Array = new Uint8Array(0);
  private carry: Uint8Array = new Uint8Array(0);
  private offset = 0;
  private lines = 0;
  private utf16: InstanceType<typeof TextDecoder> | null = null;
  private utf8: boolean;

  constructor(private readonly file: string, encoding = 'utf-8') {
    this.enc = encoding.toLowerCase();
    this.utf8 = this.enc === 'utf-8';
    if (!(ENCODINGS as readonly string[]).includes(this.enc)) {
      throw new TallyError(`unknown encoding "${encoding}" (use one of: ${ENCODINGS.join(', ')})`, 'usage', { field: 'encoding' });
    }
  }

  /** The text of the bytes so far (`final`: the file ends here). */
  decode(chunk: Uint8Array, final = false): string {
    if (!this.started) {
      // The first four bytes decide the encoding: wait for them.
      const head = concat(this.head, chunk);
      if (head.length < 4 && !final) {
        this.head = head;
        return '';
      }
      this.started = true;
      chunk = this.start(head);
    }
    if (this.utf16) return this.utf16.decode(chunk, { stream: !final });
    if (!this.utf8) return decodeWindows1252(chunk);
    const bytes = concat(this.carry, chunk);
    const keep = final ? 0 : incompleteTail(bytes);
    const whole = bytes.subarray(0, bytes.length - keep);
    let text: string;
    try {
      text = decodeUtf8(whole, this.file, this.offset);
    } catch (err) {
      if (err instanceof TallyError) {
        const at = firstInvalidUtf8(whole);
        throw new TallyError(err.message, err.code, { file: this.file, line: this.lines + 1 + newlinesIn(whole, Math.max(0, at)) });
      }
      throw err;
    }
    this.carry = bytes.slice(bytes.length - keep);
    this.offset += whole.length;
    this.lines += newlinesIn(whole);
    return text;
  }

  /** Reads the BOM (or the lack of one) and returns the bytes after it. */
  private start(head: Uint8Array): Uint8Array {
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      this.offset = 3;
      this.utf8 = true;
      return head.subarray(3);
    }
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      this.utf16 = new TextDecoder(head[0] === 0xff ? 'utf-16le' : 'utf-16be');
      return head.subarray(2);
    }
    if (this.enc === 'utf-16le' || this.enc === 'utf-16be') this.utf16 = new TextDecoder(this.enc);
    else if (this.enc === 'utf-8' && head.length >= 4 && head[1] === 0 && head[3] === 0 && head[0] !== 0) {
      throw new TallyError('the file looks like UTF-16 without a byte-order mark: pass --encoding utf-16le', 'invalid_encoding', { file: this.file, line: 1 });
    }
    return head;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
