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
