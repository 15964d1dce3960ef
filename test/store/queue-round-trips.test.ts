// `today` costs a fixed number of statements, whatever the page holds, all sent side by side: on
// PostgreSQL one round trip. The due work is two statements (the counts, with the workspace's data
// version; the page picked from the queue index with every card's details, the touch history its
// guardrails need and what drafting its email reads: the rep's words for slots, the hand-sent
// counts); the replies waiting are a section of their own. The playbook and the rep's mailbox are
// read on the first call only, and again after a change moves the data version on (app/kept.ts);
// the steps of a cadence version (its content), once per process (store/queries/kept-steps.ts).
// Both engines, 60 due cards with history; the drafts the page's reads make are those of the
// one-card path (queueDraft), which reads the fills and counts on its own.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openContext } from '../../src/app/context.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { queueDraft, todayQueue } from '../../src/app/queue.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { fillSlot } from '../../src/app/step-words.ts';
import { createObjection } from '../../src/app/playbook.ts';
import { saveCadence } from '../../src/app/cadences.ts';
import { validateCadence } from '../../src/core/cadence.ts';
import { logTouch } from '../../src/app/touches.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const dir = tempDir();
const T0 = Date.parse('2026-03-02T21:00:00Z'); // a Monday evening: quiet hours hold every card

describe.each(['sqlite', 'postgres'] as const)('today on %s', (engine) => {
  it('sends the due work and the replies in one round trip whatever the page holds, and keeps the playbook and mailbox between calls', async () => {
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
      // What the drafts read besides the page: the rep's words (the step's, and one prospect's
      // over them) and a mail of the first step sent by hand from the mailbox.
      await fillSlot(ctx, ids[0]!, { slot: '{{company}}', text: 'your team', forCadence: true });
      await fillSlot(ctx, ids[2]!, { slot: '{{company}}', text: 'Initech' });
      const mailbox = await saveMailbox(ctx, { smtpHost: 'smtp.tally.example', password: 'secret', fromAddress: 'me@tally.example', fromName: 'Me' });
      const sentOne = await store.enrollments.live(ids[59]!);
      await store.outbox.insert([{
        workspace_id: ctx.workspace.id, mailbox_id: mailbox.id, enrollment_id: sentOne!.id, step_index: 0, prospect_id: ids[59]!, to_address: 'p59@acme.example',
        message_id: '<one@tally.example>', subject: 'Hi', text_body: 'Hi', html_body: '', in_reply_to: null, thread_references: null, headers: '{}', status: 'sent', send_after: now,
        by_hand: 1, created_at: now, updated_at: now,
      }]);
      now = T0;
      const at = await openContext(rt);
      statements.length = 0;
      const q = await todayQueue(at, { limit: 100 });
      expect(q.items.length).toBe(60);
      expect(q.items.filter((i) => i.held).length).toBeGreaterThan(0);
      const tables = () => statements.filter((s) => !/from "enrollments"/.test(s)).map((s) => s.match(/from "(\w+)"/)?.[1]).sort();
      expect(statements.filter((s) => /from "enrollments"/.test(s))).toHaveLength(2);
      // Read after the first wave, on this first call only: the steps of the page's cadence version
      // (kept for the process: a version never changes) and, once the counts have told the data
      // version, the playbook and the mailbox.
      expect(tables()).toEqual(['cadence_steps', 'mailboxes', 'playbook_objections', 'playbook_value_items', 'touches']);
      const emails = q.items.filter((i) => i.channel === 'email');
      expect(emails.length).toBeGreaterThan(0);
      for (const item of emails) expect(item.message).toEqual(await queueDraft(at, item.enrollmentId));
      const words = (id: number) => q.items.find((i) => i.prospectId === id)!.message!.text;
      expect(words(ids[2]!)).toMatch(/companies like Initech/);
      expect(words(ids[4]!)).toMatch(/companies like your team/);
      expect(q.items.find((i) => i.prospectId === ids[4])!.message!.sending.why).toMatch(/^an opening step \(1 of 3 sent by hand/);

      // The next call: the playbook and the mailbox are kept (the data version has not moved), and
      // the three statements go side by side.
      statements.length = 0;
      const again = await todayQueue(at, { limit: 100 });
      expect(again).toEqual(q);
      expect(statements.filter((s) => /from "enrollments"/.test(s))).toHaveLength(2);
      expect(tables()).toEqual(['touches']);

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
      expect(statements).toHaveLength(3);
    } finally {
      await store.close();
    }
  });

  it('keeps the order of the objections a step naming none shows between calls, and orders them again when a cadence changes', async () => {
    const statements: string[] = [];
    const location = engine === 'sqlite' ? join(dir, 'objections.db') : await createTestDatabase();
    const store = await openStore(location, { onQuery: (sql) => statements.push(sql) });
    try {
      const now = T0 - 9 * 3_600_000; // Monday noon
      const rt = runtimeFor(store, { now: () => now });
      await initWorkspace(rt, { timezone: 'UTC', userEmail: 'me@tally.example' }, now);
      const ctx = await openContext(rt);
      const ids = await store.transaction((tx) =>
        tx.prospects.insertMany([0, 1].map((i) => ({
          workspace_id: ctx.workspace.id, owner_id: ctx.user.id, email: `p${i}@acme.example`, email_key: `p${i}@acme.example`, first_name: `P${i}`,
          last_name: null, phone: null, title: null, company_id: null, timezone: null, created_at: now, updated_at: now,
        }))),
      );
      await enroll(ctx, ids, 'Tally default outbound'); // its steps name no objection
      for (const key of ['first', 'second']) await createObjection(ctx, { key, objection: `The ${key} one.`, answer: 'An answer.' });
      const at = await openContext(rt);
      const order = async () => (await todayQueue(at, { limit: 100 })).items[0]!.playbook.objections.map((o) => o.key);
      expect(await order()).toEqual(['first', 'second']);
      statements.length = 0;
      expect(await order()).toEqual(['first', 'second']);
      expect(statements.filter((s) => !/from "(enrollments|touches)"/.test(s))).toEqual([]); // the three of the first wave, nothing after
      // A cadence naming the second objection: it comes first now, on the next call.
      const def = validateCadence({ name: 'Second', steps: [{ channel: 'call', delay: 0, name: 'Call', reason: 'ask', objections: ['second'] }] });
      if (!def.ok) throw new Error(JSON.stringify(def.issues));
      await saveCadence(ctx, def.value);
      expect(await order()).toEqual(['second', 'first']);
    } finally {
      await store.close();
    }
  });
});
