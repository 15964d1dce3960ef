// Return date of an out-of-office reply, as ISO YYYY-MM-DD.
//
// Rule (documented in docs/classifier.md): the returned date is the first day the person says
// they are back.
// - "back / returning / de retour / wieder / de vuelta / terug / retorno … X" → X.
// - "until / through / bis (einschließlich) / jusqu'au / hasta / tot (en met) / até … X",
//   "X まで", and the end of a range "X – Y" → the day after X (absent through X, inclusive).
// - A "return" date wins over an "until" date; otherwise the first one found.
// - No year: the next occurrence on or after `now` (UTC calendar date). A bare weekday
//   ("back on Monday") is the next such day strictly after `now`.
// - a/b/yyyy with slashes is day-first (as in all the languages we read except US English) unless
//   b > 12; pass dateOrder 'mdy' to read month-first. Dotted dates (15.01.2027) are always day-first.

const MONTH_NAMES: Record<string, number> = {};
const addMonths = (names: string, base = 1): void => {
  names.split(' ').forEach((group, i) => {
    for (const n of group.split('|')) if (n) MONTH_NAMES[n] = base + i;
  });
};
// One space-separated group per month, alternatives separated by "|".
addMonths('january|jan|januar|jänner|janvier|janv|enero|ene|januari|janeiro february|feb|februar|février|fevrier|févr|fevr|febrero|februari|fevereiro|fev march|mar|märz|maerz|mär|mrz|mars|marzo|maart|mrt|março|marco april|apr|avril|avr|abril|abr may|mai|mayo|mei|maio june|jun|juni|juin|junio|junho july|jul|juli|juillet|juil|julio|julho august|aug|août|aout|agosto|augustus september|sep|sept|septembre|septiembre|setiembre|setembro october|oct|oktober|okt|octobre|octubre|outubro november|nov|novembre|noviembre|novembro december|dec|dezember|dez|décembre|decembre|déc|diciembre|dic|dezembro');

// Weekday names (ISO 1 = Monday … 7 = Sunday), for "back on Monday" without a date.
const WEEKDAY_NAMES: Record<string, number> = {};
'monday|montag|lundi|lunes|maandag|segunda-feira|segunda tuesday|dienstag|mardi|martes|dinsdag|terça-feira|terça wednesday|mittwoch|mercredi|miércoles|miercoles|woensdag|quarta-feira|quarta thursday|donnerstag|jeudi|jueves|donderdag|quinta-feira|quinta friday|freitag|vendredi|viernes|vrijdag|sexta-feira|sexta saturday|samstag|samedi|sábado|sabado|zaterdag sunday|sonntag|dimanche|domingo|zondag'
  .split(' ')
  .forEach((group, i) => group.split('|').forEach((n) => (WEEKDAY_NAMES[n] = i + 1)));
const WEEKDAY_RE = new RegExp(`(?<!\\p{L})(${Object.keys(WEEKDAY_NAMES).sort((a, b) => b.length - a.length).join('|')})(?!\\p{L})`, 'gu');

const MONTH_ALT = Object.keys(MONTH_NAMES).sort((a, b) => b.length - a.length).join('|');
const L = '\\p{L}';

interface RawDate {
  start: number;
  end: number;
  y?: number;
  m: number;
  d: number;
  /** Set for a bare weekday ("back on Monday"): m and d are unused. */
  weekday?: number;
}

const PATTERNS: { re: RegExp; read: (g: string[], order: 'dmy' | 'mdy') => Omit<RawDate, 'start' | 'end'> | undefined }[] = [
  { re: /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/gu, read: (g) => ({ y: +g[1]!, m: +g[2]!, d: +g[3]! }) },
  { re: /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日/gu, read: (g) => ({ y: g[1] ? +g[1] : undefined, m: +g[2]!, d: +g[3]! }) },
  {
    re: /(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2})(?![\d.]))?/gu,
    read: (g) => ({ y: year(g[3]), m: +g[2]!, d: +g[1]! }),
  },
  {
    re: /(?<![\d/])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\d/])/gu,
    read: (g, order) => {
      const a = +g[1]!;
      const b = +g[2]!;
      const monthFirst = order === 'mdy' ? a <= 12 : b > 12 && a <= 12;
      return monthFirst ? { y: year(g[3]), m: a, d: b } : { y: year(g[3]), m: b, d: a };
    },
  },
  {
    // "January 12", "Jan. 12th, 2027"
    re: new RegExp(`(?<!${L})(${MONTH_ALT})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)(?:,?\\s+(\\d{4})(?![\\d年/-]))?`, 'gu'),
    read: (g) => ({ y: year(g[3]), m: MONTH_NAMES[g[1]!]!, d: +g[2]! }),
  },
  {
    // "12 January 2027", "12. Januar", "1er février", "3 de febrero de 2027", "12th of January"
    re: new RegExp(`(?<!\\d)(\\d{1,2})(?:st|nd|rd|th|er|º|°|\\.)?\\s*(?:de\\s+|of\\s+)?(${MONTH_ALT})(?!${L})\\.?(?:,?\\s*(?:de\\s+)?(\\d{4})(?![\\d年/-]))?`, 'gu'),
    read: (g) => ({ y: year(g[3]), m: MONTH_NAMES[g[2]!]!, d: +g[1]! }),
  },
];

function year(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const n = +s;
  return s.length === 2 ? 2000 + n : n;
}

