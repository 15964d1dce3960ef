// Mailbox sync on a real inbox (issue 16), against the real Dovecot: 5,000 messages, among them old
// mail from enrolled prospects (a reply, an out-of-office, a bounce, all written before their
// cadence) and, later, one new reply. Old mail never acts; only the candidates are fetched whole.
import Database from 'better-sqlite3';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import type { DovecotServer } from '../helpers/dovecot.ts';
import { noiseMail, rawMail, type InboxMessage } from '../helpers/inbox.ts';
import { MAIL_PASSWORD as PASSWORD, MAIL_USER as USER, mailWorld, twoEmailCadence, type MailWorld } from '../helpers/mail-world.ts';
import { tempDir } from '../helpers/tmp.ts';

const T0 = Date.parse('2026-03-02T14:00:00Z');
const DAY = 24 * 3600_000;
const TOTAL = 5_000;

const CADENCE = twoEmailCadence('Inbox test', 3);

let w: MailWorld;
let imap: DovecotServer;
let cli: TallyCli;
const dir = tempDir();
let id: Record<string, number>;
let inbox: InboxMessage[] = [];

function dsn(recipient: string, date: Date, n: number): Buffer {
  const boundary = `dsn${n}`;
  const body = `--${boundary}\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n--${boundary}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.acme.example\n\nFinal-Recipient: rfc822; ${recipient}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 <${recipient}>: Recipient address rejected: User unknown\n\n--${boundary}--`;
  return rawMail({
    from: 'Mail Delivery System <MAILER-DAEMON@mx.acme.example>', to: USER, subject: 'Undelivered Mail Returned to Sender', date, body,
    messageId: `<dsn.${n}@mx.acme.example>`, headers: { 'Content-Type': `multipart/report; report-type=delivery-status; boundary="${boundary}"`, 'Auto-Submitted': 'auto-replied' },
  });
}

/** The prospects' old mail (before their cadence started) and a role address writing after it. */
function specials(): InboxMessage[] {
  const at = (iso: string) => new Date(iso);
  const mail = (from: string, subject: string, date: Date, body: string, n: number, headers: Record<string, string> = {}) =>
    ({ raw: rawMail({ from, to: USER, subject, date, body, messageId: `<special.${n}@acme.example>`, headers }), arrived: date, candidate: true });
  return [
    mail('Amy Adams <amy@acme.example>', 'Re: lunch next week', at('2025-06-12T10:00:00Z'), 'Sounds good, see you Tuesday.', 1),
    mail('Amy Adams <amy@acme.example>', 'Out of office: lunch', at('2025-08-01T08:00:00Z'), 'I am out of the office until 15 August 2025.', 2, { 'Auto-Submitted': 'auto-replied' }),
    { raw: dsn('amy@acme.example', at('2025-09-01T09:00:00Z'), 3), arrived: at('2025-09-01T09:00:00Z'), candidate: true },
    mail('Ben Brown <ben@globex.example>', 'Re: our call', at('2025-05-20T16:00:00Z'), 'Thanks, talk soon.', 4),
    // After the cadence started, from the prospect's company but a role address: never Amy.
    mail('Acme Info <info@acme.example>', 'Thanks for contacting Acme', new Date(T0 + 3 * 3600_000), 'We have received your message and will answer soon.', 5),
  ];
}

beforeAll(async () => {
  w = await mailWorld(dir, { people: 'email,first_name,last_name,company\namy@acme.example,Amy,Adams,Acme\nben@globex.example,Ben,Brown,Globex\n', cadence: CADENCE, cadenceName: 'Inbox test', now: new Date(T0).toISOString() });
  ({ cli, imap, id } = w);
  await cli.ok('send');
  // 5,000 messages over 14 months up to a day after the cadence started: about a tenth arrive after it.
  const extra = specials();
  const start = Date.parse('2025-01-01T00:00:00Z');
  const span = T0 + DAY - start;
  const noise = Array.from({ length: TOTAL - extra.length }, (_, i) => noiseMail(i, new Date(start + Math.floor((span * i) / (TOTAL - extra.length))), USER, { bigEvery: 250 }));
  inbox = [...noise, ...extra];
  expect(imap.fill(inbox)).toBe(TOTAL);
}, 180_000);

afterAll(async () => {
  await w?.stop();
});

const enrollment = (who: string) => query<{ status: string; reason: string | null }>(cli.db, 'select status, reason from enrollments where prospect_id = ?', id[who])[0]!;
const inboundRows = () => query<{ from_address: string; action: string; prospect_id: number | null; written_at: number }>(cli.db, 'select from_address, action, prospect_id, written_at from inbound_messages order by id');
const candidates = (from: number, to: number) => inbox.filter((m) => m.candidate && m.arrived.getTime() >= from && m.arrived.getTime() < to).length;

