// Date mentions in a lowercased, NFKC-normalized text: chrono-node for the languages it reads
// (docs/decisions.md), our own patterns for numeric forms, for Polish, Danish, Norwegian, Czech,
// Turkish and Korean, and for day-only ranges ("from 5 until 22", "Friday 5th").
import * as chrono from 'chrono-node';
import type { Lang } from './auto-reply-phrases.ts';

export interface Mention {
  start: number;
  end: number;
  y?: number;
  /** Month and day; missing for a bare weekday ("back on Monday"), day only for "the 22nd". */
  m?: number;
  d?: number;
  /** ISO 1 = Monday … 7 = Sunday. */
  weekday?: number;
  /** The second date of a range chrono read as one ("5 au 22 janvier"). */
  rangeEnd?: boolean;
  /** Read by our numeric patterns (ISO, CJK, dotted, slashed): day-first, authoritative. */
  numeric?: boolean;
}

const MONTH_NAMES: Record<string, number> = {};
// One space-separated group per month, alternatives separated by "|" (en de fr es it nl pt pl sv da no fi cs tr ru).
'january|jan|januar|jänner|janvier|janv|enero|ene|gennaio|genn|januari|janeiro|styczeń|stycznia|tammikuuta|tammikuu|leden|ledna|ocak|января|январь|янв february|feb|februar|février|fevrier|févr|fevr|febrero|febbraio|februari|fevereiro|fev|luty|lutego|helmikuuta|helmikuu|únor|února|şubat|subat|февраля|февраль|фев march|mar|märz|maerz|mär|mrz|mars|marzo|maart|mrt|março|marco|marts|marzec|marca|maaliskuuta|maaliskuu|březen|března|mart|марта|март april|apr|avril|avr|abril|abr|aprile|kwiecień|kwietnia|huhtikuuta|huhtikuu|duben|dubna|nisan|апреля|апрель|апр may|mai|mayo|maggio|mei|maio|maj|maja|toukokuuta|toukokuu|květen|května|mayıs|mayis|мая|май june|jun|juni|juin|junio|giugno|junho|czerwiec|czerwca|kesäkuuta|kesäkuu|červen|června|haziran|июня|июнь|июн july|jul|juli|juillet|juil|julio|luglio|julho|lipiec|lipca|heinäkuuta|heinäkuu|červenec|července|temmuz|июля|июль|июл august|aug|août|aout|agosto|augustus|augusti|sierpień|sierpnia|elokuuta|elokuu|srpen|srpna|ağustos|agustos|августа|август|авг september|sep|sept|septembre|septiembre|settembre|setembro|wrzesień|września|syyskuuta|syyskuu|září|eylül|eylul|сентября|сентябрь|сен october|oct|oktober|okt|octobre|octubre|ottobre|outubro|październik|października|lokakuuta|lokakuu|říjen|října|ekim|октября|октябрь|окт november|nov|novembre|noviembre|novembro|listopad|listopada|marraskuuta|marraskuu|listopadu|kasım|kasim|ноября|ноябрь|ноя december|dec|dezember|dez|décembre|decembre|déc|diciembre|dic|dicembre|dezembro|grudzień|grudnia|desember|joulukuuta|joulukuu|prosinec|prosince|aralık|aralik|декабря|декабрь|дек'
  .split(' ')
  .forEach((group, i) => group.split('|').forEach((n) => (MONTH_NAMES[n] = i + 1)));

const WEEKDAY_NAMES: Record<string, number> = {};
'monday|mon|montag|lundi|lunes|lunedì|lunedi|maandag|segunda-feira|segunda|poniedziałek|poniedzialek|måndag|mandag|maanantai|maanantaina|pondělí|pazartesi|понедельник|月曜日|星期一|周一|월요일 tuesday|tue|tues|dienstag|mardi|martes|martedì|martedi|dinsdag|terça-feira|terça|wtorek|tisdag|tirsdag|tiistai|tiistaina|úterý|salı|вторник|火曜日|星期二|周二|화요일 wednesday|wed|mittwoch|mercredi|miércoles|miercoles|mercoledì|mercoledi|woensdag|quarta-feira|quarta|środa|sroda|onsdag|keskiviikko|keskiviikkona|středa|çarşamba|среда|水曜日|星期三|周三|수요일 thursday|thu|thur|thurs|donnerstag|jeudi|jueves|giovedì|giovedi|donderdag|quinta-feira|quinta|czwartek|torsdag|torstai|torstaina|čtvrtek|perşembe|четверг|木曜日|星期四|周四|목요일 friday|fri|freitag|vendredi|viernes|venerdì|venerdi|vrijdag|sexta-feira|sexta|piątek|piatek|fredag|perjantai|perjantaina|pátek|cuma|пятница|金曜日|星期五|周五|금요일 saturday|sat|samstag|samedi|sábado|sabado|sabato|zaterdag|sobota|lördag|lørdag|lauantai|lauantaina|cumartesi|суббота|土曜日|星期六|周六|토요일 sunday|sun|sonntag|dimanche|domingo|domenica|zondag|niedziela|söndag|søndag|sunnuntai|sunnuntaina|neděle|pazar|воскресенье|日曜日|星期日|周日|일요일'
  .split(' ')
  .forEach((group, i) => group.split('|').forEach((n) => (WEEKDAY_NAMES[n] = i + 1)));

