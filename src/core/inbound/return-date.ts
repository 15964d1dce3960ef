// Return date of an out-of-office reply, as ISO YYYY-MM-DD: the first day the person is back.
//
// Rules (docs/classifier.md, "Return date"):
// - "back / return / zurück am / de retour le / volveré el / rientrerò il / wracam / tillbaka …
//   X" (or a back-word after X: "X より出社", "ben ik terug") → X.
// - "until / bis / jusqu'au / hasta / fino al / do / till / до … X", "X まで", and the end of a
//   range ("from 5 until 22", "du 5 au 22", "vom 5. bis 22.") → the day after X.
// - "from X" counts only when a back-word follows in the same sentence.
// - A date after a back-word wins, then a date followed by one, then the first "until" date.
// - Everything is read against the writer's own day (the message's Date header), never the
//   processing clock. A date without a year is the one within [−90, +275) days of that day: a
//   stale notice ("until January 15" sent on January 20) keeps its past date and is never rolled
//   into next year. A bare weekday is the next such day after the writer's day; a bare day of the
//   month ("back on the 22nd") the nearest such day (matching its weekday when one is given).
import type { Lang } from './auto-reply-phrases.ts';
import { findMentions, RANGE_WORDS } from './date-mentions.ts';
import type { Mention } from './date-mentions.ts';

/** The writer's calendar day. */
export interface CalendarDay {
  y: number;
  m: number;
  d: number;
}

const DAY_MS = 86_400_000;

/** The calendar day of an instant at a UTC offset in minutes (the Date header's own offset). */
export function calendarDay(at: Date, offsetMinutes = 0): CalendarDay {
  const t = new Date(at.getTime() + offsetMinutes * 60_000);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const utc = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d);
const valid = (y: number, m: number, d: number): boolean => new Date(utc(y, m, d)).getUTCDate() === d;

// \b in these cue words must see letters beyond ASCII ("até", "до").
const B = String.raw`(?:(?<![\p{L}\p{N}])(?=[\p{L}\p{N}])|(?<=[\p{L}\p{N}])(?![\p{L}\p{N}]))`;
const cue = (re: RegExp): RegExp => new RegExp(re.source.replaceAll('\\b', B), 'gu');

const RETURN_BEFORE = cue(
  /\b(back|return|returning|returns|in the office (on|from)|available (again )?(on|from)|reachable (again )?(on|from))\b|wieder|zurück|de retour|retour|rentre|reviendrai|de vuelta|de regreso|regreso|regresaré|volveré|me reincorporo|de volta|retorno|retornarei|regressarei|voltarei|rientro|rientrerò|di ritorno|tornerò|terug|weer (aanwezig|op kantoor|bereikbaar)|wracam|powrócę|z powrotem|powrót|tillbaka|åter|tilbage|tilbake|palaan|takaisin|vrátím se|zpět|návrat|döneceğim|dönüş|вернусь|возвращаюсь|выйду|буду на месте/,
);
const UNTIL_BEFORE = cue(
  /\b(until|till|til|through|thru)\b|\bbis\b|jusqu['’]?\s*(au|à|a)|\bhasta\b|fino (al|a)|sino al|tot en met|t\/m|\baté\b|\baż do\b|t\.o\.m\.?|til og med/,
);
// Short words that mean "until" only right before the date ("do 5 stycznia", "до 5 января", "tot 8 januari").
const UNTIL_ADJACENT = cue(/(\bdo|\bдо|\bпо|\btot|\btil)(\s+dnia)?\s*$/);
// "from X" only means "back from X" when a back-word follows in the same sentence.
const FROM_BEFORE = cue(/\bab\b|\bvanaf\b|à partir d|a partir d|\bdesde\b|\bfrom\b|\bstarting\b|\bas of\b|\bdal\b|dès le|\bod\b|\bfrån\b|\bfra\b|\bс\b|\bсо\b/);
const BACK_AFTER =
  /wieder|zurück|erreichbar|im büro|terug|\bweer\b|aanwezig|\bback\b|de retour|de vuelta|de volta|disponible|disponível|in ufficio|en la oficina|no escritório|w biurze|na kontoret|på kontoret|toimistolla|v kanceláři|ofiste|в офисе|rientr|tillbaka|tilbage|tilbake|palaan|döneceğim|вернусь|出社|戻|復帰|返回|回到|上班|복귀|출근|돌아/u;
const UNTIL_AFTER = /^\s*(\([^)]*\))?\s*(まで|为止|為止|까지|asti|saakka|tarihine kadar|kadar|inclusive|einschließlich|inclus)/u;
const RANGE_JOIN = new RegExp(`^\\s*(?:from\\s+)?(?:${RANGE_WORDS})\\s*(?:the\\s+|le\\s+|el\\s+|den\\s+)?$`, 'u');

// 'back': a back-word before the date; 'return': a back-word after it ("ab dem 11. wieder"); 'until': the last day away.
type Kind = 'back' | 'return' | 'until';

function lastMatch(re: RegExp, s: string): RegExpExecArray | undefined {
  re.lastIndex = 0;
  let last: RegExpExecArray | undefined;
  for (let m = re.exec(s); m; m = re.exec(s)) last = m;
  return last;
}

/** The sentence before a date (at most 70 characters). */
function sentenceBefore(text: string, at: number): string {
  const before = text.slice(Math.max(0, at - 70), at);
  const stop = Math.max(before.lastIndexOf('\n\n'), before.search(/[!?。](?!.*[!?。])/u), lastSentenceEnd(before));
  return stop >= 0 ? before.slice(stop + 1) : before;
}