interface Report { read: number; fetched: number; skipped: number; applied: number; duplicates: number; history: number; rescan: boolean; bytes: { headers: number; sources: number } }

describe('sync on a 5,000-message inbox', () => {
  it('a first sync reads only mail that arrived since the mailbox was connected, and fetches only the candidates whole', async () => {
    cli.at(new Date(T0 + 2 * DAY).toISOString());
    const r = await cli.json<Report>('sync');
    // IMAP SINCE is by day: the server hands over the day before too; those are dropped from their headers.
    expect(r.read).toBeLessThan(TOTAL / 5);
    expect(r.fetched).toBe(candidates(T0, Infinity));
    expect(r.read).toBe(r.fetched + r.skipped + r.duplicates);
    expect(inboundRows().every((m) => m.written_at >= T0)).toBe(true);
    expect(enrollment('amy').status).toBe('active');
    // The role address of Amy's company does not stand for Amy.
    expect(inboundRows().find((m) => m.from_address === 'info@acme.example')).toMatchObject({ action: 'unmatched', prospect_id: null });
    expect((await cli.json<{ lastSync: Report }[]>('mailbox', 'list'))[0]!.lastSync).toMatchObject({ read: r.read, fetched: r.fetched, skipped: r.skipped });
  });

  it('moved back, it reads the older mail: matches written before the cadence are history, never acted on', async () => {
    expect(await cli.ok('mailbox', 'read-since', '2025-01-01')).toContain('reads mail since 1 Jan 2025 00:00');
    const r = await cli.json<Report>('sync');
    expect(r.read).toBe(TOTAL);
    // Only the candidates not read before are fetched whole; the rest come from their headers.
    expect(r.fetched).toBe(candidates(0, T0));
    expect(r.skipped).toBe(inbox.filter((m) => !m.candidate).length);
    expect(r.bytes.sources).toBeLessThan(r.bytes.headers);
    expect(r.applied).toBe(0);
    expect(r.history).toBe(4);
    expect(enrollment('amy').status).toBe('active');
    expect(enrollment('ben').status).toBe('active');
    expect(query(cli.db, 'select email_status from prospects where id = ?', id.amy)[0]).toEqual({ email_status: 'ok' });
    expect(query(cli.db, "select count(*) as n from touches where outcome = 'replied'")[0]).toEqual({ n: 0 });
    const amy = await cli.ok('show', String(id.amy));
    expect(amy).toContain('wrote on 12 Jun 2025 — Re: lunch next week (before the cadence: not acted on)');
  });

  it('a new reply is applied on the next sync, alone', async () => {
    const sent = query<{ message_id: string }>(cli.db, 'select message_id from outbox where prospect_id = ?', id.amy)[0]!.message_id;
    const date = new Date(T0 + 2 * DAY + 3600_000);
    const c = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
    await c.connect();
    await c.append('INBOX', rawMail({ from: 'Amy Adams <amy@acme.example>', to: USER, subject: 'Re: Hello Amy', date, body: 'Yes, let us talk on Thursday.', messageId: '<new.reply@acme.example>', headers: { 'In-Reply-To': sent, References: sent } }), [], date);
    await c.logout();
    cli.at(new Date(T0 + 3 * DAY).toISOString());
    const r = await cli.json<Report>('sync');
    expect(r).toMatchObject({ read: 1, fetched: 1, skipped: 0, applied: 1 });
    expect(enrollment('amy').status).toBe('replied');
    expect(enrollment('ben').status).toBe('active');
  });

  it('a UIDVALIDITY change rescans from "read mail since" and applies nothing again', async () => {
    const before = ['enrollments', 'touches', 'prospects', 'inbound_messages'].map((t) => query(cli.db, `select * from ${t} order by id`));
    const conn = new Database(cli.db);
    conn.prepare(`update mailboxes set sync_state = '{"INBOX":{"uidValidity":"1","lastUid":99999}}'`).run();
    conn.close();
    const r = await cli.json<Report>('sync');
    expect(r.rescan).toBe(true);
    expect(r.read).toBe(TOTAL + 1);
    expect(r).toMatchObject({ fetched: 0, applied: 0 });
    expect(['enrollments', 'touches', 'prospects', 'inbound_messages'].map((t) => query(cli.db, `select * from ${t} order by id`))).toEqual(before);
  });
});
