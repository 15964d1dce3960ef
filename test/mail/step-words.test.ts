// Issue 13 end to end, over loopback SMTP: the built-in cadence's first mail waits for the rep's
// review and goes out as plain text with the playbook's words, never the rep's reason; a step with
// an unfilled [[slot]] is held from automatic sending, shows in the queue as "needs your words",
// and once filled sends exactly one message.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CADENCES, DEFAULT_CADENCE_NAME } from '../../src/core/default-cadences.ts';
import { DEFAULT_VALUE_ITEMS } from '../../src/core/default-playbook.ts';
import { TallyCli } from '../helpers/cli.ts';
import { count, query } from '../helpers/db.ts';
import { header, startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const USER = 'rep@tally.test';
const PASSWORD = 'smtp-secret-pw';
const PEOPLE = `email,first_name,last_name,company
dana@acme.example,Dana,Scully,Acme Corp
fox@acme2.example,Fox,Mulder,Basement Inc
`;
const SLOTTED = `name: Market note
steps:
  - channel: email
    delay: 0
    name: Market note
    subject: "A note on {{company}}'s market"
    template: |
      Hi {{first_name}},

      [[insight about their market]]

      Worth comparing notes for 15 minutes?

      {{sender_name}}
    reason: one concrete insight about their market, a number they can reuse internally
    sending: automatic
`;

let smtp: SmtpCapture;
let cli: TallyCli;
const dir = tempDir();
const id: Record<string, number> = {};
const intro = DEFAULT_CADENCES[0]!.steps[0]!;
const introItem = DEFAULT_VALUE_ITEMS.find((v) => v.key === intro.valueItemKey)!;

beforeAll(async () => {
  smtp = await startSmtp({ user: USER, password: PASSWORD });
  process.env.TALLY_TEST_STEP_PW = PASSWORD;
  // Monday 2 March 2026, 14:00 UTC: inside the email window.
  cli = new TallyCli(join(dir, 'words.db'), '2026-03-02T14:00:00Z');
  await cli.ok('init', '--timezone', 'UTC', '--email', 'sam@tally.test', '--user-name', 'Sam');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', PEOPLE));
  for (const r of query<{ id: number; email: string }>(cli.db, 'select id, email from prospects')) id[r.email.split('@')[0]!] = r.id;
  await cli.ok('cadence', 'add', writeFile(dir, 'slotted.yaml', SLOTTED));
  await cli.ok('enroll', String(id.dana), '--cadence', DEFAULT_CADENCE_NAME);
  await cli.ok('enroll', String(id.fox), '--cadence', 'Market note');
  await cli.ok(
    'mailbox', 'add', '--smtp-host', smtp.host, '--smtp-port', String(smtp.port), '--smtp-tls', 'none',
    '--user', USER, '--from', USER, '--from-name', 'Sam Rivera', '--min-spacing', '0', '--password-env', 'TALLY_TEST_STEP_PW',
  );
}, 120_000);

afterAll(async () => {
  await smtp?.stop();
});

describe('what goes out is what the rep previewed', () => {
  it('a dry run prints each message in full, and sends nothing', async () => {
    const out = await cli.ok('send', '--dry-run');
    expect(out).toMatch(/Would send: 0/);
    expect(out).toMatch(/Waiting for your review .*: 1\n\s+Dana Scully/);
    expect(out).toMatch(/Needs your words: 1\n\s+Fox Mulder\s+fox@acme2\.example\s+needs your words: \[\[insight about their market\]\]/);
    expect(out).toContain('│ Subject: A question for Acme Corp');
    expect(out).toContain(`│ ${introItem.summary}`);
    expect(out).toContain('│ (plain text only: the template uses no formatting)');
    expect(out).not.toContain(intro.reason);
    expect(smtp.mails).toHaveLength(0);
  });

  it('the opening step waits for review: "tally send" leaves it, "tally send ID" sends it as plain text', async () => {
    expect(await cli.ok('send')).toMatch(/Due now: 0[\s\S]*Waiting for your review/);
    expect(smtp.mails).toHaveLength(0);
    expect(await cli.ok('send', String(id.dana))).toContain('Sent to Dana Scully <dana@acme.example>: "A question for Acme Corp".');
    expect(smtp.mails).toHaveLength(1);
    const raw = smtp.mails[0]!.raw;
    expect(header(raw, 'Subject')).toBe('A question for Acme Corp');
    expect(header(raw, 'Content-Type')).toMatch(/^text\/plain; charset=utf-8/);
    expect(raw).not.toMatch(/text\/html|multipart/);
    const body = raw.split(/\r\n\r\n/).slice(1).join('\r\n\r\n').replace(/=\r\n/g, '').replace(/\r\n/g, '\n');
    expect(body).toContain('Hi Dana,\n\nI work with companies like Acme Corp');
    expect(body).toContain(introItem.summary.slice(0, 60));
    expect(body).toContain('Would that be useful in the next couple of weeks?\n\nSam Rivera\n\n--\nNot the right time? Reply "unsubscribe"');
    expect(body).not.toMatch(/\{\{|\[\[|undefined/);
    expect(body.toLowerCase()).not.toContain(intro.reason.toLowerCase());
    expect(count(cli.db, 'outbox', 'by_hand = 1 and status = \'sent\'')).toBe(1);
    expect(count(cli.db, 'touches', "outcome = 'sent' and channel = 'email'")).toBe(1);
  });

  it('a slot left unfilled holds an automatic step and shows in the queue as "needs your words"', async () => {
    const out = await cli.ok('send');
    expect(out).toMatch(/Needs your words: 1\n\s+Fox Mulder/);
    expect(smtp.mails).toHaveLength(1);
    const today = await cli.ok('today');
    expect(today).toContain('NEEDS YOUR WORDS: [[insight about their market]]');
    expect(today).toContain('| >>[[insight about their market]]<<');
    expect(today).toContain(`tally fill ${id.fox} "insight about their market" "…"`);
    const q = JSON.parse(await cli.ok('--json', 'today')) as { items: { prospectId: number; message: { needs: { kind: string; label: string }[] } | null }[] };
    expect(q.items.find((i) => i.prospectId === id.fox)!.message!.needs).toEqual([{ kind: 'slot', label: 'insight about their market', key: 'insight about their market' }]);
    // Sending by hand is blocked too.
    const byHand = await cli.run('send', String(id.fox));
    expect(byHand.code).toBe(1);
    expect(byHand.stderr).toMatch(/not sent: needs your words: \[\[insight about their market\]\]/);
    expect(smtp.mails).toHaveLength(1);
  });

  it('a wrong slot name is refused, naming the slots the step has', async () => {
    const r = await cli.run('fill', String(id.fox), 'their goals', 'x');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('step 1 (Market note) has no slot [[their goals]] (its slots: [[insight about their market]])');
  });

  it('filling the slot sends exactly one message, with the rep\'s words', async () => {
    const words = 'Teams in your space cut their quote time by a third last year.';
    expect(await cli.ok('fill', String(id.fox), '[[Insight about their market]]', words)).toContain('Filled [[insight about their market]] of step 1 (Market note) for prospect #');
    await cli.ok('send');
    await cli.ok('send');
    const toFox = smtp.mails.filter((m) => m.to.includes('fox@acme2.example'));
    expect(toFox).toHaveLength(1);
    expect(toFox[0]!.raw.replace(/=\r\n/g, '')).toContain(words);
    expect(toFox[0]!.raw).not.toContain('[[');
    expect(count(cli.db, 'outbox', `prospect_id = ${id.fox}`)).toBe(1);
  });
});
