// HTML → plain text, good enough for phrase matching: no layout, just words and line breaks.

const NAMED: Record<string, string> = {
  nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", hellip: '…', rsquo: '’', lsquo: '‘',
  ldquo: '“', rdquo: '”', ndash: '–', mdash: '—', euro: '€', copy: '©', reg: '®', laquo: '«', raquo: '»',
  szlig: 'ß', auml: 'ä', ouml: 'ö', uuml: 'ü', Auml: 'Ä', Ouml: 'Ö', Uuml: 'Ü', eacute: 'é', egrave: 'è',
  ecirc: 'ê', euml: 'ë', Eacute: 'É', agrave: 'à', aacute: 'á', acirc: 'â', atilde: 'ã', ccedil: 'ç',
  iacute: 'í', icirc: 'î', iuml: 'ï', ntilde: 'ñ', oacute: 'ó', ocirc: 'ô', otilde: 'õ', uacute: 'ú',
  ugrave: 'ù', ucirc: 'û', iexcl: '¡', iquest: '¿', ordm: 'º', ordf: 'ª', deg: '°', middot: '·', bull: '•',
};

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});/gi, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e] ?? m;
  });
}

// Enough HTML for any reply; inline data: URIs (pasted images) are dropped before the cut.
const HTML_LIMIT = 500_000;

/** Remove <head>, <style>, <script>, <title> blocks and comments in one linear pass. */
const BLOCK_OPEN = /<!--|<(head|style|script|title)\b/gi;
const BLOCK_CLOSE: Record<string, RegExp> = {
  '': /-->/g,
  head: /<\/head\s*>/gi,
  style: /<\/style\s*>/gi,
  script: /<\/script\s*>/gi,
  title: /<\/title\s*>/gi,
};

function stripBlocks(html: string): string {
  let out = '';
  let i = 0;
  BLOCK_OPEN.lastIndex = 0;
  for (let m = BLOCK_OPEN.exec(html); m; m = BLOCK_OPEN.exec(html)) {
    const close = BLOCK_CLOSE[(m[1] ?? '').toLowerCase()]!;
    close.lastIndex = m.index + m[0].length;
    const end = close.exec(html);
    out += html.slice(i, m.index);
    if (!end) return out; // unclosed: the rest is not text
    i = end.index + end[0].length;
    BLOCK_OPEN.lastIndex = i;
  }
  return out + html.slice(i);
}

const OPEN_QUOTE = '\u0001';
const CLOSE_QUOTE = '\u0002';

/**
 * HTML → text. With `quotes`, text inside <blockquote> comes out as "> " lines (nested: "> > "),
 * so reply-text.ts reads HTML and plain replies alike.
 */
export function htmlToText(html: string, opts: { quotes?: boolean } = {}): string {
  let s = stripBlocks(html.replace(/data:[^"')\s]{200,}/g, 'data:').slice(0, HTML_LIMIT));
  if (opts.quotes) s = s.replace(/<blockquote\b[^>]*>/gi, `\n${OPEN_QUOTE}\n`).replace(/<\/blockquote\s*>/gi, `\n${CLOSE_QUOTE}\n`);
  s = s
    .replace(/<br\b[^>]*>/gi, '\n')
    .replace(/<\/?(p|div|tr|li|h[1-6]|blockquote|table|ul|ol|hr|pre)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  const text = tidy(decodeEntities(s));
  return opts.quotes ? markQuotes(text) : text;
}

function markQuotes(text: string): string {
  let depth = 0;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line === OPEN_QUOTE) depth++;
    else if (line === CLOSE_QUOTE) depth = Math.max(0, depth - 1);
    else out.push(depth > 0 && line !== '' ? `${'> '.repeat(depth)}${line}` : line);
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}

/** Collapse runs of spaces, trim lines, keep at most one empty line in a row. */
export function tidy(s: string): string {
  return s
    .replace(/[\u00a0\t ]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
