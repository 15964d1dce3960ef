// The queue's page takes each card's step (name, channel, content) from the cadence versions kept
// in the process (store/queries/kept-steps.ts): a version never changes once written. SQLite gives
// the largest id again once its row is gone, so a cadence deleted (after its only prospect was
// erased) and another created leaves the new version under the old one's id: the kept steps of
// that id are not the new version's, and the page reads them again.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deleteCadence, saveCadence } from '../../src/app/cadences.ts';
import { openContext, type Context } from '../../src/app/context.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { eraseProspect } from '../../src/app/erase.ts';
import { todayQueue } from '../../src/app/queue.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { validateCadence } from '../../src/core/cadence.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const T0 = Date.parse('2026-03-03T15:00:00Z'); // a Tuesday afternoon: nothing held

const cadence = (name: string, step: object) => {
  const def = validateCadence({ name, steps: [{ delay: 0, ...step }, { channel: 'call', delay: 2, name: 'Follow-up call', reason: 'ask again' }] });
  if (!def.ok) throw new Error(JSON.stringify(def.issues));
  return def.value;
};

async function prospect(store: Store, ctx: Context, email: string, now: number): Promise<number> {
  const [id] = await store.transaction((tx) =>
    tx.prospects.insertMany([{ workspace_id: ctx.workspace.id, owner_id: ctx.user.id, email, email_key: email, first_name: 'Pat', last_name: null, phone: null, title: null, company_id: null, timezone: null, created_at: now, updated_at: now }]),
  );
  return id!;
}

describe.each(['sqlite', 'postgres'] as const)('the queue page on %s', (engine) => {
  it('shows the step of the version the card is on, after a cadence is deleted and another created', async () => {
    const location = engine === 'sqlite' ? join(dir, 'kept.db') : await createTestDatabase();
    const store = await openStore(location);
    try {
      let now = T0 - 86_400_000;
      const rt = runtimeFor(store, { now: () => now });
      await initWorkspace(rt, { timezone: 'UTC', userEmail: 'me@tally.example' }, now);
      const ctx = await openContext(rt);
      await saveCadence(ctx, cadence('Trial', { channel: 'call', name: 'Trial call', reason: 'a trial reason', talking_points: ['trial point'] }));
      const first = await prospect(store, ctx, 'pat@acme.example', now);
      await enroll(ctx, [first], 'Trial');
      const versionOf = async (id: number) => (await store.enrollments.live(id))!.cadence_version_id;
      const trialVersion = await versionOf(first);
      now = T0;
      const card = async () => (await todayQueue(await openContext(rt), { limit: 100 })).items.find((i) => i.cadence !== 'Tally default outbound')!;
      expect(await card()).toMatchObject({ cadence: 'Trial', stepName: 'Trial call', channel: 'call', reason: 'a trial reason', talkingPoints: ['trial point'], steps: 2 });

      await eraseProspect(ctx, first);
      await deleteCadence(ctx, 'Trial');
      await saveCadence(ctx, cadence('Real', { channel: 'linkedin', name: 'Connect', reason: 'the real reason', talking_points: ['real point'] }));
      const second = await prospect(store, ctx, 'sam@acme.example', now);
      await enroll(ctx, [second], 'Real');
      if (engine === 'sqlite') expect(await versionOf(second)).toBe(trialVersion); // the case this test is about
      now = T0 + 60_000;
      expect(await card()).toMatchObject({ cadence: 'Real', stepName: 'Connect', channel: 'linkedin', reason: 'the real reason', talkingPoints: ['real point'], steps: 2 });
    } finally {
      await store.close();
    }
  });
});
