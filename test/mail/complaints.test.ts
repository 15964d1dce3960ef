// Complaints counted per mailbox (issue 19): "this is spam" feedback reports about a mailbox's mail,
// past `inbound.complaintsToPause` and over the 0.3% line of what it sent in 30 days, pause it with
// kind "complaints"; queued mail waits, and the rep sees why and what to do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { deliverFixture, mailWorld, twoEmailCadence, type MailWorld } from '../helpers/mail-world.ts';
import { tempDir } from '../helpers/tmp.ts';

let w: MailWorld;
let cli: TallyCli;

beforeAll(async () => {
  w = await mailWorld(tempDir(), {
    people: 'email,first_name,company\namy@acme.example,Amy,Acme\nben@globex.example,Ben,Globex\ncal@initech.example,Cal,Initech\n',
    cadence: twoEmailCadence('Complaint test', 2),
    cadenceName: 'Complaint test',
    now: '2026-03-02T14:00:00Z',
  });
  cli = w.cli;
  await cli.ok('settings', 'set', 'inbound.complaintsToPause', '2');
  await cli.ok('send');
}, 120_000);

afterAll(async () => {
  await w?.stop();
});

const sentTo = (email: string) => query<{ message_id: string }>(cli.db, 'select o.message_id from outbox o join prospects p on p.id = o.prospect_id where p.email = ?', email)[0]!.message_id;
const complain = (email: string, n: number, date: string) =>
  deliverFixture(w, 'feedback/yahoo-arf-abuse.eml', { '<tally.arf00001@mail.tally-demo.example>': sentTo(email), 'annoyed.prospect@yahoo.example': email, '<arf.1765782000.123@arf.mail.yahoo.example>': `<arf.${n}@arf.mail.yahoo.example>` }, date);

describe('complaints per mailbox', () => {
  it('one complaint opts the prospect out but does not pause; the second, over 0.3% of the mail sent, pauses the mailbox', async () => {
    await complain('amy@acme.example', 1, '2026-03-02T15:00:00Z');
    cli.at('2026-03-02T16:00:00Z');
    await cli.ok('sync');
    expect((await cli.json<{ paused: unknown }[]>('mailbox', 'list'))[0]!.paused).toBeNull();
    await complain('ben@globex.example', 2, '2026-03-02T17:00:00Z');
    cli.at('2026-03-02T18:00:00Z');
    await cli.ok('sync');
    const [m] = await cli.json<{ paused: { kind: string; reason: string; fix: string } }[]>('mailbox', 'list');
    expect(m!.paused).toMatchObject({ kind: 'complaints', reason: expect.stringContaining('2 complaints about 3 mails in 30 days (66.7%, over the 0.30% line') });
    expect(await cli.ok('today')).toContain('Your mailbox is paused: 2 complaints');
    // Cal's follow-up waits; resuming by hand (after looking at why) sends it.
    cli.at('2026-03-04T14:00:00Z');
    const before = w.smtp.mails.length;
    expect(await cli.ok('send')).toContain('sending is paused');
    expect(w.smtp.mails.length).toBe(before);
    await cli.ok('mailbox', 'resume');
    await cli.ok('send');
    expect(w.smtp.mails.length).toBe(before + 1);
  });
});
