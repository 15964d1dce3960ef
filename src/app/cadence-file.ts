// Reading a cadence file's text (YAML or JSON) with errors that name the line and the field.
import { LineCounter, parseDocument, isNode } from 'yaml';
import { validateCadence } from '../core/cadence.ts';
import { issueInWords } from '../core/validation.ts';
import type { CadenceDefinition } from '../core/types.ts';
import { TallyError } from '../core/errors.ts';

/** Parses YAML or JSON text (JSON is YAML) and validates it as a cadence. */
export function parseCadenceText(text: string, file: string): CadenceDefinition {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = lines.linePos(e.pos[0]).line;
    throw new TallyError(`not valid YAML/JSON: ${e.message.split('\n')[0]}`, 'invalid_cadence', { file, line });
  }
  const result = validateCadence(doc.toJS());
  if (result.ok) return result.value;
  const located = result.issues.map((issue) => {
    // Point at the deepest node that exists: a missing field is reported on its parent.
    let line: number | undefined;
    for (let n = issue.path.length; n >= 0 && line === undefined; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(issue.path.slice(0, n), true);
      if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
    }
    return { line, message: issueInWords(issue.path, issue.message) };
  });
  // The file and line point at the place; the words say which step and field ("Step 2: the delay…").
  const first = located[0]!;
  const rest = located.slice(1).map((l) => `\n  ${file}${l.line ? `:${l.line}` : ''}: ${l.message}`).join('');
  throw new TallyError(`${first.message}${rest}`, 'invalid_cadence', { file, line: first.line });
}
