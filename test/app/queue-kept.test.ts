// The queue keeps the playbook and the rep's sender between calls (app/kept.ts), checked against the
// workspace's data version, which triggers move on with each change (migration 031). A change made
// by another server process — here a second store on the same database — shows on the next call.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { listValueItems, updateValueItem } from '../../src/app/playbook.ts';
import { todayQueue } from '../../src/app/queue.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const NOON = Date.parse('2026-03-02T12:00:00Z'); // a Monday noon: nothing held by quiet hours

describe.each(['sqlite', 'postgres'] as const)('the queue on %s', (engine) => {
  it('shows a playbook or mailbox change made by another server process on the next call', async () => {
    const location = engine === 'sqlite' ? join(dir, 'kept.db') : await createTestDatabase();
    const one = await openStore(location);
    const other = await openStore(location);
    try {
      const clock = { now: () => NOON };
      await initWorkspace(runtimeFor(one, clock), { timezone: 'UTC', userEmail: 'me@tally.example' }, NOON);
      const ctx = await openContext(runtimeFor(one, clock));
      const [id] = await one.transaction((tx) =>
        tx.prospects.insertMany([{
          workspace_id: ctx.workspace.id, owner_id: ctx.user.id, email: 'ada@acme.example', email_key: 'ada@acme.example', first_name: 'Ada',
          last_name: null, phone: null, title: null, company_id: null, timezone: null, created_at: NOON, updated_at: NOON,
        }]),
      );
      await enroll(ctx, [id!], 'Tally default outbound');
      const message = async () => (await todayQueue(ctx)).items[0]!.message!;
      expect((await message()).text).toMatch(/\n\nme\n/);

      const elsewhere = await openContext(runtimeFor(other, clock));
      const item = (await listValueItems(elsewhere)).find((v) => v.key === 'short-call-offer')!;
      await updateValueItem(elsewhere, item.id, { summary: 'Fifteen minutes, your questions, no slides.' });
      expect((await message()).text).toContain('Fifteen minutes, your questions, no slides.');
      expect((await todayQueue(ctx)).items[0]!.playbook.valueItem!.summary).toBe('Fifteen minutes, your questions, no slides.');

      await saveMailbox(elsewhere, { smtpHost: '127.0.0.1', smtpPort: 2525, smtpTls: 'none', password: 'pw', fromAddress: 'ada.sender@tally.example', fromName: 'Ada Sender' });
      expect((await message()).text).toContain('Ada Sender');
      await saveMailbox(elsewhere, { smtpHost: '127.0.0.1', smtpPort: 2525, smtpTls: 'none', password: '', fromAddress: 'ada.sender@tally.example', fromName: 'A. Sender' });
      expect((await message()).text).toContain('A. Sender');
    } finally {
      await other.close();
      await one.close();
    }
  });
});
