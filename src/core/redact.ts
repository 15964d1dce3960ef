// Mail servers sometimes echo what a client sent in their error replies, and some clients put the
// login in their messages: a password must never reach a stored error, a log line or a terminal,
// neither as typed nor in the base64 forms SMTP AUTH and IMAP AUTHENTICATE send it in.

export const REDACTED = '••••';

export interface Login {
  user: string;
  password: string;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** Every form a login's secret takes on the wire: plain, base64, AUTH PLAIN ("\0user\0pass", "user\0user\0pass"). */
function secretForms(login: Login): string[] {
  const { user, password } = login;
  if (!password) return [];
  const forms = [password, b64(password), b64(`\0${user}\0${password}`), b64(`${user}\0${user}\0${password}`)];
  // Base64 without its padding, as some servers print it.
  for (const f of forms.slice(1)) forms.push(f.replace(/=+$/, ''));
  // Longest first, so a form that contains another is removed whole.
  return [...new Set(forms)].filter((f) => f.length >= 3).sort((a, b) => b.length - a.length);
}

/** `text` with every form of the login's password replaced by a mask. */
export function redactCredentials(text: string, login: Login): string {
  let out = text;
  for (const form of secretForms(login)) out = out.split(form).join(REDACTED);
  return out;
}
