// Parsers for numeric options: a bad number is a usage error (exit 2), not a failure deep inside.
import { InvalidArgumentError } from 'commander';

/** A whole number ≥ `min` (commander reports anything else as an invalid argument). */
export function wholeNumber(min = 0): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number${min > 0 ? ` ≥ ${min}` : ' ≥ 0'}.`);
    return n;
  };
}
