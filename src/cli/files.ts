// Reading the files named on the command line: the CLI owns files, services take their bytes.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { InputFile } from '../app/input-file.ts';
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
