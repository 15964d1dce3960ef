// The shape of a validation result shared by every checker in the core (cadences, playbook entries):
// each problem with the path of the field at fault, so adapters can point at a line or an input.
import type { z } from 'zod';

export type Path = (string | number)[];

/** "steps[1].channel": a path as people read it. */
export function fieldPath(path: Path): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p), '');
}

export interface ValidationIssue {
  path: Path;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A zod issue in our words: an unknown field is reported on itself, one issue per field. */
export function issuesOf(i: z.core.$ZodIssue): ValidationIssue[] {
  const path = i.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (i.code === 'unrecognized_keys') return i.keys.map((key) => ({ path: [...path, key], message: `unknown field "${key}"` }));
  return [{ path, message: i.message }];
}

/** How fields are named in a sentence, by their key in a cadence file or a request. */
const FIELD_WORDS: Record<string, string> = {
  channel: 'the channel', delay: 'the delay', name: 'the name', description: 'the description', nurture: 'the nurture cadence',
  reason: 'the reason', value_item: 'the reason', value_item_key: 'the value item', objections: 'the objections',
  objection_tags: 'the objection tags', talking_points: 'the talking points', new_thread: 'new thread', sending: 'sending',
  subject: 'the subject', template: 'the message', script: 'the call script', message: 'the message', instructions: 'the instructions',
  steps: 'the steps', title: 'the title', summary: 'the summary', url: 'the link', tags: 'the tags', answer: 'the answer', objection: 'the objection',
};

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A problem in the words a person reads, from the path of the field at fault:
 * (["steps", 1, "delay"], "the delay must be…") → "Step 2: the delay must be…";
 * (["steps", 0, "channel"], "channel must be one of…") → "Step 1: the channel must be one of…";
 * (["name"], "too long…") → "The name: too long…". Scripts keep the path (`field`) to point at the input.
 */
export function issueInWords(path: Path, message: string): string {
  let rest = path;
  let where = '';
  if (path[0] === 'steps' && typeof path[1] === 'number') {
    where = `Step ${path[1] + 1}`;
    rest = path.slice(2);
  }
  const key = rest.find((p): p is string => typeof p === 'string');
  let text = message.trim();
  if (key !== undefined && !/^unknown field/.test(text)) {
    const words = FIELD_WORDS[key] ?? key.replace(/_/g, ' ');
    const stem = words.replace(/^the /, '').replace(/s$/, '');
    const startsWithKey = new RegExp(`^${key}(\\.[a-z_]+)?\\b`);
    if (startsWithKey.test(text)) text = text.replace(startsWithKey, words);
    else if (!new RegExp(`\\b${key}\\b`).test(text) && !text.toLowerCase().includes(stem.toLowerCase())) text = `${words}: ${text}`;
  }
  return where ? `${where}: ${text}` : capitalise(text);
}

/** Every issue in words, one per line after the first ("…; and 2 more" beyond `max`). */
export function issuesInWords(issues: readonly ValidationIssue[], max = 5): string {
  const lines = issues.slice(0, max).map((i) => issueInWords(i.path, i.message));
  const more = issues.length - lines.length;
  return lines.join('\n') + (more > 0 ? `\n…and ${more} more` : '');
}
