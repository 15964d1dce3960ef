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

export function htmlToText(html: string): string {
  const s = html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
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