/** Index of the last ". " sentence end that is not a date ("15. Januar") or an abbreviation ("t.o.m. ", "z. B. "). */
function lastSentenceEnd(s: string): number {
  let idx = -1;
  for (const m of s.matchAll(/\.\s/gu)) {
    const token = /\S*$/u.exec(s.slice(0, m.index))![0];
    if (/\d$/u.test(token) || /^(\p{L}{1,2}\.)*\p{L}{1,2}$/u.test(token)) continue;
    idx = m.index;
  }
  return idx;
}

function kindOf(text: string, d: Mention, prev: Mention | undefined, next: Mention | undefined): Kind | undefined {
  if (d.rangeEnd || (prev && RANGE_JOIN.test(text.slice(prev.end, d.start)))) return 'until';
  const before = sentenceBefore(text, d.start);
  const afterFull = text.slice(d.end, d.end + 50);
  // The back-word of "from X … back" must come before the next date ("from Friday 5th, back Monday 22nd").
  const after = (afterFull.split(/[.!?。\n]/u)[0] ?? '').slice(0, next ? next.start - d.end : undefined);
  // A back-word right after the date, before any comma ("1月16日より出社", "11 januari ben ik terug").
  const rightAfter = (afterFull.split(/[,，、.!?。\n]/u)[0] ?? '').slice(0, 25);
  const hits: { at: number; kind: Kind | 'from' }[] = [];
  const r = lastMatch(RETURN_BEFORE, before);
  if (r) hits.push({ at: r.index, kind: 'back' });
  const u = lastMatch(UNTIL_BEFORE, before);
  if (u) hits.push({ at: u.index, kind: 'until' });
  const f = lastMatch(FROM_BEFORE, before);
  if (f) hits.push({ at: f.index, kind: 'from' });
  hits.sort((a, b) => b.at - a.at);
  if (UNTIL_AFTER.test(afterFull) || lastMatch(UNTIL_ADJACENT, before)) return 'until';
  const nearest = hits[0];
  if (nearest?.kind === 'from') return BACK_AFTER.test(after) ? 'return' : undefined;
  if (nearest) return nearest.kind;
  // Verb-final languages and Dutch/German put the verb after the date: "1月16日より出社", "11 januari ben ik terug".
  return BACK_AFTER.test(rightAfter) ? 'return' : undefined;
}

/** The year-less or month-less date nearest the writer's day, as a UTC day (ms), or undefined. */
function resolve(x: Mention, day: CalendarDay, prev: number | undefined): number | undefined {
  const today = utc(day.y, day.m, day.d);
  if (x.m !== undefined && x.d !== undefined) {
    if (x.y !== undefined) return valid(x.y, x.m, x.d) ? utc(x.y, x.m, x.d) : undefined;
    for (const y of [day.y - 1, day.y, day.y + 1]) {
      const t = utc(y, x.m, x.d);
      if (valid(y, x.m, x.d) && t >= today - 90 * DAY_MS && t < today + 275 * DAY_MS) return t;
    }
    return undefined;
  }
  if (x.d !== undefined) {
    // A day of the month: after the range start when there is one, else near the writer's day.
    const from = prev ?? today - 10 * DAY_MS;
    for (let k = -1; k <= 13; k++) {
      const y = day.y + Math.floor((day.m - 1 + k) / 12);
      const m = ((((day.m - 1 + k) % 12) + 12) % 12) + 1;
      const t = utc(y, m, x.d);
      if (!valid(y, m, x.d) || t < from) continue;
      if (x.weekday === undefined || ((new Date(t).getUTCDay() + 6) % 7) + 1 === x.weekday) return t;
    }
    return undefined;
  }
  if (x.weekday !== undefined) {
    const dow = ((new Date(today).getUTCDay() + 6) % 7) + 1;
    return today + (((x.weekday - dow + 6) % 7) + 1) * DAY_MS;
  }
  return undefined;
}

export interface ReturnDate {
  date: string;
  /** The text the date was read from. */
  phrase: string;
}

export interface ReturnDateOptions {
  /** How to read ambiguous a/b/yyyy dates: day-first (default) or month-first. */
  order?: 'dmy' | 'mdy';
  /** Languages of the notice, for chrono-node (English is always read). */
  langs?: readonly Lang[];
}

export function extractReturnDate(text: string, day: CalendarDay, opts: ReturnDateOptions = {}): ReturnDate | undefined {
  const norm = text.slice(0, 4000).normalize('NFKC').toLowerCase();
  const mentions = findMentions(norm, opts.order, opts.langs, new Date(day.y, day.m - 1, day.d, 12));
  let until: ReturnDate | undefined;
  let returns: ReturnDate | undefined;
  let prevAt: number | undefined;
  for (let i = 0; i < mentions.length; i++) {
    const x = mentions[i]!;
    const prev = mentions[i - 1];
    const joined = prev !== undefined && (x.rangeEnd || RANGE_JOIN.test(norm.slice(prev.end, x.start)));
    const at = resolve(x, day, joined ? prevAt : undefined);
    prevAt = at;
    const kind = kindOf(norm, x, prev, mentions[i + 1]);
    if (!kind || at === undefined) continue;
    const phrase = norm.slice(Math.max(0, (joined ? prev!.start : x.start) - 30), x.end).replace(/\s+/g, ' ').trim();
    if (kind === 'back') return { date: new Date(at).toISOString().slice(0, 10), phrase };
    if (kind === 'return') returns ??= { date: new Date(at).toISOString().slice(0, 10), phrase };
    else until ??= { date: new Date(at + DAY_MS).toISOString().slice(0, 10), phrase };
  }
  return returns ?? until;
}
