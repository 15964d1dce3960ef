// The rep's mailbox over HTTP (issue 16): where reading starts, moved back to the oldest live
// cadence, and the counts of the last sync; never the password, never another rep's mailbox.
import { beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { LIVE_STATUS_LIST } from '../../src/core/types.ts';
import { testNow } from '../helpers/clock.ts';
import { demoWorld, type World } from './harness.ts';

let w: World;

beforeAll(async () => {
  w = await demoWorld();
  const ctx = await openContext(runtimeFor(w.store, { now: testNow }), { as: 'sam@demo.tally' });
  await saveMailbox(ctx, { smtpHost: 'smtp.demo.example', imapHost: 'imap.demo.example', password: 'mailbox-secret', fromAddress: 'sam@demo.tally' });
  await w.store.db.updateTable('mailboxes').set({ sync_progress: JSON.stringify({ folder: 'INBOX', startedAt: 1, finishedAt: 2, total: 5000, read: 5000, fetched: 12, skipped: 4988, applied: 3, bytes: { headers: 10, sources: 20 } }) }).execute();
}, 120_000);

describe('GET /api/mailbox and PUT /api/mailbox/read-since', () => {
  it('shows where reading starts and the last sync, without the password', async () => {
    const r = await w.sam.req('GET', '/api/mailbox');
    expect(r.status).toBe(200);
    expect(r.body.mailbox).toMatchObject({ imap: expect.stringContaining('imap.demo.example'), password: '••••', lastSync: { fetched: 12, skipped: 4988, applied: 3 } });
    expect(r.body.mailbox.readSince).toBeLessThanOrEqual(testNow());
    expect(r.text).not.toContain('mailbox-secret');
    expect((await w.priya.req('GET', '/api/mailbox')).body).toEqual({ mailbox: null });
  });

  it('moves back to when the oldest live cadence started, and refuses a date in the future', async () => {
    const oldest = await w.store.db
      .selectFrom('enrollments')
      .select((eb) => eb.fn.min<number>('started_at').as('at'))
      .where('owner_id', '=', w.ids.sam)
      .where('status', 'in', LIVE_STATUS_LIST)
      .executeTakeFirstOrThrow();
    const r = await w.sam.req('PUT', '/api/mailbox/read-since', { body: { since: 'oldest-enrollment' } });
    expect(r.status).toBe(200);
    expect(r.body.mailbox.readSince).toBe(Number(oldest.at));
    const bad = await w.sam.req('PUT', '/api/mailbox/read-since', { body: { since: testNow() + 86_400_000 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: 'since', message: expect.stringContaining('in the past') });
    expect((await w.priya.req('PUT', '/api/mailbox/read-since', { body: { since: 0 } })).status).toBe(404);
  });
});

describe('POST /api/mailbox/resume', () => {
  it('resumes a paused mailbox, and says so when it was not paused', async () => {
    expect((await w.sam.req('POST', '/api/mailbox/resume')).status).toBe(409);
    const at = testNow();
    await w.store.db.updateTable('mailboxes').set({ paused_at: at, paused_reason: '5 refusals on the sending side within 24 h.', paused_kind: 'sender' }).execute();
    const paused = await w.sam.req('GET', '/api/mailbox');
    expect(paused.body.mailbox.paused).toEqual({ at, kind: 'sender', reason: '5 refusals on the sending side within 24 h.', fix: 'Resume with "tally mailbox resume" (or Resume sending in the web app) once fixed.' });
    const r = await w.sam.req('POST', '/api/mailbox/resume');
    expect(r.status).toBe(200);
    expect(r.body.mailbox.paused).toBeNull();
  });
});
