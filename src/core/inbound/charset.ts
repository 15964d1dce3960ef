// Bytes → text for a MIME charset label.
// We carry message bytes as "binary strings" (one char per byte, latin1) so that header and MIME
// parsing stays synchronous and cheap; this module turns such a string into real text.
// TextDecoder (Node with full ICU) knows the WHATWG labels, including iso-2022-jp and shift_jis.
// Unknown labels fall back to UTF-8 and, if the bytes are not valid UTF-8, to windows-1252.

const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'ks_c_5601-1987': 'euc-kr',
  'x-sjis': 'shift_jis',
  sjis: 'shift_jis',
  cp932: 'shift_jis',
  ms932: 'shift_jis',
  'windows-31j': 'shift_jis',
  'ansi_x3.4-1968': 'us-ascii',
  ascii: 'us-ascii',
  'iso8859-1': 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  'iso8859-15': 'iso-8859-15',
};

type Decoder = InstanceType<typeof TextDecoder>;
const decoders = new Map<string, Decoder | null>();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

// Node 20's TextDecoder('windows-1252') decodes as plain latin1 (0x80–0x9F become C1 controls,
// so ’ – “ ” € vanish). WHATWG maps iso-8859-1, us-ascii and windows-1252 all to windows-1252,
// so we do that mapping ourselves for the whole family.
const CP1252_HIGH =
  '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const LATIN1_FAMILY = new Set(['windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'l1', 'iso_8859-1:1987', 'x-cp1252', 'cp819', 'ibm819', 'iso-ir-100']);

function decodeCp1252(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1').replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

function decoderFor(label: string): Decoder | null {
  let d = decoders.get(label);
  if (d !== undefined) return d;
  try {
    d = new TextDecoder(label);
  } catch {
    d = null;
  }
  if (decoders.size < 64) decoders.set(label, d);
  return d;
}

export function normalizeCharset(label: string | undefined): string {
  if (!label) return '';
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  return ALIASES[l] ?? l;
}

// Labels in which plain ASCII bytes do not simply mean ASCII text.
const NOT_ASCII_COMPATIBLE = /^(utf-16|utf-32|ucs-2|utf-7|unicode)/;

/** Decode a binary string (one char per byte) in the given charset. */
export function decodeBinary(bin: string, charset?: string): string {
  const cs = normalizeCharset(charset);
  // Fast path: 7-bit text without ISO-2022 escapes reads the same in every ASCII-compatible charset.
  // eslint-disable-next-line no-control-regex
  if (!/[\x80-\xff\x1b]/.test(bin) && !NOT_ASCII_COMPATIBLE.test(cs)) return bin;
  const bytes = Buffer.from(bin, 'latin1');
  // 7-bit ISO-2022-JP is recognisable by its escapes even when the part does not declare it.
  // eslint-disable-next-line no-control-regex
  if ((cs === '' || cs === 'us-ascii') && /\x1b\$[@B]/.test(bin)) return decoderFor('iso-2022-jp')?.decode(bytes) ?? bin;
  if (cs === '' || cs === 'utf-8' || cs === 'us-ascii') return utf8OrLatin(bytes);
  if (LATIN1_FAMILY.has(cs)) return decodeCp1252(bytes);
  const d = decoderFor(cs);
  if (d) return d.decode(bytes);
  return utf8OrLatin(bytes);
}

/** Unlabeled or mislabeled 8-bit text: UTF-8 if it is valid UTF-8, otherwise windows-1252. */
export function utf8OrLatin(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes.length > 0 && bytes[0] === 0xef ? lenientUtf8.decode(bytes) : decodeCp1252(bytes);
  }
}

/** Any JS string → binary string of its UTF-8 bytes (strings given to classify() are text). */
export function toBinary(raw: Buffer | Uint8Array | string): string {
  if (typeof raw === 'string') {
    // eslint-disable-next-line no-control-regex
    return /[^\x00-\x7f]/.test(raw) ? Buffer.from(raw, 'utf8').toString('latin1') : raw;
  }
  return Buffer.isBuffer(raw) ? raw.toString('latin1') : Buffer.from(raw).toString('latin1');
}
