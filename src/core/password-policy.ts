// What a password must be: long enough, not blank or made of control characters, and not easy to
// guess — judged offline by zxcvbn-ts (common passwords, dictionary words, keyboard patterns,
// repeats, and the person's own name and address). The estimator and its dictionaries load on
// first use, so commands that never check a password never pay for them.
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

import { MAX_PASSWORD, MIN_PASSWORD } from './accounts.ts';

export { MAX_PASSWORD, MIN_PASSWORD };
/** zxcvbn's 0–4 scale: 3 is "safely unguessable: moderate protection from offline slow-hash scenario". */
export const MIN_SCORE = 3;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

let estimator: Promise<ZxcvbnFactory> | null = null;

function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, en] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
    return new ZxcvbnFactory({
      translations: en.translations,
      graphs: common.adjacencyGraphs,
      dictionary: { ...common.dictionary, ...en.dictionary },
    });
  })();
  return estimator;
}

/** Words an attacker would try first for this person: parts of their address and name, and the product. */
function personalWords(inputs: readonly string[]): string[] {
  const words = new Set(['tally', 'tallyapp', 'followup', 'sales']);
  for (const input of inputs) for (const w of input.toLowerCase().split(/[^a-z0-9]+/)) if (w.length >= 3) words.add(w);
  return [...words];
}

/** Why this password is refused, in words a person understands, or null when it is good. */
export async function passwordProblem(password: string, personal: readonly string[] = []): Promise<string | null> {
  if (CONTROL.test(password)) return 'the password must not contain control characters';
  if (password.length > MAX_PASSWORD) return `the password can have at most ${MAX_PASSWORD} characters`;
  if (password.trim().length < MIN_PASSWORD) return `the password needs at least ${MIN_PASSWORD} characters (not counting spaces at either end)`;
  const result = (await loadEstimator()).check(password, personalWords(personal));
  if (result.score >= MIN_SCORE) return null;
  const why = result.feedback.warning ? `${result.feedback.warning.replace(/\.$/, '')}. ` : '';
  const hint = result.feedback.suggestions[0] ?? 'Add a few more words or characters.';
  return `this password is too easy to guess. ${why}${hint}`;
}
