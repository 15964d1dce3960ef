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

export function htmlToText(html: string): string {
  const s = stripBlocks(html.replace(/data:[^"')\s]{200,}/g, 'data:').slice(0, HTML_LIMIT))
    .replace(/<br\b[^>]*>/gi, '\n')
    .replace(/<\/?(p|div|tr|li|h[1-6]|blockquote|table|ul|ol|hr|pre)\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '');
  return tidy(decodeEntities(s));
}

/** Collapse runs of spaces, trim lines, keep at most one empty line in a row. */
export function tidy(s: string): string {
  return s
    .replace(/[\u00a0\t ]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Where mail clients start the quoted original in an HTML reply (Gmail, Apple Mail/Thunderbird,
// Outlook desktop and web, Yahoo).
const HTML_QUOTE_MARKERS = [
  /<div[^>]*class=["']?[^"'>]*gmail_(quote|attr)/i,
  /<blockquote\b/i,
  /<div[^>]*id=["']?(divRplyFwdMsg|appendonsend|mail-editor-reference-message-container)/i,
  /<div[^>]*class=["']?[^"'>]*(moz-cite-prefix|yahoo_quoted|OutlookMessageHeader)/i,
  /<hr[^>]*id=["']?stopSpelling/i,
  /<div[^>]*style=["'][^"']*border-top:\s*solid\s+#(E1E1E1|B5C4DF)/i,
];

/** The HTML before the first quoted-original marker. */
export function cutHtmlQuote(html: string): string {
  let cut = html.length;
  for (const re of HTML_QUOTE_MARKERS) {
    const m = re.exec(html);
    if (m && m.index < cut) cut = m.index;
  }
  return html.slice(0, cut);
}
