// IN-lists in slices: bound parameters per statement are limited (SQLite 32,766, PostgreSQL 65,535).
export const CHUNK = 500;

export function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
