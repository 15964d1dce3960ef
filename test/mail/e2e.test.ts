// The email channel end to end over loopback: a real SMTP server (smtp-server, in-process) receives
// what `tally send` sends; a real IMAP server (Dovecot) holds the replies `tally sync` reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Classification } from '../../src/core/inbound/classify.ts';
import { TallyCli } from '../helpers/cli.ts';
import { count, query } from '../helpers/db.ts';
import { startDovecot, type DovecotServer } from '../helpers/dovecot.ts';
import { header, startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'mail');
const PASSWORD = 'imap-secret-pw';
const USER = 'rep@tally.test';

const CADENCE = `name: Mail test
steps:
  - channel: email
    delay: 0
    name: Opener
    subject: "Pipeline at {{company}}, {{first_name}}"
    template: |
      Hi {{first_name}},

      A quick one for {{company}} & you: **a benchmark <of peers>**.

      {{sender_name}}
    reason: a benchmark of peers
    sending: automatic
  - channel: email
    delay: 2
    name: Follow-up
    template: "Hi {{first_name}}, following up on the benchmark.\\n\\n{{sender_name}}"
    reason: the benchmark walked through
    sending: automatic
  - channel: email
    delay: 2
    name: Break-up
    subject: Closing the loop
    new_thread: true
    template: "Last note, {{first_name}}."
    reason: a polite close
`;

const PEOPLE = `email,first_name,last_name,company,title
amy@acme.example,Amy,Adams,Acme,VP Sales
ben@globex.example,Ben,Brown,Globex,CFO
cal@initech.example,Cal,Cole,Initech,CTO
dee@umbrella.example,Dee,Diaz,Umbrella,COO
eli@hooli.example,Eli,Evans,Hooli,Founder
fay@stark.example,Fay,Ford,Stark,Analyst
gil@nowhere.example,Gil,Gray,,CEO
hal@wayne.example,Hal,Hill,Wayne,CIO
`;

let smtp: SmtpCapture;
let imap: DovecotServer;
let cli: TallyCli;
const dir = tempDir();
const id: Record<string, number> = {};

