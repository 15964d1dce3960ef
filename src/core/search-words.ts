// The words of a search as both engines' indexes hold them: accents taken off ("Ñúñez" → "nunez"),
// lower case, split on anything that is not a letter or a digit ("zoe.schmidt@acme" → zoe,
// schmidt, acme). Each word matches as a prefix; every word must match.

/** At most this many words count: a pasted paragraph stays one cheap query. */
export const MAX_SEARCH_WORDS = 8;

export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

export function searchWords(text: string): string[] {
  const words = foldText(text).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
}
