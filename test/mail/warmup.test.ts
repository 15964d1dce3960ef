// Warm-up with the real sender (issue 19): a mailbox added today sends at most 20 mails on its first
// day whatever its cap, says so in "tally mailbox list", and the rest go out the next day.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../helpers/db.ts';
import { mailWorld, openerCadence, type MailWorld } from '../helpers/mail-world.ts';
import { tempDir } from '../helpers/tmp.ts';

const CADENCE = openerCadence('Warm-up test');

let w: MailWorld;

beforeAll(async () => {
  const people = Array.from({ length: 25 }, (_, i) => `p${i}@c${i}.example,P${i},Co ${i}`).join('\n');
  // Monday 2 March 2026, 14:00 UTC.
  w = await mailWorld(tempDir(), { people: `email,first_name,company\n${people}\n`, cadence: CADENCE, cadenceName: 'Warm-up test', now: '2026-03-02T14:00:00Z' });
}, 120_000);

afterAll(async () => {
  await w?.stop();
});

describe('a new mailbox warms up', () => {
  it('sends 20 on its first day, says why the rest wait, and sends them the next day', async () => {
    expect(await w.cli.ok('mailbox', 'list')).toContain('at most 200/day (warming up: 20 today)');
    const first = await w.cli.ok('send');
    expect(first).toContain('Sent 20; 20/20 today.');
    expect(first).toContain('5 still queued (daily limit reached)');
    expect(w.smtp.mails).toHaveLength(20);
    w.cli.at('2026-03-03T14:00:00Z');
    expect(await w.cli.ok('mailbox', 'list')).toContain('(warming up: 30 today)');
    await w.cli.ok('send');
    expect(w.smtp.mails).toHaveLength(25);
    expect(query(w.cli.db, "select count(*) as n from outbox where status = 'sent'")).toEqual([{ n: 25 }]);
  });
});
