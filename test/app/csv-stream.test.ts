// A CSV read in chunks gives the same records, on the same lines, as the whole text parsed at once,
// wherever the chunks are cut (inside a quoted field, between "" escapes, inside a UTF-8 character,
// between \r and \n), and the same errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvPieces, type CsvSource } from '../../src/app/csv-stream.ts';
import { csvRecords } from '../../src/app/csv-records.ts';
import { decodeCsv } from '../../src/app/csv-text.ts';

/** The bytes cut at the given sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: number[]): CsvSource {
  return {
    name: 'people.csv',
    size: bytes.length,
    async *chunks() {
      for (let at = 0, k = 0; at < bytes.length; k++) {
        const n = sizes[k % sizes.length]!;
        yield bytes.subarray(at, at + n);
        at += n;
      }
    },
  };
}

async function streamed(bytes: Uint8Array, sizes: number[], encoding?: string) {
  const out = [];
  for await (const piece of csvPieces(chunked(bytes, sizes), encoding)) out.push(...piece.records);
  return out;
}

const whole = (bytes: Uint8Array, encoding?: string) => csvRecords(decodeCsv(bytes, 'people.csv', encoding), 'people.csv');

const cell = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', 'a,b', 'say "hi"', 'two\nlines', 'crlf\r\nline', 'Zoë', '€ 5', '日本', '🙂', ' spaced '),
);
const table = fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 12 });

function csvText(rows: string[][], newline: string, delimiter: string): string {
  const quote = (v: string) => (/[",;\r\n]/.test(v) || v !== v.trim() || v === '' ? `"${v.replace(/"/g, '""')}"` : v);
  return `email${delimiter}name${delimiter}note${newline}${rows.map((r) => r.map(quote).join(delimiter)).join(newline)}${newline}`;
}

describe('csvPieces', () => {
  it('gives the records and lines of the whole text, wherever the chunks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(table, fc.constantFrom('\n', '\r\n'), fc.constantFrom(',', ';'), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }), fc.boolean(), async (rows, nl, delim, sizes, bom) => {
        const text = csvText(rows, nl, delim);
        const bytes = new TextEncoder().encode(text);
        const withBom = bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]) : bytes;
        expect(await streamed(withBom, sizes)).toEqual(whole(withBom));
      }),
      { numRuns: 300 },
    );
  });

  it('reads UTF-16 and Windows-1252 in chunks as a whole file', async () => {
    const text = 'email,name\nzoe@x.example,Zoë “Z” Müller\n';
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from(text, 'utf16le'))]);
    expect(await streamed(utf16, [3, 1, 5])).toEqual(whole(utf16));
    const cp1252 = new Uint8Array([...Buffer.from('email,name\nzoe@x.example,Zo', 'latin1'), 0xeb, 0x93, 0x5a, 0x94, 0x0a]);
    expect(await streamed(cp1252, [2, 3], 'windows-1252')).toEqual(whole(cp1252, 'windows-1252'));
  });

  it('reports a bad UTF-8 byte with its offset and line in the whole file, whatever the chunk', async () => {
    const bytes = new Uint8Array([...Buffer.from('email,name\na@x.example,Ann\nb@x.example,B'), 0xe9, ...Buffer.from('b\n')]);
    expect(() => whole(bytes)).toThrow(/byte 0xE9 at offset 40/);
    for (const size of [1, 2, 7, 64]) {
      await expect(streamed(bytes, [size])).rejects.toMatchObject({ message: expect.stringMatching(/byte 0xE9 at offset 40/), where: { line: 3 } });
    }
  });

  it('reports a quote never closed with the line it opens on, and gives up on a record past 1 MiB', async () => {
    const open = new TextEncoder().encode('email,name\nok@x.example,Ok\nkim@x.example,"Kim\nmore\n');
    await expect(streamed(open, [5])).rejects.toMatchObject({ code: 'malformed_csv', where: { line: 3 } });
    const endless = new TextEncoder().encode(`email,name\nkim@x.example,"${'x\n'.repeat(600_000)}`);
    await expect(streamed(endless, [64 * 1024])).rejects.toMatchObject({ code: 'malformed_csv', message: expect.stringMatching(/past 1 MiB/), where: { line: 2 } });
  });
});
