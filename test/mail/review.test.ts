// Doubt goes to a person (issue 15), end to end on the real Dovecot and the CLI: a challenge-response
// request neither stops the cadence nor counts as a bounce; a doubtful message acts on nothing,
// heads `tally today` under "Needs a look" with one command per decision, and the rep's choice is
// applied and exported as labelled data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { rawMail } from '../helpers/inbox.ts';
import { deliverFixture, deliverRaw, mailWorld, MAIL_USER, twoEmailCadence, type MailWorld } from '../helpers/mail-world.ts';
import { tempDir } from '../helpers/tmp.ts';

let w: MailWorld;
let cli: TallyCli;
let id: Record<string, number>;
const dir = tempDir();

beforeAll(async () => {
  // Monday 2 March 2026, 14:00 UTC.
  w = await mailWorld(dir, { people: 'email,first_name,company\njane.park@northwind.example,Jane,Northwind\nolaf@fabrikam.example,Olaf,Fabrikam\n', cadence: twoEmailCadence('Review', 2), cadenceName: 'Review', now: '2026-03-02T14:00:00Z' });
  ({ cli, id } = w);
  await cli.ok('send');
}, 120_000);

afterAll(async () => {
  await w?.stop();
});

const enrollment = (who: string) => query<{ status: string; step_index: number }>(cli.db, 'select status, step_index from enrollments where prospect_id = ?', id[who])[0]!;

describe('doubt goes to a person', () => {
  it('a challenge-response request neither stops the cadence nor bounces', async () => {
    const sent = query<{ message_id: string }>(cli.db, 'select message_id from outbox where prospect_id = ?', id['jane.park'])[0]!.message_id;
    await deliverFixture(w, 'auto-reply/challenge-boxbe-guest-list.eml', { '<tally.7f3a9c01@mail.tally-demo.example>': sent, 'sam@tally-demo.example': MAIL_USER }, '2026-03-02T15:00:00Z');
    cli.at('2026-03-02T16:00:00Z');
    expect(await cli.ok('sync')).toContain('automatic reply (challenge): the cadence goes on');
    expect(enrollment('jane.park')).toMatchObject({ status: 'active', step_index: 1 });
    expect(query(cli.db, 'select email_status from prospects where id = ?', id['jane.park'])[0]).toEqual({ email_status: 'ok' });
    expect(query(cli.db, "select outcome from touches where prospect_id = ? and outcome <> 'sent'", id['jane.park'])).toEqual([]);
    expect(await cli.ok('review')).toBe('Nothing waiting: no replies, meetings or messages that need a look.\n');
  });

  it('a doubtful message acts on nothing and heads "today" under "Needs a look"; the rep\'s choice is applied and kept', async () => {
    const date = new Date('2026-03-02T17:00:00Z');
    // Not threaded, and it names a vacation: a reply, or an auto-reply? The classifier is unsure.
    await deliverRaw(w, rawMail({
      from: 'Olaf Berg <olaf@fabrikam.example>', to: MAIL_USER, subject: 'Back from vacation', date, messageId: '<doubt.1@fabrikam.example>',
      body: 'Back from vacation: yes, call me Thursday afternoon about the benchmark.\n\nOlaf',
    }), date);
    cli.at('2026-03-02T18:00:00Z');
    expect(await cli.ok('sync')).toMatch(/needs_look: unsure \(a reply from a person\?\): waits for the rep's decision/);
    expect(enrollment('olaf')).toMatchObject({ status: 'active' });

    const today = await cli.ok('today');
    expect(today).toMatch(/^Needs a look \(1\) — Tally was unsure and did nothing; decide what each one is:\n {2}#\d+ Olaf @ Fabrikam wrote 1h ago \(message (\d+), from olaf@fabrikam.example\)/);
    const messageId = Number(/\(message (\d+),/.exec(today)![1]);
    expect(today).toContain('"Back from vacation: yes, call me Thursday afternoon about the benchmark.');
    expect(today).toContain('Tally read it as: a reply from a person (unsure) — and did nothing');
    expect(today).toContain(`→  tally review ${messageId} reply   Reply: stops the cadence and logs the reply  (Tally's guess)`);
    expect(today).toContain(`→  tally review ${messageId} out_of_office [--back YYYY-MM-DD]`);

    expect((await cli.run('review', String(messageId), 'perhaps')).stderr).toContain('unknown decision "perhaps"');
    cli.at('2026-03-02T18:05:00Z');
    expect(await cli.ok('review', String(messageId), 'reply')).toBe(`Message ${messageId}: reply — replied by email (the rep's decision)\n`);
    expect(enrollment('olaf')).toMatchObject({ status: 'replied' });
    expect(query(cli.db, "select outcome from touches where prospect_id = ? and outcome <> 'sent'", id.olaf)).toEqual([{ outcome: 'replied' }]);
    expect((await cli.run('review', String(messageId), 'reply')).stderr).toContain('decided already');
    expect(await cli.ok('today')).not.toContain('Needs a look');

    const out = join(dir, 'reviewed.jsonl');
    expect(await cli.ok('classify', '--export-reviewed', out)).toBe(`1 reviewed message written to ${out} (jsonl).\n`);
    const [example] = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(example).toMatchObject({
      messageId: '<doubt.1@fabrikam.example>', reading: { class: 'human_reply', confidence: 'unsure' },
      label: { class: 'human_reply', decision: 'reply', returnDate: null }, decidedBy: 'sam@tally.test', headers: { subject: 'Back from vacation' },
    });
    expect(await cli.ok('classify', '--export-reviewed', '--format', 'csv')).toMatch(/^message_id,received_at,/);
  });
});
