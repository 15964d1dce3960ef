// A CSV file read in chunks, as records: the bytes decoded as they come (CsvDecoder), the text cut after
// the last newline outside quotes, and each piece parsed by PapaParse with the delimiter of the file's
// first lines. Memory holds a chunk and one partial record whatever the size of the file, and the
// caller gets a turn between pieces (an import writes each piece before the next is read).
import { TallyError } from '../core/errors.ts';
import { CsvDecoder } from './csv-text.ts';
import { csvRecords, guessDelimiter, type CsvRecord } from './csv-records.ts';

/** A CSV file as an import reads it: its name (for messages), its size and its bytes in chunks. Adapters open it. */
export interface CsvSource {
  name: string;
  size: number;
  chunks(): AsyncIterable<Uint8Array>;
}

/** A CSV file already in memory (a test, a small upload), as one chunk. */
export function csvSourceOf(name: string, bytes: Uint8Array): CsvSource {
  return {
    name,
    size: bytes.length,
    async *chunks() {
      yield bytes;
    },
  };
}

export interface CsvPiece {
  records: CsvRecord[];
  /** Bytes of the file read so far. */
  bytes: number;
}

/** Text enough to guess the delimiter from (PapaParse looks at the first lines). */
const GUESS_CHARS = 64 * 1024;
/** One record longer than this is a quoted field never closed, not data. */
const MAX_RECORD_CHARS = 1024 * 1024;
const QUOTE = 0x22;
const NEWLINE = 0x0a;

/** Cuts text into pieces of whole records, following quotes as PapaParse does (a quote opens a field only at its start). */
class RecordSplitter {
  private text = '';
  private scanned = 0;
  private inQuotes = false;
  private fieldStart = true;
  private linesBefore = 0;
  private readonly delimiter: number;

  constructor(
    private readonly file: string,
    private readonly delimiterText: string,
  ) {
    this.delimiter = delimiterText.charCodeAt(0);
  }

  /** The records complete so far; `final` parses the rest too (where an open quote is reported). */
  push(more: string, final: boolean): CsvRecord[] {
    this.text += more;
    const cut = final ? this.text.length : this.boundary();
    if (cut === 0) {
      if (this.text.length > MAX_RECORD_CHARS) {
        throw new TallyError('malformed CSV: a record runs past 1 MiB (a quoted field is never closed?)', 'malformed_csv', { file: this.file, line: this.linesBefore + 1 });
      }
      return [];
    }
    const piece = this.text.slice(0, cut);
    this.text = this.text.slice(cut);
    this.scanned -= cut;
    const records = csvRecords(piece, this.file, { delimiter: this.delimiterText, linesBefore: this.linesBefore });
    for (let at = piece.indexOf('\n'); at !== -1; at = piece.indexOf('\n', at + 1)) this.linesBefore++;
    return records;
  }

  /** Where the complete records end (just after a newline outside quotes), or 0. */
  private boundary(): number {
    const t = this.text;
    if (!this.inQuotes && t.indexOf('"', this.scanned) === -1) {
      // No quote in the new text (the usual case): the last newline ends the last complete record.
      const nl = t.lastIndexOf('\n');
      if (t.length > this.scanned) {
        const last = t.charCodeAt(t.length - 1);
        this.fieldStart = last === NEWLINE || last === this.delimiter;
      }
      this.scanned = t.length;
      return nl + 1;
    }
    let cut = 0;
    let i = this.scanned;
    for (; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (this.inQuotes) {
        if (c !== QUOTE) continue;
        if (i + 1 === t.length) break; // "" or the closing quote: the next chunk tells
        if (t.charCodeAt(i + 1) === QUOTE) i++;
        else this.inQuotes = false;
      } else if (c === QUOTE && this.fieldStart) {
        this.inQuotes = true;
        this.fieldStart = false;
      } else if (c === NEWLINE) {
        cut = i + 1;
        this.fieldStart = true;
      } else this.fieldStart = c === this.delimiter;
    }
    this.scanned = i;
    return cut;
  }
}

/** The file's records, a piece (up to a chunk's worth) at a time. */
export async function* csvPieces(source: CsvSource, encoding?: string): AsyncGenerator<CsvPiece> {
  const decoder = new CsvDecoder(source.name, encoding);
  let splitter: RecordSplitter | null = null;
  let head = '';
  let bytes = 0;
  const feed = (text: string, final: boolean): CsvRecord[] => {
    if (!splitter) {
      head += text;
      if (head.length < GUESS_CHARS && !final) return [];
      splitter = new RecordSplitter(source.name, guessDelimiter(head.slice(0, GUESS_CHARS)));
      [text, head] = [head, ''];
    }
    return splitter.push(text, final);
  };
  for await (const chunk of source.chunks()) {
    bytes += chunk.length;
    const records = feed(decoder.decode(chunk), false);
    if (records.length) yield { records, bytes };
  }
  const records = feed(decoder.decode(new Uint8Array(0), true), true);
  if (records.length) yield { records, bytes };
}