const alt = (o: Record<string, number>): string => Object.keys(o).sort((a, b) => b.length - a.length).map((s) => s.replace(/[.]/g, '\\.')).join('|');
const MONTH_ALT = alt(MONTH_NAMES);
const WEEKDAY_ALT = alt(WEEKDAY_NAMES);
const NL = '(?![\\p{L}])';
const ORD = '(?:st|nd|rd|th|er|e|º|°|\\.)?';
// Words that join the two ends of a range, in every language read.
export const RANGE_WORDS = '-|–|—|~|〜|～|to|until|till|til|through|thru|and|bis|und|au|et|al|a|y|e|tot|t/m|en|até|do|i|till|och|og|ja|ve|до|по|и|から|至|到|부터';

type Read = (g: string[], order: 'dmy' | 'mdy') => Omit<Mention, 'start' | 'end'> | undefined;

function year(s: string | undefined): number | undefined {
  if (!s) return undefined;
  return s.length === 2 ? 2000 + Number(s) : Number(s);
}

const PATTERNS: readonly { re: RegExp; read: Read }[] = [
  { re: /(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/gu, read: (g) => ({ y: +g[1]!, m: +g[2]!, d: +g[3]!, numeric: true }) },
  { re: /(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일号]/gu, read: (g) => ({ y: year(g[1]), m: +g[2]!, d: +g[3]!, numeric: true }) },
  { re: /(?<![\d.])(\d{1,2})\.\s?(\d{1,2})\.(?:\s?(\d{4}|\d{2})(?!\d|\.\d))?/gu, read: (g) => ({ y: year(g[3]), m: +g[2]!, d: +g[1]!, numeric: true }) },
  {
    re: /(?<![\d/])(\d{1,2})\/(\d{1,2})(?:\/(\d{4}|\d{2}))?(?![\d/])/gu,
    read: (g, order) => {
      const a = +g[1]!;
      const b = +g[2]!;
      const monthFirst = order === 'mdy' ? a <= 12 : b > 12 && a <= 12;
      return monthFirst ? { y: year(g[3]), m: a, d: b, numeric: true } : { y: year(g[3]), m: b, d: a, numeric: true };
    },
  },
  {
    // "January 12", "Jan. 12th, 2027"
    re: new RegExp(`(?<!\\p{L})(${MONTH_ALT})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?!\\d)(?:,?\\s+(\\d{4})(?![\\d年/-]))?`, 'gu'),
    read: (g) => ({ y: year(g[3]), m: MONTH_NAMES[g[1]!]!, d: +g[2]! }),
  },
  {
    // "12 January 2027", "12. Januar", "1er février", "3 de febrero de 2027", "12th of January", "12 stycznia"
    re: new RegExp(`(?<!\\d)(\\d{1,2})${ORD}\\s*(?:de\\s+|of\\s+)?(${MONTH_ALT})${NL}\\.?(?:,?\\s*(?:de\\s+)?(\\d{4})(?![\\d年/-]))?`, 'gu'),
    read: (g) => ({ y: year(g[3]), m: MONTH_NAMES[g[2]!]!, d: +g[1]! }),
  },
  {
    // "Monday 22nd", "Friday the 5th", "lundi 22", "Montag, den 22." — a day of the month with its weekday.
    re: new RegExp(`(?<!\\p{L})(${WEEKDAY_ALT})${NL},?\\s+(?:the\\s+|den\\s+|le\\s+|el\\s+|il\\s+)?(\\d{1,2})(?:st|nd|rd|th|er|\\.)?(?![\\d.:/]\\d|\\s*(?:${MONTH_ALT})${NL})`, 'gu'),
    read: (g) => ({ d: +g[2]!, weekday: WEEKDAY_NAMES[g[1]!]! }),
  },
  {
    // A bare day that starts a range: "from 5 until 22 January", "du 5 au 22", "vom 5. bis 22."
    re: new RegExp(`(?<![\\d./:,-])(\\d{1,2})${ORD}(?=\\s*(?:${RANGE_WORDS})\\s*(?:the\\s+|le\\s+|el\\s+)?\\d{1,2}(?!\\d))`, 'gu'),
    read: (g) => ({ d: +g[1]! }),
  },
  {
    // A bare day after a range word or a back-word: "until 22", "bis 22.", "back on the 22nd"
    re: new RegExp(`(?<=(?:${RANGE_WORDS}|back on|back|on)\\s*(?:the\\s+)?)(\\d{1,2})(?!\\d)(?:st|nd|rd|th|er|\\.)?(?![\\d.:/,]\\d|\\s*(?:${MONTH_ALT})${NL}|\\s*(?:am|pm|h|uhr|:|%|\\$|€))`, 'gu'),
    read: (g) => ({ d: +g[1]! }),
  },
];

const WEEKDAY_RE = new RegExp(`(?<!\\p{L})(${WEEKDAY_ALT})${NL}`, 'gu');

function ownMentions(text: string, order: 'dmy' | 'mdy'): Mention[] {
  const out: Mention[] = [];
  for (const p of PATTERNS) {
    for (const m of text.matchAll(p.re)) {
      const v = p.read(m as unknown as string[], order);
      if (!v || (v.m !== undefined && (v.m < 1 || v.m > 12)) || (v.d !== undefined && (v.d < 1 || v.d > 31))) continue;
      out.push({ ...v, start: m.index, end: m.index + m[0].length });
    }
  }
  for (const m of text.matchAll(WEEKDAY_RE)) {
    if (m[1]!.length <= 3 && !/^\s*[,.]/.test(text.slice(m.index + m[0].length))) continue; // "mon", "sun" as words
    out.push({ start: m.index, end: m.index + m[0].length, weekday: WEEKDAY_NAMES[m[1]!]! });
  }
  return out;
}

const CHRONO: Partial<Record<Lang | 'zh', chrono.Chrono>> = {
  en: chrono.en.casual, de: chrono.de.casual, fr: chrono.fr.casual, es: chrono.es.casual, it: chrono.it.casual, nl: chrono.nl.casual,
  pt: chrono.pt.casual, sv: chrono.sv.casual, fi: chrono.fi.casual, ru: chrono.ru.casual, ja: chrono.ja.casual, zh: chrono.zh.casual,
};

function fromComponents(c: chrono.ParsedComponents, start: number, end: number, rangeEnd: boolean, fourDigitYear: boolean): Mention | undefined {
  const day = c.isCertain('day') ? c.get('day') ?? undefined : undefined;
  const month = c.isCertain('month') ? c.get('month') ?? undefined : undefined;
  const weekday = c.isCertain('weekday') ? c.get('weekday') ?? undefined : undefined;
  if (day === undefined && weekday === undefined) return undefined;
  const out: Mention = { start, end, rangeEnd };
  if (day !== undefined && month !== undefined) {
    out.m = month;
    out.d = day;
    // "Jan 15th, 15 de enero": a year chrono builds from a short number after a comma is not one.
    if (c.isCertain('year') && fourDigitYear) out.y = c.get('year') ?? undefined;
  } else if (day !== undefined) out.d = day;
  if (weekday !== undefined) out.weekday = weekday === 0 ? 7 : weekday;
  return out;
}

function chronoMentions(text: string, langs: readonly Lang[], ref: Date): Mention[] {
  const out: Mention[] = [];
  const locales = new Set<Lang | 'zh'>(['en', ...langs, ...(langs.includes('ja') ? (['zh'] as const) : [])]);
  for (const lang of locales) {
    const parser = CHRONO[lang];
    if (!parser) continue;
    for (const r of parser.parse(text, ref)) {
      const fourDigitYear = /\d{4}/.test(r.text);
      const shortYear = r.text.search(/,\s*\d{1,2}\s*$/);
      const end = r.index + (shortYear > 0 ? shortYear : r.text.length);
      const s = fromComponents(r.start, r.index, r.end ? r.index + 1 : end, false, fourDigitYear);
      if (s) out.push(s);
      const e = r.end ? fromComponents(r.end, end - 1, end, true, fourDigitYear) : undefined;
      if (e) out.push(e);
    }
  }
  return out;
}

/**
 * All date mentions, left to right, without overlaps (the more complete reading wins a tie).
 * `ref` is the writer's day at local noon: chrono reads "tomorrow" against it.
 */
export function findMentions(text: string, order: 'dmy' | 'mdy' = 'dmy', langs: readonly Lang[] = [], ref: Date = new Date(2000, 0, 1, 12)): Mention[] {
  const all = [...ownMentions(text, order), ...chronoMentions(text, langs, ref)];
  const weight = (x: Mention): number => (x.m !== undefined ? 4 : 0) + (x.d !== undefined ? 2 : 0) + (x.y !== undefined || x.weekday !== undefined ? 1 : 0);
  // The most complete reading of each stretch of text wins; then left to right.
  all.sort((a, b) => weight(b) - weight(a) || Number(b.numeric ?? false) - Number(a.numeric ?? false) || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const picked: Mention[] = [];
  for (const f of all) if (!picked.some((p) => f.start < p.end && p.start < f.end)) picked.push(f);
  const out = picked.sort((a, b) => a.start - b.start);
  // "Monday, January 11": the weekday only names the date that follows it.
  return out.filter((f, i) => !(f.weekday !== undefined && f.d === undefined && out[i + 1]?.d !== undefined && /^[\s,.]*(the\s+|le\s+|el\s+|den\s+|il\s+)?$/u.test(text.slice(f.end, out[i + 1]!.start))));
}
