// The sender's promises: never the same mail twice (even after a crash right after the SMTP server
// accepted it), an interrupted send settled through the Sent folder (confirmed, or sent again with
// the same Message-ID), dropped connections, the daily limit, the minimum spacing, and nothing sent
// to a prospect who stopped being mailable between queueing and sending.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/app/context.ts';
import { sendDue } from '../../src/app/mail-send.ts';
import { planDueEmails, queuePlanned } from '../../src/app/outbox/render.ts';
import { requireMailbox } from '../../src/app/mailboxes.ts';
import { sendQueued } from '../../src/app/outbox/send.ts';
import { SentFolder } from '../../src/mail/imap.ts';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { TallyCli } from '../helpers/cli.ts';
import { count, query } from '../helpers/db.ts';
import { header, maildirFiler, startSmtp, type SmtpCapture, type SmtpFault } from '../helpers/smtp.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const CADENCE = `name: Two mails
steps:
  - channel: email
    delay: 0
    name: Hello
    subject: "Hello {{first_name}}"
    template: "Hi {{first_name}}, a short note."
    reason: a short note
    sending: automatic
  - channel: email
    delay: 2
    name: Again
    template: "Hi again {{first_name}}."
    reason: a follow-up
    sending: automatic
`;

const MONDAY = Date.parse('2026-03-02T14:00:00Z');
let smtp: SmtpCapture;
/** Plays Gmail: files every mail it accepts into the Sent folder on Dovecot; cuts transactions on demand. */
let filing: SmtpCapture;
let nextFault: SmtpFault | 'connect' | null = null;
let imap: DovecotServer;
const dir = tempDir();

beforeAll(async () => {
  smtp = await startSmtp();
  process.env.TALLY_SECRET_KEY = 'a test key, not the key file';
  imap = await startDovecot({ password: 'pw' });
  // Logging in once makes Dovecot create the user's maildir and its Sent folder.
  const probe = new SentFolder({ host: imap.host, port: imap.port, tls: 'none', user: imap.user, password: 'pw' });
  expect(await probe.name()).toBe('Sent');
  probe.close();
  const file = maildirFiler(join(imap.dir, 'mail', imap.user, '.Sent'));
  filing = await startSmtp({
    onAccepted: (m) => file(m.raw),
    dropConnection: () => {
      if (nextFault !== 'connect') return false;
      nextFault = null;
      return true;
    },
    fault: () => {
      if (nextFault === 'connect') return null;
      const f = nextFault;
      nextFault = null;
      return f;
    },
  });
}, 60_000);
afterAll(async () => {
  delete process.env.TALLY_SECRET_KEY;
  await smtp.stop();
  await filing.stop();
  await imap.stop();
});

/** The mailbox flags for IMAP on the test Dovecot. */
const imapFlags = () => ['--imap-host', imap.host, '--imap-port', String(imap.port), '--imap-tls', 'none', '--imap-user', imap.user];

/** A workspace with `n` prospects (one company each) enrolled in "Two mails", and a mailbox. */
async function workspace(name: string, n: number, mailbox: string[] = [], server: SmtpCapture = smtp): Promise<{ cli: TallyCli; store: Store; ctx: (now: number) => Promise<Context> }> {
  const cli = new TallyCli(join(dir, `${name}.db`), new Date(MONDAY).toISOString());
  await cli.ok('init', '--timezone', 'UTC', '--email', 'rep@tally.test', '--user-name', 'Rep');
  const rows = Array.from({ length: n }, (_, i) => `p${i}@c${i}.example,P${i},Co ${i}`).join('\n');
  await cli.ok('import', 'prospects', writeFile(dir, `${name}.csv`, `email,first_name,company\n${rows}\n`));
  await cli.ok('cadence', 'add', writeFile(dir, `${name}.yaml`, CADENCE));
  const ids = query<{ id: number }>(cli.db, 'select id from prospects order by id').map((r) => String(r.id));
  await cli.ok('enroll', ...ids, '--cadence', 'Two mails');
  process.env.TALLY_TEST_PW = 'pw';
  await cli.ok('mailbox', 'add', '--smtp-host', server.host, '--smtp-port', String(server.port), '--smtp-tls', 'none', '--from', 'rep@tally.test', '--password-env', 'TALLY_TEST_PW', '--min-spacing', '0', ...mailbox);
  const store = await openStore(cli.db);
  afterAll(() => store.close());
  return { cli, store, ctx: (now) => openContext(runtimeFor(store), { now: () => now }) };
}

const sentTo = (prefix: string) => smtp.mails.filter((m) => m.to.some((t) => t.endsWith(prefix)));

describe('crash safety', () => {
  it('a crash right after the SMTP server accepted a mail never leads to a second send', async () => {
    const w = await workspace('crash', 1);
    const ctx = await w.ctx(MONDAY);
    await expect(
      sendDue(ctx, {
        afterAccepted: () => {
          throw new Error('simulated crash after SMTP acceptance');
        },
      }),
    ).rejects.toThrow('simulated crash');
    expect(sentTo('@c0.example')).toHaveLength(1);
    expect(query(w.cli.db, 'select status, attempts from outbox')).toEqual([{ status: 'sending', attempts: 1 }]);
    expect(count(w.cli.db, 'touches')).toBe(0);

    // Restarted at once: the row is still within its lease (another sender may be on it): left alone.
    const again = await sendDue(await w.ctx(MONDAY + 1000));
    expect(again.sender).toMatchObject({ sent: 0, recovered: 0 });
    expect(sentTo('@c0.example')).toHaveLength(1);

    // After the lease: settled as sent (unconfirmed), the touch logged once, nothing sent again.
    const later = await sendDue(await w.ctx(MONDAY + 10 * 60_000));
    expect(later.sender).toMatchObject({ sent: 0, recovered: 1 });
    expect(sentTo('@c0.example')).toHaveLength(1);
    const row = query<{ status: string; smtp_response: string; message_id: string }>(w.cli.db, 'select * from outbox')[0]!;
    expect(row.status).toBe('sent');
    expect(row.smtp_response).toMatch(/^unconfirmed/);
    expect(query(w.cli.db, "select outcome, message_id from touches")).toEqual([{ outcome: 'sent', message_id: row.message_id }]);
    expect(header(sentTo('@c0.example')[0]!.raw, 'Message-ID')).toBe(row.message_id);
    expect(query(w.cli.db, 'select step_index, status from enrollments')).toEqual([{ step_index: 1, status: 'active' }]);
    // And once more for good measure: nothing.
    await sendDue(await w.ctx(MONDAY + 20 * 60_000));
    expect(sentTo('@c0.example')).toHaveLength(1);
    expect(count(w.cli.db, 'touches')).toBe(1);
  });

  it('a crash after the touch was logged but before the row was marked sent logs nothing twice', async () => {
    const w = await workspace('crash2', 1);
    await sendDue(await w.ctx(MONDAY));
    expect(count(w.cli.db, 'touches')).toBe(1);
    // What the database looks like if the process died between the touch and the row update.
    const { default: Database } = await import('better-sqlite3');
    const conn = new Database(w.cli.db);
    conn.prepare("update outbox set status = 'sending', sent_at = null").run();
    conn.close();
    const before = smtp.mails.length;
    const r = await sendDue(await w.ctx(MONDAY + 10 * 60_000));
    expect(r.sender).toMatchObject({ sent: 0, recovered: 1 });
    expect(smtp.mails.length).toBe(before);
    expect(count(w.cli.db, 'touches')).toBe(1);
    expect(query(w.cli.db, 'select step_index from enrollments')).toEqual([{ step_index: 1 }]);
  });
});

describe('confirmation through the Sent folder', () => {
  const LEASE = 10 * 60_000;
  const rows = (db: string) => query<{ status: string; attempts: number; message_id: string; smtp_response: string | null; error: string | null }>(db, 'select status, attempts, message_id, smtp_response, error from outbox order by id');

  it('a send interrupted before the server accepted it is sent again, with the same Message-ID, once', async () => {
    const w = await workspace('sent-missing', 1, [...imapFlags(), '--no-append-sent'], filing);
    const ctx = await w.ctx(MONDAY);
    await queuePlanned(ctx, await planDueEmails(ctx));
    // What a sender killed between its claim and the SMTP call leaves behind.
    const { default: Database } = await import('better-sqlite3');
    const conn = new Database(w.cli.db);
    conn.prepare('update outbox set status = ?, attempts = 1, sending_at = ?').run('sending', MONDAY);
    conn.close();
    const id = rows(w.cli.db)[0]!.message_id;
    expect((await sendDue(await w.ctx(MONDAY + 1000))).sender).toMatchObject({ sent: 0, recovered: 0 });
    const r = await sendDue(await w.ctx(MONDAY + LEASE));
    expect(r.sender).toMatchObject({ sent: 1, recovered: 1, recovery: { requeued: 1, confirmed: 0, unconfirmed: 0 } });
    expect(filing.received.get(id)).toBe(1);
    expect(rows(w.cli.db)).toMatchObject([{ status: 'sent', attempts: 2, message_id: id }]);
    expect(query(w.cli.db, 'select outcome, message_id from touches')).toEqual([{ outcome: 'sent', message_id: id }]);
  });

  it('a send the server accepted before the crash is confirmed from Sent, logged once, not sent again', async () => {
    const w = await workspace('sent-found', 1, [...imapFlags(), '--no-append-sent'], filing);
    await expect(
      sendDue(await w.ctx(MONDAY), {
        afterAccepted: () => {
          throw new Error('simulated crash after SMTP acceptance');
        },
      }),
    ).rejects.toThrow('simulated crash');
    const id = rows(w.cli.db)[0]!.message_id;
    expect(count(w.cli.db, 'touches')).toBe(0);
    const r = await sendDue(await w.ctx(MONDAY + LEASE));
    expect(r.sender).toMatchObject({ sent: 0, recovered: 1, recovery: { confirmed: 1 } });
    expect(filing.received.get(id)).toBe(1);
    expect(rows(w.cli.db)[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(rows(w.cli.db)[0]!.smtp_response).toMatch(/^confirmed: found in Sent/);
    expect(query(w.cli.db, 'select outcome, message_id from touches')).toEqual([{ outcome: 'sent', message_id: id }]);
    expect(query(w.cli.db, 'select step_index from enrollments')).toEqual([{ step_index: 1 }]);
  });

  it('a connection dropped before the message was read is retried; one dropped after is settled through Sent', async () => {
    const send = async (w: { ctx: (now: number) => Promise<Context> }, at: number, fault: typeof nextFault) => {
      nextFault = fault;
      return (await sendDue(await w.ctx(at), { retryMs: 1000 })).sender;
    };
    // Hung up before the greeting: nothing of the mail left Tally, so it is simply tried again
    // (nodemailer's pool dials a new connection for it at once): one copy, no uncertainty.
    const refused = await workspace('drop-connect', 1, [...imapFlags(), '--no-append-sent'], filing);
    expect(await send(refused, MONDAY, 'connect')).toMatchObject({ sent: 1, uncertain: 0, recovered: 0 });
    expect(rows(refused.cli.db)[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(filing.received.get(rows(refused.cli.db)[0]!.message_id)).toBe(1);

    // Accepted, but the server hangs up before its reply; and two the server never accepted.
    const cases = [
      { fault: 'after-data', settled: { confirmed: 1 }, attempts: 1 },
      { fault: 'after-data-lost', settled: { requeued: 1 }, attempts: 2 },
      { fault: 'mid-data', settled: { requeued: 1 }, attempts: 2 },
    ] as const;
    for (const c of cases) {
      const w = await workspace(`drop-${c.fault}`, 1, [...imapFlags(), '--no-append-sent'], filing);
      expect(await send(w, MONDAY, c.fault)).toMatchObject({ sent: 0, uncertain: 1 });
      const row = rows(w.cli.db)[0]!;
      expect(row).toMatchObject({ status: 'sending', attempts: 1 });
      expect(row.error).toMatch(/^uncertain: /);
      expect(filing.received.get(row.message_id)).toBe(c.fault === 'after-data' ? 1 : undefined);
      expect(await send(w, MONDAY + 2000, null)).toMatchObject({ sent: 0, recovered: 0 }); // within the lease: left alone
      const later = await send(w, MONDAY + LEASE, null);
      expect(later).toMatchObject({ recovery: c.settled, recovered: 1 });
      expect(rows(w.cli.db)[0]).toMatchObject({ status: 'sent', attempts: c.attempts, message_id: row.message_id });
      expect(filing.received.get(row.message_id)).toBe(1);
      expect(count(w.cli.db, 'touches')).toBe(1);
    }
    expect(filing.faults).toMatchObject({ connect: 1, 'after-data': 1, 'after-data-lost': 1, 'mid-data': 1 });
  });

  it('appends its own copy to Sent when the server does not; a copy missing after a crash is unconfirmed, never resent', async () => {
    const w = await workspace('append', 2, [...imapFlags(), '--append-sent']);
    const sent = new SentFolder({ host: imap.host, port: imap.port, tls: 'none', user: imap.user, password: 'pw' });
    afterAll(() => sent.close());
    const r = await sendDue(await w.ctx(MONDAY), { limit: 1 });
    expect(r.sender).toMatchObject({ sent: 1 });
    const [first, second] = rows(w.cli.db);
    expect(await sent.contains(first!.message_id)).toBe(true);
    expect(header(smtp.mails.find((m) => header(m.raw, 'Message-ID') === first!.message_id)!.raw, 'Subject')).toBe('Hello P0');
    // The second: the process dies after its claim; Tally's copy would only have been filed after acceptance.
    const { default: Database } = await import('better-sqlite3');
    const conn = new Database(w.cli.db);
    conn.prepare('update outbox set status = ?, attempts = 1, sending_at = ? where id = (select max(id) from outbox)').run('sending', MONDAY);
    conn.close();
    const before = smtp.mails.length;
    const later = await sendDue(await w.ctx(MONDAY + LEASE));
    expect(later.sender).toMatchObject({ sent: 0, recovery: { unconfirmed: 1, requeued: 0 } });
    expect(smtp.mails.length).toBe(before);
    expect(rows(w.cli.db)[1]).toMatchObject({ status: 'sent', message_id: second!.message_id });
    expect(rows(w.cli.db)[1]!.smtp_response).toMatch(/^unconfirmed: not in Sent/);
    expect(count(w.cli.db, 'touches')).toBe(2);
  });
});

describe('limits', () => {
  it('stops at the daily limit and carries on the next day', async () => {
    const w = await workspace('limit', 5, ['--daily-limit', '3']);
    const before = smtp.mails.length;
    const r = await sendDue(await w.ctx(MONDAY));
    expect(r.sender).toMatchObject({ sent: 3, remaining: 2, stoppedBy: 'daily_limit', sentToday: 3 });
    expect(smtp.mails.length - before).toBe(3);
    const same = await sendDue(await w.ctx(MONDAY + 3_600_000));
    expect(same.sender).toMatchObject({ sent: 0, remaining: 2, stoppedBy: 'daily_limit' });
    const tuesday = await sendDue(await w.ctx(MONDAY + 86_400_000));
    expect(tuesday.sender).toMatchObject({ sent: 2, remaining: 0 });
    expect(smtp.mails.length - before).toBe(5);
  });

  it('waits the minimum spacing between two mails, plus a jitter of up to half of it for each gap', async () => {
    const w = await workspace('spacing', 3, ['--min-spacing', '45']);
    const waits: number[] = [];
    const r = await sendDue(await w.ctx(MONDAY), { sleep: async (ms) => void waits.push(ms), random: () => 0 });
    expect(r.sender!.sent).toBe(3);
    expect(waits).toEqual([45_000, 45_000]);
    // A seeded source: the first mail of a fresh mailbox waits for nothing; then 45 s × (1 + 0.5 × r) per gap.
    const drawn = [0.5, 0.2, 0.9, 0.5];
    const jittered = await workspace('jitter', 3, ['--min-spacing', '45']);
    const jitterWaits: number[] = [];
    await sendDue(await jittered.ctx(MONDAY), { sleep: async (ms) => void jitterWaits.push(ms), random: () => drawn.shift()! });
    expect(jitterWaits).toEqual([49_500, 65_250]);
    const w2 = await workspace('spacing2', 3, ['--min-spacing', '45']);
    const r2 = await sendDue(await w2.ctx(MONDAY), { wait: false });
    expect(r2.sender).toMatchObject({ sent: 1, remaining: 2, stoppedBy: 'spacing' });
  });

  it('holds mail outside the sending window (weekends)', async () => {
    const w = await workspace('window', 2);
    // Saturday: no email on weekends.
    const saturday = await sendDue(await w.ctx(Date.parse('2026-03-07T14:00:00Z')));
    expect(saturday.planned.every((p) => p.status === 'held')).toBe(true);
    expect(saturday.planned[0]!.reasons.join(' ')).toMatch(/weekend|Saturday|business day/i);
    expect(saturday.sender!.sent).toBe(0);
  });

  it('a mail queued before the prospect replied is cancelled, not sent', async () => {
    const w = await workspace('cancel', 1);
    const ctx = await w.ctx(MONDAY);
    await queuePlanned(ctx, await planDueEmails(ctx));
    await w.cli.ok('log', 'p0@c0.example', '--channel', 'call', '--outcome', 'replied');
    const before = smtp.mails.length;
    const r = await sendQueued(ctx, await requireMailbox(ctx));
    expect(r).toMatchObject({ sent: 0, cancelled: 1 });
    expect(smtp.mails.length).toBe(before);
    expect(query<{ status: string; error: string }>(w.cli.db, 'select status, error from outbox')[0]!.error).toMatch(/cancelled: enrollment replied/);
  });

  it('a touch logged by hand as opted out opts the prospect out everywhere and cancels their queued mail at once', async () => {
    const w = await workspace('manual-opt-out', 2);
    const ctx = await w.ctx(MONDAY);
    expect(await queuePlanned(ctx, await planDueEmails(ctx))).toBe(2);
    await w.cli.ok('log', 'p0@c0.example', '--channel', 'call', '--outcome', 'opted_out', '--note', 'asked not to be contacted');
    // The same path as an unsubscribe link or a complaint: nothing waits for the sender to notice.
    expect(query(w.cli.db, 'select p.email, o.status, o.error from outbox o join prospects p on p.id = o.prospect_id order by p.email')).toEqual([
      { email: 'p0@c0.example', status: 'failed', error: 'cancelled: opted out' },
      { email: 'p1@c1.example', status: 'queued', error: null },
    ]);
    expect(query(w.cli.db, "select status from enrollments e join prospects p on p.id = e.prospect_id where p.email = 'p0@c0.example'")).toEqual([{ status: 'opted_out' }]);
    expect(query<{ opted_out_at: number | null }>(w.cli.db, "select opted_out_at from prospects where email = 'p0@c0.example'")[0]!.opted_out_at).not.toBeNull();
    expect(query(w.cli.db, "select channel, outcome, note from touches")).toEqual([{ channel: 'call', outcome: 'opted_out', note: 'asked not to be contacted' }]);
  });
});
