// The email channel on PostgreSQL: the same migration, the outbox (idempotency key, claim) and
// inbound messages applied once, on a real server (the global setup's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { saveCadence } from '../../src/app/cadences.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { sendDue } from '../../src/app/mail-send.ts';
import { applyInbound } from '../../src/app/inbound.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { header, startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const NOW = Date.parse('2026-03-02T14:00:00Z');
let store: Store;
let smtp: SmtpCapture;
const savedKey = process.env.TALLY_SECRET_KEY;

beforeAll(async () => {
  process.env.TALLY_SECRET_KEY = 'postgres test key';
  smtp = await startSmtp();
  store = await openStore(await createTestDatabase());
});
afterAll(async () => {
  await store?.close();
  await smtp?.stop();
  if (savedKey === undefined) delete process.env.TALLY_SECRET_KEY;
  else process.env.TALLY_SECRET_KEY = savedKey;
});

describe('email channel on PostgreSQL', () => {
  it('sends once per step and applies a reply once', async () => {
    await initWorkspace(runtimeFor(store), { timezone: 'UTC', userEmail: 'rep@tally.test' }, NOW);
    const ctx = await openContext(runtimeFor(store), { now: () => NOW });
    await saveCadence(ctx, {
      name: 'PG mail',
      steps: [
        { channel: 'email', delay: { amount: 0, unit: 'business_days' }, name: 'Hi', subject: 'Hi {{first_name}}', template: 'Hello {{first_name}}', reason: 'v', talkingPoints: [], sending: 'automatic' },
        { channel: 'email', delay: { amount: 2, unit: 'business_days' }, name: 'Again', template: 'Again', reason: 'v', talkingPoints: [], sending: 'automatic' },
      ],
    });
    const p = await store.db
      .insertInto('prospects')
      .values({ workspace_id: ctx.workspace.id, owner_id: ctx.user.id, email: 'dana@x.example', email_key: 'dana@x.example', first_name: 'Dana', last_name: null, phone: null, title: null, company_id: null, timezone: null, created_at: NOW, updated_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enroll(ctx, [p.id], 'PG mail');
    await saveMailbox(ctx, { smtpHost: smtp.host, smtpPort: smtp.port, smtpTls: 'none', user: '', password: 'pw', fromAddress: 'rep@tally.test', minSpacingSeconds: 0 });

    const first = await sendDue(ctx);
    expect(first.sender).toMatchObject({ sent: 1 });
    expect((await sendDue(ctx)).sender).toMatchObject({ sent: 0 });
    expect(smtp.mails).toHaveLength(1);
    const row = await store.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(header(smtp.mails[0]!.raw, 'Message-ID')).toBe(row.message_id);

    const mailbox = await store.db.selectFrom('mailboxes').selectAll().executeTakeFirstOrThrow();
    const reply = Buffer.from(`From: Dana <dana@x.example>\r\nTo: rep@tally.test\r\nSubject: Re: Hi Dana\r\nMessage-ID: <r1@x.example>\r\nIn-Reply-To: ${row.message_id}\r\n\r\nSure, call me Tuesday.\r\n`);
    const later = await openContext(runtimeFor(store), { now: () => NOW + 3_600_000 });
    const applied = await applyInbound(later, mailbox, 'INBOX', '42', { uid: 1, source: reply, internalDate: null });
    expect(applied).toMatchObject({ class: 'human_reply', action: 'replied', prospectId: p.id });
    expect(await applyInbound(later, mailbox, 'INBOX', '43', { uid: 7, source: reply, internalDate: null })).toBeNull();
    const e = await store.db.selectFrom('enrollments').select(['status']).executeTakeFirstOrThrow();
    expect(e.status).toBe('replied');
    const touches = await store.db.selectFrom('touches').select(['outcome']).orderBy('id').execute();
    expect(touches.map((t) => t.outcome)).toEqual(['sent', 'replied']);
  });
});
