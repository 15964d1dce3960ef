// Replies first and "needs a look" (issues 15 and 17), and the company-wide stop, on SQLite and on
// PostgreSQL: an unsure reading acts on nothing and waits for the owner's decision, which does what
// the classifier would have done; replies wait until confirmed; a reply at a company pauses the
// others there only when the workspace asks for it, and tells their owners.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openContext, type Context } from '../../src/app/context.ts';
import { saveCadence } from '../../src/app/cadences.ts';
import { enroll } from '../../src/app/enrollments.ts';
import { applyInbound } from '../../src/app/inbound.ts';
import { dailyDigestFor } from '../../src/app/digest.ts';
import { decideMessage, dismissNotice, formatExamples, reviewedExamples, waitingForRep } from '../../src/app/inbound-review.ts';
import { saveMailbox } from '../../src/app/mailboxes.ts';
import { initWorkspace } from '../../src/app/workspace.ts';
import { setSetting } from '../../src/app/workspace-settings.ts';
import { validateCadence } from '../../src/core/cadence.ts';
import { TallyError } from '../../src/core/errors.ts';
import type { Mailbox } from '../../src/app/ports/records.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { createTestDatabase } from '../helpers/postgres.ts';
import { tempDir } from '../helpers/tmp.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z'); // a Monday; the workspace is on UTC
const HOUR = 3_600_000;
const dir = tempDir();

const PEOPLE = ['amy', 'ben', 'cal', 'dee'] as const;
type Person = (typeof PEOPLE)[number];
/** amy, ben and cal work at Acme (cal is Rita's); dee is at Globex. */
const COMPANY: Record<Person, string> = { amy: 'Acme', ben: 'Acme', cal: 'Acme', dee: 'Globex' };

interface World {
  store: Store;
  clock: { now: number };
  /** The workspace's first user (the manager, owner of amy, ben, dee) or Rita the rep (owner of cal). */
  ctx(as?: 'rita'): Promise<Context>;
  id: Record<Person, number>;
  mailbox: Mailbox;
  uid: number;
}

const opened: Store[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});
let worlds = 0;

async function world(engine: 'sqlite' | 'postgres'): Promise<World> {
  process.env.TALLY_SECRET_KEY ??= 'inbound review test key';
  const store = await openStore(engine === 'sqlite' ? join(dir, `review-${++worlds}.db`) : await createTestDatabase());
  opened.push(store);
  const clock = { now: T0 };
  const rt = runtimeFor(store, { now: () => clock.now });
  await initWorkspace(rt, { timezone: 'UTC', userEmail: 'me@tally.example' }, T0);
  const c = await openContext(rt);
  const rita = await store.users.insert({ workspace_id: c.workspace.id, email: 'rita@tally.example', name: 'Rita', role: 'rep', password_hash: null, timezone: null, created_at: T0 });
  const companies = new Map<string, number>();
  for (const name of ['Acme', 'Globex']) companies.set(name, await store.companies.insert({ workspace_id: c.workspace.id, name, name_key: name.toLowerCase(), domain: null, created_at: T0 }));
  const ids = await store.transaction((tx) =>
    tx.prospects.insertMany(
      PEOPLE.map((p) => ({
        workspace_id: c.workspace.id, owner_id: p === 'cal' ? rita.id : c.user.id, email: `${p}@${COMPANY[p].toLowerCase()}.example`, email_key: `${p}@${COMPANY[p].toLowerCase()}.example`,
        first_name: p[0]!.toUpperCase() + p.slice(1), last_name: null, phone: null, title: null, company_id: companies.get(COMPANY[p])!, timezone: null, created_at: T0, updated_at: T0,
      })),
    ),
  );
  const id = Object.fromEntries(PEOPLE.map((p, i) => [p, ids[i]!])) as Record<Person, number>;
  const def = validateCadence({ name: 'Calls', steps: [0, 2, 2].map((d, i) => ({ channel: 'call', delay: `${d}d`, name: `Call ${i + 1}`, value_item: 'the benchmark' })) });
  if (!def.ok) throw new Error('invalid test cadence');
  await saveCadence(c, def.value);
  await enroll(c, Object.values(id), 'Calls');
  await saveMailbox(c, { smtpHost: '127.0.0.1', smtpPort: 2525, smtpTls: 'none', user: '', password: 'pw', fromAddress: 'me@tally.example', minSpacingSeconds: 0 });
  const mailbox = await store.db.selectFrom('mailboxes').selectAll().executeTakeFirstOrThrow();
  return { store, clock, id, mailbox, uid: 0, ctx: (as) => openContext(rt, as ? { as: 'rita@tally.example' } : {}) };
}

