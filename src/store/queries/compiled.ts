// Statements built once: building a query with Kysely and compiling it to SQL costs more JavaScript
// than a small indexed read costs PostgreSQL (profiled on the queue: about 2 ms a call for its
// statements), and the queue sends the same statements every call with other values. Such a
// statement is built once with a slot for each value and compiled; each call puts its values in
// the slots of the compiled parameters. Same SQL text, so nothing else changes.
import type { Compilable, CompiledQuery } from 'kysely';

/** A value to come: where it lands among the compiled parameters says which parameter it is. */
class Slot {
  constructor(readonly name: string) {}
}

/** The SQL of every statement compiled once: an engine may keep their plans (PostgreSQL: named statements). */
const compiledTexts = new Set<string>();

/** Whether `sql` is the text of a statement compiled once (sent again and again with other values). */
export const isCompiledOnce = (sql: string): boolean => compiledTexts.has(sql);

/**
 * `build` once, called with slots in place of the values (they may only be passed to Kysely as
 * values, never computed with: that is checked), and compiled; then each call's statement with
 * `values` in those places.
 */
export function compiledOnce<V extends Record<string, unknown>, R>(build: (values: V) => Compilable<R>): (values: V) => CompiledQuery<R> {
  let compiled: CompiledQuery<R> | undefined;
  return (values) => {
    if (!compiled) {
      const made = new Set<string>();
      const slots = new Proxy({}, { get: (_, name) => (made.add(String(name)), new Slot(String(name))) }) as V;
      compiled = build(slots).compile();
      const placed = new Set(compiled.parameters.filter((p): p is Slot => p instanceof Slot).map((p) => p.name));
      const lost = [...made].filter((name) => !placed.has(name));
      if (lost.length) throw new Error(`compiledOnce: ${lost.join(', ')} did not become a parameter of the statement`);
      compiledTexts.add(compiled.sql);
    }
    return { ...compiled, parameters: compiled.parameters.map((p) => (p instanceof Slot ? values[p.name] : p)) };
  };
}
