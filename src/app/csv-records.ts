// CSV text into records with the line each one starts on, with PapaParse (fast, RFC 4180, and it
// guesses the delimiter, so semicolon files from European spreadsheets import as they are).
import Papa from 'papaparse';
import { TallyError } from '../core/errors.ts';

export interface CsvRecord {
  record: string[];
  /** 1-based line on which the record starts. */
  line: number;
}

function isSpace(ch: number): boolean {
  return ch === 0x20 || ch === 0x09 || ch === 0x0a || ch === 0x0d;
}

export const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter PapaParse sees in the first lines of a text. */
export function guessDelimiter(text: string): string {
  return Papa.parse<string[]>(text, { preview: 20, delimitersToGuess: DELIMITERS }).meta.delimiter;
}

/**
 * Parses the whole text; an unclosed or stray quote is fatal (with its line), blank lines are skipped.
 * A piece of a longer file (see csv-stream.ts) gives its delimiter and the number of lines before it.
 */
export function csvRecords(text: string, file: string, piece: { delimiter?: string; linesBefore?: number } = {}): CsvRecord[] {
  const out: CsvRecord[] = [];
  let prev = 0;
  let newlines = piece.linesBefore ?? 0;
  let fatal: TallyError | null = null;
  Papa.parse<string[]>(text, {
    ...(piece.delimiter ? { delimiter: piece.delimiter } : { delimitersToGuess: DELIMITERS }),
    skipEmptyLines: 'greedy',
    step: (res, parser) => {
      let end = res.meta.cursor;
      while (end > prev && (text.charCodeAt(end - 1) === 0x0a || text.charCodeAt(end - 1) === 0x0d)) end--;
      let i = prev;
      while (i < end && isSpace(text.charCodeAt(i))) if (text.charCodeAt(i++) === 0x0a) newlines++;
      const line = newlines + 1;
      for (let at = text.indexOf('\n', i); at !== -1 && at < end; at = text.indexOf('\n', at + 1)) newlines++;
      prev = end;
      const bad = res.errors.find((e) => e.type === 'Quotes');
      if (bad) {
        const what = bad.code === 'MissingQuotes' ? 'a quoted field is never closed' : 'a quote inside a field is not escaped (write "" for a quote)';
        fatal = new TallyError(`malformed CSV: ${what}`, 'malformed_csv', { file, line });
        parser.abort();
        return;
      }
      out.push({ record: res.data, line });
    },
  });
  if (fatal) throw fatal;
  return out;
}
