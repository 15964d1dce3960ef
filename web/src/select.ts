// A <select> hands back text: these turn it into the typed value the contract expects.

/** `value` when it is one of `list`, typed as such; else undefined. */
export function oneOf<T extends string>(list: readonly T[], value: string): T | undefined {
  return list.find((x) => x === value);
}
