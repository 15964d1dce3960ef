// The mail drivers the app's MailDrivers port asks for: SMTP through nodemailer, IMAP through imapflow.
// Both libraries take a good part of a second to load, and most commands (`tally today`, `tally log`)
// never send or read mail: each driver is loaded when first used.
import type { MailDrivers, MailTransport, SentFolder } from '../app/ports/mail.ts';

const smtp = () => import('./smtp.ts');
const imap = () => import('./imap.ts');

/** A promise of the real driver, whose failure is reported by the call that awaits it (never unhandled). */
function later<T>(real: Promise<T>): Promise<T> {
  real.catch(() => undefined);
  return real;
}

export const mailDrivers: MailDrivers = {
  transport(s, opts): MailTransport {
    const real = later(smtp().then((m) => m.smtpTransport(s, opts)));
    return {
      send: async (mail) => (await real).send(mail),
      verify: async () => (await real).verify(),
      close: () => void real.then((t) => t.close(), () => undefined),
    };
  },
  sentFolder(s): SentFolder {
    const real = later(imap().then((m) => new m.SentFolder(s)));
    return {
      name: async () => (await real).name(),
      contains: async (messageId) => (await real).contains(messageId),
      append: async (raw) => (await real).append(raw),
      close: () => void real.then((f) => f.close(), () => undefined),
    };
  },
  async readMailbox(s, fn) {
    const { withImap, mailboxReader } = await imap();
    return withImap(s, (client) => fn(mailboxReader(client)));
  },
};
