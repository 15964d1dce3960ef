// The tally of a prospect: every touch made, drawn the way people count on paper.

/** `||||/ ||` for 7: each complete group of five is four bars struck through by a fifth. */
export function tallyMarks(count: number): string {
  if (!Number.isInteger(count) || count < 0) throw new Error(`tally count must be a whole number ≥ 0, got ${count}`);
  const groups = Math.floor(count / 5);
  const rest = count % 5;
  const parts: string[] = Array.from({ length: groups }, () => '||||/');
  if (rest > 0) parts.push('|'.repeat(rest));
  return parts.join(' ');
}

/** The marks and the count, or words for none: "(no touches yet) 0" read as a broken mark and a zero. */
export function tallyLine(count: number): string {
  return count === 0 ? 'no touches yet' : `${tallyMarks(count)}  ${count}`;
}
