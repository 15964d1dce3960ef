// `today` costs a fixed number of statements, whatever the page holds: on PostgreSQL each one is a
// round trip. The due work is two (the counts; the page picked from the queue index with every
// card's details and the touch history its guardrails need); the playbook and the replies waiting
// are sections of their own, one statement each, and so is what drafting the email cards reads (the
// mailbox, the rep's words for slots, hand-sent counts: the value items come with the playbook, and
// what a step's sending mode needs of its cadence comes with the page). Both engines, 60 due cards with history.
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
  it('sends two statements for the due work, one per section, whatever the page holds', async () => {
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
      const due = statements.filter((s) => /from "enrollments"/.test(s));
      expect(due).toHaveLength(2);
      expect(statements.filter((s) => !/from "enrollments"/.test(s)).map((s) => s.match(/from "(\w+)"/)?.[1]).sort()).toEqual(
        ['mailboxes', 'outbox', 'playbook_objections', 'playbook_value_items', 'slot_fills', 'touches'],
      );
      expect(statements).toHaveLength(8);
    } finally {
      await store.close();
    }
  });
});