/** A mail from `who`, written an hour before it is read; not threaded, so it matches by address. */
function mail(w: World, who: Person, subject: string, body: string): Buffer {
  const date = new Date(w.clock.now - HOUR).toUTCString().replace('GMT', '+0000');
  return Buffer.from(`From: ${who} <${who}@${COMPANY[who].toLowerCase()}.example>\r\nTo: me@tally.example\r\nSubject: ${subject}\r\nDate: ${date}\r\nMessage-ID: <m${++w.uid}.${who}@x.example>\r\n\r\n${body}\r\n`);
}

async function receive(w: World, raw: Buffer) {
  return applyInbound(await w.ctx(), w.mailbox, 'INBOX', '1', { uid: w.uid, source: raw, internalDate: w.clock.now - HOUR });
}

const statusOf = async (w: World, p: Person) => (await w.store.db.selectFrom('enrollments').select(['status', 'reason', 'due_at']).where('prospect_id', '=', w.id[p]).executeTakeFirstOrThrow());

/** A reply that says it is one, though it names a vacation: the classifier is unsure. */
const DOUBTFUL = ['Back from vacation', 'Back from vacation: yes, call me Thursday afternoon about the benchmark.'] as const;

for (const engine of ['sqlite', 'postgres'] as const) {
  describe(`needs a look and replies first (${engine})`, () => {
    it('an unsure message acts on nothing, waits for its owner, and the decision does what the classifier would have done', async () => {
      const w = await world(engine);
      w.clock.now = T0 + 2 * HOUR;
      const r = await receive(w, mail(w, 'dee', ...DOUBTFUL));
      expect(r).toMatchObject({ action: 'needs_look', prospectId: w.id.dee });
      expect(await statusOf(w, 'dee')).toMatchObject({ status: 'active' });

      const me = await w.ctx();
      const waiting = await waitingForRep(me);
      expect(waiting.messages).toHaveLength(1);
      const m = waiting.messages[0]!;
      expect(m).toMatchObject({ kind: 'needs_look', prospectId: w.id.dee, subject: 'Back from vacation', reading: { confidence: 'unsure' } });
      expect(m.text).toContain('call me Thursday');
      expect(m.choices.map((c) => c.key)).toEqual(['r', 'm', 'o', 'a', 'b', 'x', 'n']);
      expect((await dailyDigestFor(me)).text).toContain('Replies waiting (1)\n  - Dee (Globex) needs a look (Tally was unsure and did nothing): "Back from vacation", 1 hour ago\n');

      // Another rep does not see it, nor can decide it: it is "not found", like one that does not exist.
      const rita = await w.ctx('rita');
      expect((await waitingForRep(rita)).messages).toEqual([]);
      await expect(decideMessage(rita, m.id, { decision: 'reply' })).rejects.toMatchObject({ code: 'not_found' });
      await expect(decideMessage(me, m.id, { decision: 'maybe' })).rejects.toThrow(/unknown decision "maybe": use one of reply \(r\)/);
      await expect(decideMessage(me, m.id, { decision: 'reply', returnDate: '2026-03-10' })).rejects.toThrow('only "out of office" takes a return date');

      w.clock.now = T0 + 3 * HOUR;
      const d = await decideMessage(await w.ctx(), m.id, { decision: 'o', returnDate: '2026-03-10' });
      expect(d).toMatchObject({ decision: 'out_of_office until 2026-03-10', action: 'snoozed' });
      // Back on Tuesday the 10th: the first business day after is Wednesday the 11th.
      const dee = await statusOf(w, 'dee');
      expect(dee.status).toBe('snoozed');
      expect(Number(dee.due_at)).toBeGreaterThanOrEqual(Date.parse('2026-03-11T00:00:00Z'));
      expect((await waitingForRep(await w.ctx())).messages).toEqual([]);
      await expect(decideMessage(await w.ctx(), m.id, { decision: 'reply' })).rejects.toThrow(/decided already/);

      const row = await w.store.db.selectFrom('inbound_messages').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ review: 'needs_look', decision: 'out_of_office until 2026-03-10', decided_by: me.user.id, decided_at: T0 + 3 * HOUR, action: 'snoozed' });

      const examples = await reviewedExamples(await w.ctx());
      expect(examples).toEqual([
        expect.objectContaining({
          messageId: `<m1.dee@x.example>`, reading: expect.objectContaining({ class: 'human_reply', confidence: 'unsure' }),
          label: { class: 'auto_reply', decision: 'out_of_office', returnDate: '2026-03-10' }, decidedBy: 'me@tally.example',
          headers: expect.objectContaining({ subject: 'Back from vacation', 'message-id': '<m1.dee@x.example>' }),
        }),
      ]);
      const csv = (await formatExamples(examples, 'csv')).split('\n');
      expect(csv[0]).toBe('message_id,received_at,written_at,from,subject,read_as,confidence,reading,label,decision,return_date,decided_by,decided_at,headers');
      expect(csv[1]).toContain(',human_reply,unsure,');
      expect(csv[1]).toContain(',auto_reply,out_of_office,2026-03-10,me@tally.example,');
      expect(JSON.parse((await formatExamples(examples, 'jsonl')).trim())).toEqual(JSON.parse(JSON.stringify(examples[0])));
      // A rep exports only their own prospects' decisions.
      expect(await reviewedExamples(await w.ctx('rita'))).toEqual([]);
    });

    it('a reply waits until the rep confirms it; a reply at a company stops nobody else unless the workspace asks', async () => {
      const w = await world(engine);
      w.clock.now = T0 + 2 * HOUR;
      expect(await receive(w, mail(w, 'amy', 'Re: the benchmark', 'Thanks, send it over.'))).toMatchObject({ action: 'replied' });
      expect(await statusOf(w, 'amy')).toMatchObject({ status: 'replied' });
      expect(await statusOf(w, 'ben')).toMatchObject({ status: 'active' });
      const me = await w.ctx();
      const [reply] = (await waitingForRep(me)).messages;
      expect(reply).toMatchObject({ kind: 'reply', prospectId: w.id.amy, text: 'Thanks, send it over.', choices: [{ id: 'confirmed', key: 'c' }] });
      await expect(decideMessage(me, reply!.id, { decision: 'bounce' })).rejects.toThrow(/is confirmed/);
      expect(await decideMessage(me, reply!.id, { decision: 'c' })).toMatchObject({ decision: 'confirmed' });
      expect((await waitingForRep(me)).messages).toEqual([]);

      await setSetting(me, 'inbound.companyWideStop', 'true');
      w.clock.now = T0 + 4 * HOUR;
      expect(await receive(w, mail(w, 'ben', 'Re: the benchmark', 'Interesting, let us meet.'))).toMatchObject({ action: 'replied' });
      // Cal (Rita's) is paused, not ended; Dee at Globex is untouched.
      expect(await statusOf(w, 'cal')).toMatchObject({ status: 'paused', reason: 'company-wide stop: Ben at Acme replied' });
      expect(await statusOf(w, 'dee')).toMatchObject({ status: 'active' });
      const rita = await w.ctx('rita');
      const { notices } = await waitingForRep(rita);
      expect(notices).toEqual([expect.objectContaining({ prospectId: w.id.cal, text: "Cal's cadence is paused: Ben at Acme replied (company-wide stop). Resume it when the time is right." })]);
      // The manager's own list has Ben's reply; the notice is Rita's (a manager sees it with the team's).
      expect((await waitingForRep(await w.ctx())).notices).toEqual([]);
      expect((await waitingForRep(await w.ctx(), { team: true })).notices).toHaveLength(1);
      await expect(dismissNotice(await w.ctx('rita'), notices[0]!.id + 1000)).rejects.toBeInstanceOf(TallyError);
      expect((await dailyDigestFor(rita)).text).toContain(`Paused by the company-wide stop (1)\n  - ${notices[0]!.text}\n`);
      await dismissNotice(rita, notices[0]!.id);
      expect((await waitingForRep(rita)).notices).toEqual([]);
    });

    it('the digest\'s "Replies waiting" is what waits for a decision, however old, until it is decided', async () => {
      const w = await world(engine);
      w.clock.now = T0 + 2 * HOUR;
      expect(await receive(w, mail(w, 'dee', ...DOUBTFUL))).toMatchObject({ action: 'needs_look' });
      w.clock.now = T0 + 3 * HOUR;
      expect(await receive(w, mail(w, 'amy', 'Re: the benchmark', 'Thanks, this is timely. Can you send the benchmark before Thursday?'))).toMatchObject({ action: 'replied' });
      // Three days on, nothing decided: both still wait (a reply logged days ago is still unanswered).
      w.clock.now = T0 + 3 * 24 * HOUR + 3 * HOUR;
      const d = await dailyDigestFor(await w.ctx());
      expect(d.subject).toMatch(/, 2 replies waiting$/);
      expect(d.text).toContain(
        'Replies waiting (2)\n' +
          '  - Dee (Globex) needs a look (Tally was unsure and did nothing): "Back from vacation", 3 days ago\n' +
          '  - Amy (Acme) replied: "Re: the benchmark", 3 days ago\n',
      );
      // Rita's digest has none of the manager's prospects' messages.
      expect((await dailyDigestFor(await w.ctx('rita'))).text).toContain('Replies waiting (0)\n  No replies waiting.\n');
      // Decided and confirmed: nothing waits, whatever was logged in the last day.
      const [doubt, reply] = (await waitingForRep(await w.ctx())).messages.sort((a, b) => a.at - b.at);
      await decideMessage(await w.ctx(), doubt!.id, { decision: 'reply' });
      await decideMessage(await w.ctx(), reply!.id, { decision: 'confirmed' });
      const after = await dailyDigestFor(await w.ctx());
      expect(after.subject).toMatch(/, 0 replies waiting$/);
      expect(after.text).toContain('Replies waiting (0)\n  No replies waiting.\n');
    });

    it('deciding a doubtful message as a reply stops the cadence, logs the reply, and stops the company when asked', async () => {
      const w = await world(engine);
      await setSetting(await w.ctx(), 'inbound.companyWideStop', 'true');
      w.clock.now = T0 + 2 * HOUR;
      expect(await receive(w, mail(w, 'amy', ...DOUBTFUL))).toMatchObject({ action: 'needs_look' });
      expect(await statusOf(w, 'ben')).toMatchObject({ status: 'active' });
      const [m] = (await waitingForRep(await w.ctx())).messages;
      expect(await decideMessage(await w.ctx(), m!.id, { decision: 'reply' })).toMatchObject({ action: 'replied' });
      expect(await statusOf(w, 'amy')).toMatchObject({ status: 'replied' });
      expect(await statusOf(w, 'ben')).toMatchObject({ status: 'paused' });
      const touches = await w.store.db.selectFrom('touches').select(['outcome', 'message_id']).where('prospect_id', '=', w.id.amy).execute();
      expect(touches).toEqual([{ outcome: 'replied', message_id: '<m1.amy@x.example>' }]);
    });
  });
}
