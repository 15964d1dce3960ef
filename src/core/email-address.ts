// What Tally accepts as an email address: one shape for imports, mailboxes and accounts. Deliberately
// simpler than RFC 5322 (no quoted local parts, no comments), and never a control character: a NUL
// or an escape sequence in an address ends up in mail headers, logs and terminals.

const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\.]{2,}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]/;
export const MAX_EMAIL_LENGTH = 254;

export function isEmailAddress(text: string): boolean {
  return text.length <= MAX_EMAIL_LENGTH && !CONTROL.test(text) && ADDRESS.test(text);
}