/** All dates in a lowercased, NFKC-normalized text, left to right, without overlaps. */
export function findDates(text: string, order: 'dmy' | 'mdy' = 'dmy'): RawDate[] {
  const found: RawDate[] = [];
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    for (const m of text.matchAll(p.re)) {
      const v = p.read(m as unknown as string[], order);
      if (!v || v.m < 1 || v.m > 12 || v.d < 1 || v.d > 31) continue;
      found.push({ ...v, start: m.index, end: m.index + m[0].length });
    }
  }
  for (const m of text.matchAll(WEEKDAY_RE)) {
    const end = m.index + m[0].length;
    // "Monday, January 11": the weekday only names the date that follows it.
    if (found.some((f) => f.start >= end && /^[\s,.]*(the\s+|le\s+|el\s+|den\s+)?$/u.test(text.slice(end, f.start)))) continue;
    found.push({ start: m.index, end, m: 0, d: 0, weekday: WEEKDAY_NAMES[m[1]!]! });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: RawDate[] = [];
  for (const f of found) if (out.length === 0 || f.start >= out[out.length - 1]!.end) out.push(f);
  return out;
}

const RETURN_BEFORE =
  /\b(back|return|returning|returns|in the office (on|from)|available (again )?(on|from))\b|wieder|zurück|de retour|retour|rentre|reviendrai|de vuelta|de regreso|regreso|regresaré|volveré|de volta|retorno|retornarei|terug|weer (aanwezig|op kantoor|bereikbaar)/gu;
const UNTIL_BEFORE = /\b(until|till|til|through|thru)\b|bis|jusqu['’]?\s*(au|à|a)|hasta|tot en met|\btot\b|t\/m|até/gu;
// "from X" only means "back from X" when a back-word follows in the same sentence.
const FROM_BEFORE = /\bab\b|\bvanaf\b|à partir d|a partir d|\bdesde\b|\bfrom\b|\bstarting\b/gu;
const BACK_AFTER = /wieder|zurück|erreichbar|im büro|terug|\bweer\b|aanwezig|\bback\b|de retour|de vuelta|de volta|disponible|disponível|出社|戻|復帰/u;
const RANGE_JOIN = /^\s*(-|–|—|~|〜|to|bis|au|al|a|tot|até|から)\s*$/u;

type Kind = 'return' | 'until';

function lastMatch(re: RegExp, s: string): RegExpExecArray | undefined {
  re.lastIndex = 0;
  let last: RegExpExecArray | undefined;
  for (let m = re.exec(s); m; m = re.exec(s)) last = m;
  return last;
}

function kindOf(text: string, d: RawDate, prev: RawDate | undefined): Kind | undefined {
  let before = text.slice(Math.max(0, d.start - 70), d.start);
  const stop = Math.max(before.lastIndexOf('\n\n'), before.search(/[!?。](?!.*[!?。])/u), lastSentenceEnd(before));
  if (stop >= 0) before = before.slice(stop + 1);
  const afterFull = text.slice(d.end, d.end + 50);
  const after = afterFull.split(/[.!?。\n]/u)[0] ?? '';
  if (prev && RANGE_JOIN.test(text.slice(prev.end, d.start))) return 'until';
  const hits: { at: number; kind: Kind | 'from' }[] = [];
  const r = lastMatch(RETURN_BEFORE, before);
  if (r) hits.push({ at: r.index, kind: 'return' });
  const u = lastMatch(UNTIL_BEFORE, before);
  if (u) hits.push({ at: u.index, kind: 'until' });
  const f = lastMatch(FROM_BEFORE, before);
  if (f) hits.push({ at: f.index, kind: 'from' });
  hits.sort((a, b) => b.at - a.at);
  const nearest = hits[0];
  if (nearest?.kind === 'from') return BACK_AFTER.test(after) ? 'return' : undefined;
  if (nearest) return nearest.kind;
  // Japanese and Dutch put the verb after the date: "1月15日まで", "1月16日より出社", "11 januari ben ik terug".
  if (/^\s*(\([^)]*\))?\s*まで/u.test(afterFull)) return 'until';
  // "X より出社" is a return, but "X から … まで休暇" starts the absence: only a back-word decides.
  if (BACK_AFTER.test(after)) return 'return';
  return undefined;
}

/** Index of the last ". " sentence end that is not part of a date like "15. Januar". */
function lastSentenceEnd(s: string): number {
  let idx = -1;
  for (const m of s.matchAll(/[^\d]\.\s/gu)) idx = m.index + 1;
  return idx;
}

function resolve(d: RawDate, now: Date): Date | undefined {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (d.weekday !== undefined) {
    // A bare weekday is the next such day strictly after today ("back on Monday" said on a Monday).
    const dow = ((new Date(today).getUTCDay() + 6) % 7) + 1;
    const ahead = ((d.weekday - dow + 6) % 7) + 1;
    return new Date(today + ahead * 86_400_000);
  }
  const y = d.y ?? now.getUTCFullYear();
  let t = Date.UTC(y, d.m - 1, d.d);
  if (d.y === undefined && t < today) t = Date.UTC(y + 1, d.m - 1, d.d);
  const date = new Date(t);
  if (date.getUTCMonth() !== d.m - 1) return undefined; // 31 February
  return date;
}

function iso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export interface ReturnDate {
  date: string;
  /** The text the date was read from. */
  phrase: string;
}

export function extractReturnDate(text: string, now: Date, order: 'dmy' | 'mdy' = 'dmy'): ReturnDate | undefined {
  const norm = text.slice(0, 4000).normalize('NFKC').toLowerCase();
  const dates = findDates(norm, order);
  let until: ReturnDate | undefined;
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    const kind = kindOf(norm, d, dates[i - 1]);
    if (!kind) continue;
    const when = resolve(d, now);
    if (!when) continue;
    const phrase = norm.slice(Math.max(0, d.start - 30), d.end).replace(/\s+/g, ' ').trim();
    if (kind === 'return') return { date: iso(when), phrase };
    until ??= { date: iso(new Date(when.getTime() + 86_400_000)), phrase };
  }
  return until;
}
