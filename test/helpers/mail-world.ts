// A workspace wired to real mail servers for the email-channel tests: a loopback SMTP server, the
// real Dovecot, one rep whose mailbox points at both, prospects enrolled in a cadence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { TallyCli } from './cli.ts';
import { query } from './db.ts';
import { startDovecot, type DovecotOptions, type DovecotServer } from './dovecot.ts';
import { startSmtp, type SmtpCapture, type SmtpOptions } from './smtp.ts';
import { writeFile } from './tmp.ts';

export const MAIL_USER = 'rep@tally.test';
export const MAIL_PASSWORD = 'imap-secret-pw';

/** A cadence of one email step sent by the jobs (not held for review), due at once. */
export function openerCadence(name: string): string {
  return `name: ${name}
steps:
  - channel: email
    delay: 0
    name: Opener
    subject: "Hello {{first_name}}"
    template: "Hi {{first_name}}, a quick one.\\n\\n{{sender_name}}"
    reason: a benchmark
    sending: automatic
`;
}

/** A cadence of two email steps sent by the jobs (not held for review): an opener now, a follow-up `followUpDays` business days later. */
export function twoEmailCadence(name: string, followUpDays: number): string {
  return `${openerCadence(name)}  - channel: email
    delay: ${followUpDays}
    name: Follow-up
    template: "Hi {{first_name}}, following up.\\n\\n{{sender_name}}"
    reason: the benchmark again
    sending: automatic
`;
}

export interface MailWorld {
  smtp: SmtpCapture;
  imap: DovecotServer;
  cli: TallyCli;
  /** Prospect ids by the local part of their email. */
  id: Record<string, number>;
  stop(): Promise<void>;
}

export interface MailWorldOptions {
  people: string;
  cadence: string;
  cadenceName: string;
  now: string;
  /** More for the SMTP and IMAP servers (e.g. XOAUTH2 logins). */
  smtp?: SmtpOptions;
  dovecot?: DovecotOptions;
  /** Add the rep's password mailbox (default true; false: the test connects one itself). */
  addMailbox?: boolean;
}

/** `people`: a CSV with an email column; all are enrolled in `cadence` (YAML) at `now`, then the mailbox is added. */
export async function mailWorld(dir: string, opts: MailWorldOptions): Promise<MailWorld> {
  const [smtp, imap] = await Promise.all([
    startSmtp({ user: MAIL_USER, password: MAIL_PASSWORD, ...opts.smtp }),
    startDovecot({ user: MAIL_USER, password: MAIL_PASSWORD, ...opts.dovecot }),
  ]);
  process.env.TALLY_TEST_MAIL_PW = MAIL_PASSWORD;
  delete process.env.TALLY_SECRET_KEY;
  const cli = new TallyCli(join(dir, 'mail.db'), opts.now);
  await cli.ok('init', '--timezone', 'UTC', '--email', 'sam@tally.test', '--user-name', 'Sam');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', opts.people));
  await cli.ok('cadence', 'add', writeFile(dir, 'cadence.yaml', opts.cadence));
  const id: Record<string, number> = {};
  for (const r of query<{ id: number; email: string }>(cli.db, 'select id, email from prospects')) id[r.email.split('@')[0]!] = r.id;
  await cli.ok('enroll', ...Object.values(id).map(String), '--cadence', opts.cadenceName);
  const stop = async () => void (await Promise.all([smtp.stop(), imap.stop()]));
  if (opts.addMailbox === false) return { smtp, imap, cli, id, stop };
  await cli.ok(
    'mailbox', 'add',
    '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none',
    '--imap-host', imap.host, '--imap-port', String(imap.port), '--imap-tls', 'none',
    '--user', MAIL_USER, '--from', MAIL_USER, '--from-name', 'Sam Rep', '--min-spacing', '0', '--password-env', 'TALLY_TEST_MAIL_PW',
  );
  return { smtp, imap, cli, id, stop };
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'mail');

/** Puts a mail fixture into the INBOX, its strings replaced, written (and arrived) at `date`. */
export async function deliverFixture(w: MailWorld, file: string, replace: Record<string, string>, date: string): Promise<void> {
  let text = readFileSync(join(FIXTURES, file), 'latin1');
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  text = text.replace(/^Date: .*$/m, `Date: ${new Date(date).toUTCString().replace('GMT', '+0000')}`);
  await deliverRaw(w, Buffer.from(text, 'latin1'), new Date(date));
}

/** Appends one message to the INBOX, arriving at `arrived`. */
export async function deliverRaw(w: MailWorld, raw: Buffer, arrived: Date): Promise<void> {
  const c = new ImapFlow({ host: w.imap.host, port: w.imap.port, secure: false, auth: { user: MAIL_USER, pass: MAIL_PASSWORD }, logger: false });
  await c.connect();
  await c.append('INBOX', raw, [], arrived);
  await c.logout();
}
