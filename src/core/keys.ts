// The normalised forms Tally matches on: one person per email, one company or cadence per name.

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function nameKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Ids are 32-bit on PostgreSQL: a larger number cannot be an id (and must not be a query error). */
export function asId(ref: string | number): number | null {
  if (typeof ref === 'number') return ref;
  const text = ref.trim();
  return /^\d{1,10}$/.test(text) && Number(text) <= 2_147_483_647 ? Number(text) : null;
}
