// Reading the files named on the command line: the CLI owns files, services take their bytes.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { InputFile } from '../app/input-file.ts';
import type { CsvSource } from '../app/csv-stream.ts';
import { TallyError } from '../core/errors.ts';

/** The file's bytes, named as messages name it (its base name); a missing file is an error naming the path. */
export function readInputFile(path: string): InputFile {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
    return { name: basename(path), bytes: readFileSync(path) };
  } catch {
    throw new TallyError(`cannot read ${path}: no such file`, 'not_found', { file: path });
  }
}

/** Chunks of 64 KiB: an import writes each one's rows before reading on, so a server reading one stays responsive. */
const CHUNK = 64 * 1024;

/** A CSV file read from disk as the import goes (never whole in memory); a missing file is an error naming the path. */
export function openCsvSource(path: string, name = basename(path)): CsvSource {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    throw new TallyError(`cannot read ${path}: no such file`, 'not_found', { file: path });
  }
  return { name, size, chunks: () => createReadStream(path, { highWaterMark: CHUNK }) };
}
