// `today` costs a fixed number of statements, whatever the page holds: on PostgreSQL each one is a
// round trip. The due work is two (the counts, with the workspace's data version; the page picked
// from the queue index with every card's details and the touch history its guardrails need); the
// replies waiting are a section of their own, and drafting the email cards reads the rep's words
// for slots and hand-sent counts. The playbook and the rep's mailbox are read on the first call
// only, and again after a change moves the data version on (app/kept.ts). What a step's sending
// mode needs of its cadence comes with the page. Both engines, 60 due cards with history.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { todayQueue } from '../../src/app/queue.ts';
import { logTouch } from '../../src/app/touches.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const T0 = Date.parse('2026-03-02T21:00:00Z'); // a Monday evening: quiet hours hold every card

describe.each(['sqlite', 'postgres'] as const)('today on %s', (engine) => {
  it('sends two statements for the due work, one per section, whatever the page holds, and keeps the playbook and mailbox between calls', async () => {
    const statements: string[] = [];
    const location = engine === 'sqlite' ? join(dir, 'rounds.db') : await createTestDatabase();
    const store = await openStore(location, { onQuery: (sql) => statements.push(sql) });
    try {
      let now = T0 - 3 * 86_400_000;
      const rt = runtimeFor(store, { now: () => now });
      await initWorkspace(rt, { timezone: 'UTC', userEmail: 'me@tally.example' }, now);
      const ctx = await openContext(rt);
      const company = await store.companies.insert({ workspace_id: ctx.workspace.id, name: 'Acme', name_key: 'acme', domain: null, created_at: now });
      const ids = await store.transaction((tx) =>
        tx.prospects.insertMany(
          Array.from({ length: 60 }, (_, i) => ({
            workspace_id: ctx.workspace.id, owner_id: ctx.user.id, email: `p${i}@acme.example`, email_key: `p${i}@acme.example`, first_name: `P${i}`,
            last_name: null, phone: null, title: null, company_id: i % 2 ? company : null, timezone: null, created_at: now, updated_at: now,
          })),
        ),
      );
      for (const id of ids.slice(0, 20)) await logTouch(ctx, id, { channel: 'email', outcome: 'sent' });
      await enroll(ctx, ids, 'Tally default outbound');
      now = T0;
      const at = await openContext(rt);
      statements.length = 0;
      const q = await todayQueue(at, { limit: 100 });
      expect(q.items.length).toBe(60);
      expect(q.items.filter((i) => i.held).length).toBeGreaterThan(0);
      const tables = () => statements.filter((s) => !/from "enrollments"/.test(s)).map((s) => s.match(/from "(\w+)"/)?.[1]).sort();
      expect(statements.filter((s) => /from "enrollments"/.test(s))).toHaveLength(2);
      expect(tables()).toEqual(['mailboxes', 'outbox', 'playbook_objections', 'playbook_value_items', 'slot_fills', 'touches']);

      // The next call: the playbook and the mailbox are kept (the data version has not moved).
      statements.length = 0;
      const again = await todayQueue(at, { limit: 100 });
      expect(again).toEqual(q);
      expect(statements.filter((s) => /from "enrollments"/.test(s))).toHaveLength(2);
      expect(tables()).toEqual(['outbox', 'slot_fills', 'touches']);

      // A page that drafts only its first cards a rep works (not held): the same cards, the others'
      // drafts left out. At noon, when quiet hours hold none of them.
      now = T0 - 9 * 3_600_000;
      const noon = await todayQueue(at, { limit: 100 });
      statements.length = 0;
      const first = await todayQueue(at, { limit: 100, drafts: 1 });
      expect(first.items.map((i) => ({ ...i, message: null }))).toEqual(noon.items.map((i) => ({ ...i, message: null })));
      const drafted = first.items.filter((i) => i.message);
      expect(drafted).toHaveLength(1);
      expect(drafted[0]).toEqual(noon.items.find((i) => !i.held));
      expect(drafted[0]!.channel).toBe('email');
      expect(statements).toHaveLength(5);
    } finally {
      await store.close();
    }
  });
});
