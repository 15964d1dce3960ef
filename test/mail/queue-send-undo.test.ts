// A mail sent from the queue waits out the touch's 10 s undo window in the outbox (issue 17): undone
// in time, nothing reaches the SMTP server (loopback) and the prospect is back on the step; not
// undone, exactly one message arrives with the first sender run after the window. The clock is
// pinned and moved by hand: no test sleeps out the window.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { sendDue } from '../../src/app/mail-send.ts';
import { sendFromQueue } from '../../src/app/outbox/by-hand.ts';
import { undoTouch, UNDO_WINDOW_MS } from '../../src/app/touches.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { TallyCli } from '../helpers/cli.ts';
import { header, startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const CADENCE = `name: Reviewed
steps:
  - { channel: email, delay: 0, name: Hello, subject: "Hello {{first_name}}", template: "Hi {{first_name}}, a short note.", reason: a short note, sending: manual }
  - { channel: call, delay: 2, name: Call, reason: the note walked through }
`;
const MONDAY = Date.parse('2026-03-02T14:00:00Z');
const dir = tempDir();
let smtp: SmtpCapture;
let store: Store;
const at = (now: number) => openContext(runtimeFor(store), { now: () => now });
const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
const prospectId = async (email: string) => (await store.db.selectFrom('prospects').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
const enrollmentOf = async (email: string) =>
  store.db.selectFrom('enrollments as e').innerJoin('prospects as p', 'p.id', 'e.prospect_id').select(['e.step_index', 'e.status', 'e.touches']).where('p.email', '=', email).executeTakeFirstOrThrow();
const touchesOf = async (email: string) =>
  store.db.selectFrom('touches as t').innerJoin('prospects as p', 'p.id', 't.prospect_id').select(['t.outcome', 't.message_id']).where('p.email', '=', email).execute();

beforeAll(async () => {
  smtp = await startSmtp();
  process.env.TALLY_SECRET_KEY = 'a test key, not the key file';
  const cli = new TallyCli(join(dir, 'undo-send.db'), new Date(MONDAY).toISOString());
  await cli.ok('init', '--timezone', 'UTC', '--email', 'rep@tally.test', '--user-name', 'Rep');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', 'email,first_name,company\nann@one.example,Ann,One\nbob@two.example,Bob,Two\ncat@three.example,Cat,Three\ndan@four.example,Dan,Four\n'));
  await cli.ok('cadence', 'add', writeFile(dir, 'reviewed.yaml', CADENCE));
  await cli.ok('enroll', 'ann@one.example', 'bob@two.example', 'cat@three.example', 'dan@four.example', '--cadence', 'Reviewed');
  process.env.TALLY_TEST_PW = 'pw';
  await cli.ok('mailbox', 'add', '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none', '--from', 'rep@tally.test', '--password-env', 'TALLY_TEST_PW', '--min-spacing', '0');
  store = await openStore(cli.db);
}, 60_000);
afterAll(async () => {
  delete process.env.TALLY_SECRET_KEY;
  await store?.close();
  await smtp.stop();
});

it('undo within the window: the touch, the step and the mail go back; nothing reaches the SMTP server', async () => {
  const sent = await sendFromQueue(await at(MONDAY), 'ann@one.example', { enrollmentId: (await store.db.selectFrom('enrollments').select('id').where('prospect_id', '=', await prospectId('ann@one.example')).executeTakeFirstOrThrow()).id, stepIndex: 0 });
  expect(sent.sendAfter).toBe(MONDAY + UNDO_WINDOW_MS + 1);
  // Logged at once: the queue moves on and the tally counts it.
  expect(await touchesOf('ann@one.example')).toEqual([{ outcome: 'sent', message_id: sent.planned.mail!.messageId }]);
  expect(await enrollmentOf('ann@one.example')).toMatchObject({ step_index: 1, status: 'active' });
  // The sender runs during the window: the mail is not due yet.
  expect((await sendDue(await at(MONDAY + 5_000))).sender).toMatchObject({ sent: 0, remaining: 1 });
  expect(mailsTo('ann@one.example')).toHaveLength(0);

  await undoTouch(await at(MONDAY + 6_000), sent.touchId);
  expect(await touchesOf('ann@one.example')).toEqual([]);
  expect(await enrollmentOf('ann@one.example')).toMatchObject({ step_index: 0, status: 'active', touches: 0 });
  expect(await store.db.selectFrom('outbox').select('id').execute()).toEqual([]);
  expect(await store.db.selectFrom('email_threads').select('id').execute()).toEqual([]);
  // Long after the window: nothing goes (the manual step waits for the rep's review again).
  expect((await sendDue(await at(MONDAY + 120_000))).sender).toMatchObject({ sent: 0, remaining: 0 });
  expect(mailsTo('ann@one.example')).toHaveLength(0);

  // Sent again later from the queue, it goes as any other: a fresh thread, one message.
  const again = await sendFromQueue(await at(MONDAY + 200_000), 'ann@one.example');
  await sendDue(await at(MONDAY + 200_000 + UNDO_WINDOW_MS + 1));
  expect(mailsTo('ann@one.example').map((m) => header(m.raw, 'Message-ID'))).toEqual([again.planned.mail!.messageId]);
});

it('no undo: exactly one message arrives with the first run after the window, and the touch is not logged twice', async () => {
  const sent = await sendFromQueue(await at(MONDAY), 'bob@two.example');
  expect((await sendDue(await at(MONDAY + UNDO_WINDOW_MS))).sender).toMatchObject({ sent: 0, remaining: 1 });
  expect(mailsTo('bob@two.example')).toHaveLength(0);
  expect((await sendDue(await at(MONDAY + UNDO_WINDOW_MS + 1))).sender).toMatchObject({ sent: 1, remaining: 0 });
  const mails = mailsTo('bob@two.example');
  expect(mails).toHaveLength(1);
  expect(header(mails[0]!.raw, 'Message-ID')).toBe(sent.planned.mail!.messageId);
  expect(header(mails[0]!.raw, 'Subject')).toBe('Hello Bob');
  expect(mails[0]!.raw).toContain('Hi Bob, a short note.');
  // Later runs send nothing more; the one touch is the one logged from the queue.
  await sendDue(await at(MONDAY + 600_000));
  expect(mailsTo('bob@two.example')).toHaveLength(1);
  expect(await touchesOf('bob@two.example')).toEqual([{ outcome: 'sent', message_id: sent.planned.mail!.messageId }]);
  expect(await enrollmentOf('bob@two.example')).toMatchObject({ step_index: 1, touches: 1 });
  // After the window the touch is corrected or deleted from the timeline, not undone.
  await expect(undoTouch(await at(MONDAY + 600_000), sent.touchId)).rejects.toThrow(/^Too late to undo this touch/);
});

it('a stale card is refused in plain words and sends nothing', async () => {
  const id = await prospectId('bob@two.example');
  const e = await store.db.selectFrom('enrollments').select('id').where('prospect_id', '=', id).executeTakeFirstOrThrow();
  await expect(sendFromQueue(await at(MONDAY + 700_000), id, { enrollmentId: e.id, stepIndex: 0 })).rejects.toThrow(/^Not sent: the card you acted on is out of date\./);
});

it('edited in the queue: exactly the edited subject and words arrive, once, the HTML part escaped like a template', async () => {
  const words = 'Hi Cat,\n\nI rewrote this for you: **one** idea <b>not a tag</b>, and [the note](https://tally.test/note).\n\nRep';
  const sent = await sendFromQueue(await at(MONDAY), 'cat@three.example', undefined, { subject: 'A note for Three', text: `${words}\n` });
  expect(sent.planned.mail!.subject).toBe('A note for Three');
  expect(sent.planned.mail!.text).toMatch(/^Hi Cat,\n\nI rewrote this for you: one idea <b>not a tag<\/b>, and the note \(https:\/\/tally\.test\/note\)\.\n\nRep\n\n--\nNot the right time\? Reply "unsubscribe" or open /);
  expect(sent.planned.mail!.html).toContain('<strong>one</strong> idea &lt;b&gt;not a tag&lt;/b&gt;, and <a href="https://tally.test/note">the note</a>.');
  expect(await touchesOf('cat@three.example')).toEqual([{ outcome: 'sent', message_id: sent.planned.mail!.messageId }]);
  await sendDue(await at(MONDAY + UNDO_WINDOW_MS + 1));
  await sendDue(await at(MONDAY + 600_000));
  const mails = mailsTo('cat@three.example');
  expect(mails).toHaveLength(1);
  expect(header(mails[0]!.raw, 'Subject')).toBe('A note for Three');
  const row = await store.db.selectFrom('outbox').select(['subject', 'text_body', 'status']).where('to_address', '=', 'cat@three.example').executeTakeFirstOrThrow();
  expect(row).toMatchObject({ subject: 'A note for Three', text_body: sent.planned.mail!.text, status: 'sent' });
  expect(mails[0]!.raw).toContain('I rewrote this for you: one idea');
  expect(mails[0]!.raw).not.toContain('a short note');
});

it('an edit that cannot go as written is refused in plain words: nothing is logged or queued', async () => {
  const ctx = await at(MONDAY);
  await expect(sendFromQueue(ctx, 'dan@four.example', undefined, { text: 'Hi Dan, about [[their launch]].' })).rejects.toThrow('Not sent: the message still has [[their launch]]: replace it with your words before sending.');
  await expect(sendFromQueue(ctx, 'dan@four.example', undefined, { subject: '  ' })).rejects.toThrow('Not sent: the subject is empty: write one before sending.');
  await expect(sendFromQueue(ctx, 'dan@four.example', undefined, { text: 'Hi {{first_name}}' })).rejects.toThrow(/still has \{\{first_name\}\}/);
  expect(await touchesOf('dan@four.example')).toEqual([]);
  expect(await store.db.selectFrom('outbox').select('id').where('to_address', '=', 'dan@four.example').execute()).toEqual([]);
});
