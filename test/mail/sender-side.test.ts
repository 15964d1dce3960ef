// Refusals on the sending side (issue 15) end to end, on the real Dovecot and a loopback SMTP
// server: an SPF or DMARC rejection never touches the prospect, warns the rep in plain words, and
// after `inbound.senderFailuresToPause` of them the mailbox stops sending until it is resumed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { deliverFixture, mailWorld, twoEmailCadence, type MailWorld } from '../helpers/mail-world.ts';
import type { SmtpCapture } from '../helpers/smtp.ts';
import { tempDir } from '../helpers/tmp.ts';

const CADENCE = twoEmailCadence('Sender test', 2);

let w: MailWorld;
let cli: TallyCli;
let smtp: SmtpCapture;
let id: Record<string, number>;

beforeAll(async () => {
  // Monday 2 March 2026, 14:00 UTC.
  w = await mailWorld(tempDir(), { people: 'email,first_name,company\namy@acme.example,Amy,Acme\nben@globex.example,Ben,Globex\n', cadence: CADENCE, cadenceName: 'Sender test', now: '2026-03-02T14:00:00Z' });
  ({ cli, smtp, id } = w);
  await cli.ok('settings', 'set', 'inbound.senderFailuresToPause', '2');
  await cli.ok('send');
}, 120_000);

afterAll(async () => {
  await w?.stop();
});

const sentId = (who: string) => query<{ message_id: string }>(cli.db, 'select message_id from outbox where prospect_id = ? order by step_index', id[who])[0]!.message_id;
const enrollment = (who: string) => query<{ status: string; step_index: number }>(cli.db, 'select status, step_index from enrollments where prospect_id = ?', id[who])[0]!;

const deliver = (file: string, replace: Record<string, string>, date: string) => deliverFixture(w, file, replace, date);

describe('refusals on the sending side', () => {
  it('an SPF rejection leaves the prospect untouched and warns the rep in plain words', async () => {
    await deliver('bounce/o365-spf-fail-sender-side.eml', { '<tally.5pf00001@mail.tally-demo.example>': sentId('amy'), 'r.okafor@contoso-ventures.example': 'amy@acme.example' }, '2026-03-02T15:00:00Z');
    cli.at('2026-03-02T16:00:00Z');
    const out = await cli.ok('sync');
    expect(out).toContain('refused on the sending side, the prospect is untouched');
    expect(enrollment('amy')).toMatchObject({ status: 'active' });
    expect(query(cli.db, 'select email_status from prospects where id = ?', id.amy)[0]).toEqual({ email_status: 'ok' });
    const warning = "Your mail to acme.example is being rejected (the sending domain failed SPF/DKIM/DMARC): fix your domain's SPF, DKIM and DMARC records";
    expect(await cli.ok('mailbox', 'list')).toContain(warning);
    expect(await cli.ok('today')).toMatch(new RegExp(`^! ${warning.replace(/[()]/g, '\\$&')}`));
    expect((await cli.json<{ paused: unknown }[]>('mailbox', 'list'))[0]!.paused).toBeNull();
  });

  it('the second within the window pauses sending; nothing goes out until the rep resumes', async () => {
    await deliver('bounce/postfix-gmail-dmarc-reject.eml', { '<tally.dm4rc002@mail.tally-demo.example>': sentId('ben'), 'priya.n@gmail.example': 'ben@globex.example' }, '2026-03-02T17:00:00Z');
    cli.at('2026-03-02T18:00:00Z');
    expect(await cli.ok('sync')).toContain('is paused: resume it with "tally mailbox resume"');
    expect(enrollment('ben')).toMatchObject({ status: 'active' });
    expect(await cli.ok('mailbox', 'list')).toContain('SENDING PAUSED');

    cli.at('2026-03-04T14:00:00Z');
    const before = smtp.mails.length;
    expect(await cli.ok('send')).toContain('sending is paused');
    expect(smtp.mails.length).toBe(before);

    expect(await cli.ok('mailbox', 'resume')).toContain('resumed');
    await cli.ok('send');
    expect(smtp.mails.length).toBe(before + 2);
    expect((await cli.run('mailbox', 'resume')).stderr).toContain('is not paused');
  });
});
