// CSV injection (OWASP): a spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage
// return as a formula (=HYPERLINK(…) leaks data, =cmd|… runs programs). Every CSV Tally writes
// prefixes such cells with an apostrophe, which spreadsheets show as text; an import takes one
// apostrophe off again, so an export imported back restores every value exactly.

/** A cell a spreadsheet would evaluate, or one already carrying our apostrophes (so the round trip is exact). */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^''*[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The value before neutraliseCell (a cell Tally exported, read back by an import). */
export function restoreCell(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}
