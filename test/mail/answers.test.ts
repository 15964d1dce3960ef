// What a prospect's calendar and out-of-office say (issue 15), end to end on the real Dovecot: an
// accepted invitation ends the cadence as a booked meeting and heads the rep's queue; an
// out-of-office resumes on the business day after the return date, keeping the step's remaining delay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { rawMail } from '../helpers/inbox.ts';
import { deliverFixture, deliverRaw, mailWorld, MAIL_USER, twoEmailCadence, type MailWorld } from '../helpers/mail-world.ts';
import { tempDir } from '../helpers/tmp.ts';

let w: MailWorld;
let cli: TallyCli;
let id: Record<string, number>;

beforeAll(async () => {
  // Monday 2 March 2026, 14:00 UTC.
  w = await mailWorld(tempDir(), { people: 'email,first_name,company\njane.park@northwind.example,Jane,Northwind\nolaf@fabrikam.example,Olaf,Fabrikam\n', cadence: twoEmailCadence('Answers', 2), cadenceName: 'Answers', now: '2026-03-02T14:00:00Z' });
  ({ cli, id } = w);
  await cli.ok('send');
}, 120_000);

afterAll(async () => {
  await w?.stop();
});

describe('calendar answers', () => {
  it('an accepted invitation ends the cadence as a booked meeting and tells the rep', async () => {
    await deliverFixture(w, 'other/calendar-accepted.eml', {}, '2026-03-03T09:00:00Z');
    cli.at('2026-03-03T10:00:00Z');
    expect(await cli.ok('sync')).toContain('meeting booked');
    expect(query(cli.db, 'select status, reason from enrollments where prospect_id = ?', id['jane.park'])[0]).toMatchObject({ status: 'replied', reason: expect.stringContaining('meeting booked') });
    expect(query(cli.db, "select outcome from touches where prospect_id = ? and outcome <> 'sent'", id['jane.park'])).toEqual([{ outcome: 'meeting_booked' }]);
    expect((await cli.json<{ replies: { prospectId: number }[] }>('today')).replies.map((r) => r.prospectId)).toEqual([id['jane.park']]);
    expect(query(cli.db, "select count(*) as n from outbox where prospect_id = ? and status = 'queued'", id['jane.park'])[0]).toEqual({ n: 0 });
  });
});

describe('out of office', () => {
  it('resumes on the business day after the return date, the step keeping the delay it had left', async () => {
    cli.at('2026-03-02T17:00:00Z');
    const before = query<{ due_at: number }>(cli.db, 'select due_at from enrollments where prospect_id = ?', id.olaf)[0]!.due_at;
    const left = before - Date.parse('2026-03-02T17:00:00Z');
    expect(left).toBeGreaterThan(24 * 3600_000);
    const sent = query<{ message_id: string }>(cli.db, 'select message_id from outbox where prospect_id = ?', id.olaf)[0]!.message_id;
    const date = new Date('2026-03-02T16:00:00Z');
    await deliverRaw(w, rawMail({
      from: 'Olaf Berg <olaf@fabrikam.example>', to: MAIL_USER, subject: 'Automatic reply: Hello Olaf', date, messageId: '<ooo.1@fabrikam.example>',
      body: 'Thank you for your message. I am away and will be back on Monday 9 March 2026.', headers: { 'In-Reply-To': sent, 'Auto-Submitted': 'auto-replied' },
    }), date);
    expect(await cli.ok('sync')).toContain('out of office until 2026-03-09');
    const e = query<{ status: string; due_at: number }>(cli.db, 'select status, due_at from enrollments where prospect_id = ?', id.olaf)[0]!;
    expect(e.status).toBe('snoozed');
    // Back Tuesday 10 March (the business day after the return date), then the delay the step had left.
    const back = Date.parse('2026-03-10T00:00:00Z');
    expect(e.due_at).toBeGreaterThanOrEqual(back + left);
    expect(e.due_at).toBeLessThan(back + left + 24 * 3600_000);
  });
});

