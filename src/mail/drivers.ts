// The mail drivers the app's MailDrivers port asks for: SMTP through nodemailer, IMAP through imapflow.
import type { MailDrivers } from '../app/ports/mail.ts';
import { mailboxReader, SentFolder, withImap } from './imap.ts';
import { smtpTransport } from './smtp.ts';

export const mailDrivers: MailDrivers = {
  transport: (s, opts) => smtpTransport(s, opts),
  sentFolder: (s) => new SentFolder(s),
  readMailbox: (s, fn) => withImap(s, (client) => fn(mailboxReader(client))),
};