beforeAll(async () => {
  [smtp, imap] = await Promise.all([startSmtp({ user: USER, password: PASSWORD }), startDovecot({ user: USER, password: PASSWORD })]);
  process.env.TALLY_TEST_MAIL_PW = PASSWORD;
  delete process.env.TALLY_SECRET_KEY;
  // Monday 2 March 2026, 14:00 UTC.
  cli = new TallyCli(join(dir, 'mail.db'), '2026-03-02T14:00:00Z');
  await cli.ok('init', '--timezone', 'UTC', '--email', 'sam@tally.test', '--user-name', 'Sam');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', PEOPLE));
  await cli.ok('cadence', 'add', writeFile(dir, 'mail.yaml', CADENCE));
  for (const r of query<{ id: number; email: string }>(cli.db, 'select id, email from prospects')) id[r.email.split('@')[0]!] = r.id;
  await cli.ok('enroll', ...Object.values(id).map(String), '--cadence', 'Mail test');
  await cli.ok(
    'mailbox', 'add',
    '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none',
    '--imap-host', imap.host, '--imap-port', String(imap.port), '--imap-tls', 'none',
    '--user', USER, '--from', USER, '--from-name', 'Sam Rep',
    '--unsubscribe-url', 'https://tally.example/u', '--min-spacing', '0', '--daily-limit', '100',
    '--password-env', 'TALLY_TEST_MAIL_PW',
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([smtp?.stop(), imap?.stop()]);
});

const outbox = (who: string) =>
  query<{ message_id: string; status: string; step_index: number; purpose: string; subject: string }>(cli.db, 'select * from outbox where prospect_id = ? order by step_index', id[who]);
const enrollment = (who: string) => query<{ status: string; reason: string; due_at: number; step_index: number }>(cli.db, 'select * from enrollments where prospect_id = ?', id[who])[0]!;
const mailTo = (who: string) => smtp.mails.filter((m) => m.to.includes(`${who}@${PEOPLE.split('\n').find((l) => l.startsWith(`${who}@`))!.split('@')[1]!.split(',')[0]}`));

describe('sending', () => {
  it('a dry run shows what would go out and what cannot, and sends nothing', async () => {
    const r = await cli.run('send', '--dry-run');
    expect(r.stdout).toContain('Would send: 7');
    expect(r.stdout).toContain('Pipeline at Acme, Amy');
    expect(r.stdout).toMatch(/Needs your words: 1\n\s+Gil Gray\s+gil@nowhere\.example\s+needs your words: \{\{company\}\} \(missing for this prospect\)/);
    expect(smtp.mails).toHaveLength(0);
    expect(count(cli.db, 'outbox')).toBe(0);
  });

  it('sends the due first step, holds the one missing a variable for the rep’s words, and logs each mail as a touch', async () => {
    const r = await cli.run('send');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/gil@nowhere\.example\s+needs your words: \{\{company\}\}/);
    expect(smtp.mails).toHaveLength(7);
    expect(mailTo('gil')).toHaveLength(0);
    expect(count(cli.db, 'outbox', "status = 'sent'")).toBe(7);
    expect(count(cli.db, 'touches', "outcome = 'sent' and channel = 'email' and message_id is not null")).toBe(7);
    expect(enrollment('amy')).toMatchObject({ status: 'active', step_index: 1 });
    expect(enrollment('gil')).toMatchObject({ status: 'active', step_index: 0 });
  });

  it('every mail has the fixed Message-ID, the opt-out footer and RFC 8058 List-Unsubscribe headers', () => {
    const amy = mailTo('amy')[0]!;
    expect(header(amy.raw, 'Message-ID')).toBe(outbox('amy')[0]!.message_id);
    const lu = header(amy.raw, 'List-Unsubscribe')!;
    expect(lu).toMatch(/^<https:\/\/tally\.example\/u\?token=w\d+\.p\d+\.[\w-]{22}>, <mailto:rep@tally\.test\?subject=unsubscribe%20w\d+\.p\d+\.[\w-]{22}>$/);
    expect(header(amy.raw, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(header(amy.raw, 'Subject')).toBe('Pipeline at Acme, Amy');
    const row = query<{ text_body: string; html_body: string }>(cli.db, 'select text_body, html_body from outbox where prospect_id = ?', id.amy)[0]!;
    expect(row.text_body).toContain('A quick one for Acme & you: a benchmark <of peers>.');
    expect(row.text_body).toContain('Not the right time? Reply "unsubscribe" or open https://tally.example/u?token=');
    expect(row.html_body).toContain('A quick one for Acme &amp; you: <strong>a benchmark &lt;of peers&gt;</strong>.');
    expect(row.html_body).toContain('unsubscribe here</a>');
  });

  it('running again sends nothing twice', async () => {
    await cli.run('send');
    expect(smtp.mails).toHaveLength(7);
    expect(count(cli.db, 'outbox')).toBe(7);
  });

  it('threads the follow-up under the first message', async () => {
    cli.at('2026-03-04T14:00:00Z');
    await cli.run('send');
    expect(smtp.mails).toHaveLength(14);
    const [first, second] = mailTo('amy');
    const firstId = header(first!.raw, 'Message-ID')!;
    expect(header(second!.raw, 'In-Reply-To')).toBe(firstId);
    expect(header(second!.raw, 'References')).toBe(firstId);
    expect(header(second!.raw, 'Subject')).toBe('Re: Pipeline at Acme, Amy');
    expect(header(second!.raw, 'Message-ID')).not.toBe(firstId);
  });
});

function fixture(path: string, replace: Record<string, string>): string {
  let text = readFileSync(join(FIXTURES, path), 'latin1');
  for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
  return text;
}

async function deliver(messages: string[]): Promise<void> {
  const c = new ImapFlow({ host: imap.host, port: imap.port, secure: false, auth: { user: USER, pass: PASSWORD }, logger: false });
  await c.connect();
  // Arrival = the message's own Date, so nothing depends on the day the test runs.
  for (const m of messages) await c.append('INBOX', Buffer.from(m, 'latin1'), [], new Date(/^Date: (.*)$/m.exec(m)![1]!.replace(/\(.*\)/, '').trim()));
  await c.logout();
}

function tables(): Record<string, unknown[]> {
  return Object.fromEntries(['enrollments', 'touches', 'prospects', 'outbox', 'inbound_messages'].map((t) => [t, query(cli.db, `select * from ${t} order by id`)]));
}

describe('sync', () => {
  it('applies replies, out-of-office, bounces, complaints and unsubscribes', async () => {
    const first = (who: string) => outbox(who)[0]!.message_id;
    const second = (who: string) => outbox(who)[1]!.message_id;
    const ORIGINAL = '<tally.7f3a9c01@mail.tally-demo.example>';
    await deliver([
      fixture('human/gmail-plain-quotes-our-footer.eml', { [ORIGINAL]: second('amy'), 'jane.park@northwind.example': 'amy@acme.example', 'CAF=reply1@mail.gmail.example': 'amy-reply@acme.example' }),
      fixture('auto-reply/en-exchange-automatic-reply.eml', { [ORIGINAL]: first('ben'), 'jane.park@northwind.example': 'ben@globex.example' }),
      fixture('bounce/postfix-dsn-user-unknown.eml', { [ORIGINAL]: second('cal'), 'j.doe@northwind.example': 'cal@initech.example' }),
      fixture('bounce/postfix-dsn-mailbox-full.eml', { '<tally.0b11d2e7@mail.tally-demo.example>': second('dee'), 'bill@fabrikam.example': 'dee@umbrella.example' }),
      fixture('feedback/yahoo-arf-abuse.eml', { '<tally.arf00001@mail.tally-demo.example>': first('eli'), 'annoyed.prospect@yahoo.example': 'eli@hooli.example' }),
      fixture('unsubscribe/en-please-unsubscribe-gmail.eml', { [ORIGINAL]: second('fay'), 'jane.park@northwind.example': 'fay@stark.example', 'CAF=reply1@mail.gmail.example': 'fay-unsub@stark.example' }),
      fixture('other/newsletter-list-unsubscribe.eml', {}),
    ]);
    cli.at('2026-03-05T09:00:00Z');
    const out = await cli.ok('sync');
    expect(out).toContain('INBOX: 7 new messages');

    expect(enrollment('amy')).toMatchObject({ status: 'replied', due_at: null });
    expect(count(cli.db, 'touches', "prospect_id = ? and outcome = 'replied' and channel = 'email'", id.amy)).toBe(1);
    // The reply heads the rep's queue until the rep answers it.
    const queue = await cli.json<{ replies: { prospectId: number }[] }>('today');
    expect(queue.replies.map((r) => r.prospectId)).toEqual([id.amy]);
    expect(await cli.ok('today')).toMatch(/^Replies waiting \(1\) — answer these first:\n {2}#\d+ .*replied/);

    const ben = enrollment('ben');
    expect(ben.status).toBe('snoozed');
    expect(ben.reason).toContain('out of office until 2027-01-16');
    expect(Number(ben.due_at)).toBeGreaterThanOrEqual(Date.parse('2027-01-18T00:00:00Z'));

    expect(enrollment('cal')).toMatchObject({ status: 'bounced' });
    expect(query(cli.db, 'select email_status from prospects where id = ?', id.cal)[0]).toEqual({ email_status: 'bad' });

    expect(enrollment('dee').status).toBe('active');
    expect(outbox('dee')[1]).toMatchObject({ status: 'queued', purpose: 'retry' });

    for (const who of ['eli', 'fay']) {
      expect(enrollment(who)).toMatchObject({ status: 'opted_out' });
      expect(query<{ opted_out_at: number | null }>(cli.db, 'select opted_out_at from prospects where id = ?', id[who])[0]!.opted_out_at).not.toBeNull();
    }
    expect(enrollment('hal').status).toBe('active');
    expect(query(cli.db, 'select class, action from inbound_messages order by uid')).toEqual([
      { class: 'human_reply', action: 'replied' },
      { class: 'auto_reply', action: 'snoozed' },
      { class: 'bounce', action: 'bounced' },
      { class: 'bounce', action: 'soft_bounce' },
      { class: 'feedback', action: 'opted_out' },
      { class: 'unsubscribe', action: 'opted_out' },
    ]);
    // The newsletter was read from its headers only: nothing there for Tally.
    expect(out).toContain('6 fetched, 1 skipped, 6 applied');
  });

  it('a second sync changes nothing, and neither does a rescan after UIDVALIDITY changes', async () => {
    const before = tables();
    expect(await cli.ok('sync')).toContain('INBOX: 0 new messages');
    expect(tables()).toEqual(before);
    const conn = new Database(cli.db);
    conn.prepare(`update mailboxes set sync_state = '{"INBOX":{"uidValidity":"1","lastUid":99}}'`).run();
    conn.close();
    const out = await cli.ok('sync');
    expect(out).toContain('UIDVALIDITY changed: rescanned');
    expect(out).toContain('6 already applied');
    expect(out).toContain('0 fetched, 1 skipped, 0 applied');
    const after = tables();
    expect(after.inbound_messages).toEqual(before.inbound_messages);
    expect(after.enrollments).toEqual(before.enrollments);
    expect(after.touches).toEqual(before.touches);
  });

  it('the next send skips everyone who answered, bounced or opted out, and retries the soft bounce', async () => {
    cli.at('2026-03-06T14:00:00Z');
    const sentBefore = smtp.mails.length;
    await cli.run('send');
    const newMail = smtp.mails.slice(sentBefore).flatMap((m) => m.to);
    for (const who of ['amy@acme.example', 'ben@globex.example', 'cal@initech.example', 'eli@hooli.example', 'fay@stark.example']) expect(newMail).not.toContain(who);
    // Dee: the bounced mail again (same Message-ID), and her touch is not logged twice.
    const retried = smtp.mails.slice(sentBefore).filter((m) => m.to.includes('dee@umbrella.example'));
    expect(retried.map((m) => header(m.raw, 'Message-ID'))).toContain(outbox('dee')[1]!.message_id);
    expect(count(cli.db, 'touches', "prospect_id = ? and message_id = ?", id.dee, outbox('dee')[1]!.message_id)).toBe(1);
  });
});

describe('secrets and the CLI', () => {
  it('the password is never in the database in clear, nor in any output', async () => {
    for (const file of [cli.db, `${cli.db}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(PASSWORD))).toBe(false);
    }
    const secret = query<{ secret: string }>(cli.db, 'select secret from mailboxes')[0]!.secret;
    expect(secret).toMatch(/^v1:/);
    const list = await cli.ok('mailbox', 'list');
    expect(list).toContain('••••');
    expect(list).not.toContain(PASSWORD);
    const json = await cli.ok('--json', 'mailbox', 'list');
    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain(secret);
    const test = await cli.run('mailbox', 'test');
    expect(test.stdout).toMatch(/SMTP: ok/);
    expect(test.stdout).toMatch(/IMAP: ok/);
    expect(test.stdout + test.stderr).not.toContain(PASSWORD);
  });

  it('mailbox test reports a refused login without the password', async () => {
    process.env.TALLY_TEST_MAIL_PW_BAD = 'wrong-password-123';
    const other = new TallyCli(cli.db, cli.now);
    await other.ok(
      'mailbox', 'add', '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none',
      '--imap-host', imap.host, '--imap-port', String(imap.port), '--imap-tls', 'none',
      '--user', USER, '--from', USER, '--min-spacing', '0', '--password-env', 'TALLY_TEST_MAIL_PW_BAD',
    );
    const r = await other.run('mailbox', 'test');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/SMTP: FAILED/);
    expect(r.stdout).toMatch(/IMAP: FAILED/);
    expect(r.stdout + r.stderr).not.toContain('wrong-password-123');
    // Put the right one back for anyone after us.
    await other.ok(
      'mailbox', 'add', '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none',
      '--imap-host', imap.host, '--imap-port', String(imap.port), '--imap-tls', 'none',
      '--user', USER, '--from', USER, '--min-spacing', '0', '--password-env', 'TALLY_TEST_MAIL_PW',
    );
  });

  it('tally classify reads .eml files', async () => {
    const files = ['bounce/postfix-dsn-user-unknown.eml', 'auto-reply/en-exchange-automatic-reply.eml'].map((f) => join(FIXTURES, f));
    const text = await cli.ok('classify', ...files);
    expect(text).toContain('postfix-dsn-user-unknown.eml: bounce (certain) — user_unknown, addressBad true, recipient j.doe@northwind.example, status 5.1.1 (550)');
    expect(text).toContain('en-exchange-automatic-reply.eml: auto_reply');
    const json = JSON.parse(await cli.ok('--json', 'classify', files[0]!)) as Classification;
    expect(json).toMatchObject({ class: 'bounce', confidence: 'certain', bounce: { reason: 'user_unknown', addressBad: true, recipient: 'j.doe@northwind.example', status: '5.1.1' } });
    expect((await cli.run('classify', join(dir, 'missing.eml'))).code).toBe(1);
  });
});
