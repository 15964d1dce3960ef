// The sender's promises: never the same mail twice (even after a crash right after the SMTP server
// accepted it), the daily limit, the minimum spacing, and nothing sent to a prospect who stopped
// being mailable between queueing and sending.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/app/context.ts';
import { planDueEmails, queuePlanned, sendDue } from '../../src/app/mail-send.ts';
import { requireMailbox } from '../../src/app/mailboxes.ts';
import { sendQueued } from '../../src/mail/outbox.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { TallyCli } from '../helpers/cli.ts';
import { count, query } from '../helpers/db.ts';
import { header, startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const CADENCE = `name: Two mails
steps:
  - channel: email
    delay: 0
    name: Hello
    subject: "Hello {{first_name}}"
    template: "Hi {{first_name}}, {{value_item}}."
    value_item: a short note
  - channel: email
    delay: 2
    name: Again
    template: "Hi again {{first_name}}."
    value_item: a follow-up
`;

const MONDAY = Date.parse('2026-03-02T14:00:00Z');
let smtp: SmtpCapture;
const dir = tempDir();

beforeAll(async () => {
  smtp = await startSmtp();
  process.env.TALLY_SECRET_KEY = 'a test key, not the key file';
});
afterAll(async () => {
  delete process.env.TALLY_SECRET_KEY;
  await smtp.stop();
});

/** A workspace with `n` prospects (one company each) enrolled in "Two mails", and a mailbox. */
async function workspace(name: string, n: number, mailbox: string[] = []): Promise<{ cli: TallyCli; store: Store; ctx: (now: number) => Promise<Context> }> {
  const cli = new TallyCli(join(dir, `${name}.db`), new Date(MONDAY).toISOString());
  await cli.ok('init', '--timezone', 'UTC', '--email', 'rep@tally.test', '--user-name', 'Rep');
  const rows = Array.from({ length: n }, (_, i) => `p${i}@c${i}.example,P${i},Co ${i}`).join('\n');
  await cli.ok('import', 'prospects', writeFile(dir, `${name}.csv`, `email,first_name,company\n${rows}\n`));
  await cli.ok('cadence', 'add', writeFile(dir, `${name}.yaml`, CADENCE));
  const ids = query<{ id: number }>(cli.db, 'select id from prospects order by id').map((r) => String(r.id));
  await cli.ok('enroll', ...ids, '--cadence', 'Two mails');
  process.env.TALLY_TEST_PW = 'pw';
  await cli.ok('mailbox', 'add', '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none', '--from', 'rep@tally.test', '--password-env', 'TALLY_TEST_PW', '--min-spacing', '0', ...mailbox);
  const store = await openStore(cli.db);
  afterAll(() => store.close());
  return { cli, store, ctx: (now) => openContext(store, { now: () => now }) };
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

  it('waits the minimum spacing between two mails', async () => {
    const w = await workspace('spacing', 3, ['--min-spacing', '45']);
    const waits: number[] = [];
    const r = await sendDue(await w.ctx(MONDAY), { sleep: async (ms) => void waits.push(ms) });
    expect(r.sender!.sent).toBe(3);
    expect(waits).toEqual([45_000, 45_000]);
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
});
