// The mail drivers the app's MailDrivers port asks for: SMTP through nodemailer, IMAP through imapflow.
// Both libraries take a good part of a second to load, and most commands (`tally today`, `tally log`)
// never send or read mail: each driver is loaded when first used.
// Every error leaving a driver has the mailbox's password taken out of it (see core/redact.ts).
import type { MailDrivers, MailTransport, SentFolder, ServerLogin } from '../app/ports/mail.ts';
import { SendFailure } from '../app/ports/mail.ts';
import { redactCredentials } from '../core/redact.ts';

const smtp = () => import('./smtp.ts');
const imap = () => import('./imap.ts');

/** A promise of the real driver, whose failure is reported by the call that awaits it (never unhandled). */
function later<T>(real: Promise<T>): Promise<T> {
  real.catch(() => undefined);
  return real;
}

const TEXT_FIELDS = ['message', 'response', 'responseText', 'detail'] as const;

/** The error with every text field the app may store, log or print redacted; a SendFailure keeps its kind. */
export function redactedError(err: unknown, login: ServerLogin): unknown {
  const clean = (text: string) => redactCredentials(text, login);
  if (err instanceof SendFailure) return new SendFailure(err.kind, clean(err.detail));
  if (err === null || typeof err !== 'object') return typeof err === 'string' ? clean(err) : err;
  const e = err as Record<string, unknown>;
  for (const field of TEXT_FIELDS) {
    if (typeof e[field] === 'string') {
      try {
        e[field] = clean(e[field]);
      } catch {
        // A read-only field: the message is rebuilt below.
      }
    }
  }
  if (err instanceof Error && typeof e.message === 'string' && e.message !== clean(e.message)) return new Error(clean(e.message));
  return err;
}

/** Runs a driver call; whatever it throws is redacted first. */
async function guarded<T>(login: ServerLogin, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw redactedError(err, login);
  }
}

export const mailDrivers: MailDrivers = {
  transport(s, opts): MailTransport {
    const real = later(smtp().then((m) => m.smtpTransport(s, opts)));
    return {
      send: (mail) => guarded(s, async () => (await real).send(mail)),
      verify: () => guarded(s, async () => (await real).verify()),
      close: () => void real.then((t) => t.close(), () => undefined),
    };
  },
  sentFolder(s): SentFolder {
    const real = later(imap().then((m) => new m.SentFolder(s)));
    return {
      name: () => guarded(s, async () => (await real).name()),
      contains: (messageId) => guarded(s, async () => (await real).contains(messageId)),
      append: (raw) => guarded(s, async () => (await real).append(raw)),
      close: () => void real.then((f) => f.close(), () => undefined),
    };
  },
  readMailbox: (s, fn) =>
    guarded(s, async () => {
      const { withImap, mailboxReader } = await imap();
      return withImap(s, (client) => fn(mailboxReader(client)));
    }),
};
