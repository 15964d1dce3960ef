// Text matching that means the same on both engines.
import { sql } from 'kysely';

/** `%text%` for LIKE, lowercased, with %, _ and the backslash taken literally. */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * Case-insensitive "contains": PostgreSQL's LIKE is case-sensitive and SQLite's has no escape
 * character unless the query names one, so both get lower(…) like … escape '\\'.
 */
export function lowerLike(column: string, pattern: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}
