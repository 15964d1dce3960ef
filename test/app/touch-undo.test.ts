// Undoing a touch logged from the queue (issue 17) on a real SQLite file with a pinned clock: the
// tally, the enrollment and the webhook outbox go back as they were within the window, not after
// it; a request for a card that has moved on is refused; every undo is recorded. A note (issue 18)
// moves none of them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/store/store.ts';
import { openContext, type Context } from '../../src/app/context.ts';
import { correctTouch, deleteTouch, logTouch, undoTouch, UNDO_WINDOW_MS } from '../../src/app/touches.ts';
import { createWebhook, deliverDueWebhooks } from '../../src/app/webhooks.ts';
import { addNote, deleteNote, editNote } from '../../src/app/notes.ts';
import { TallyCli } from '../helpers/cli.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';

const dir = tempDir();
const T0 = Date.parse('2026-03-02T10:00:00Z');
const CADENCE = `name: Quick
steps:
  - { channel: email, delay: 0, name: Hello, value_item: a benchmark }
  - { channel: call, delay: 4h, name: Call, value_item: the benchmark walked through }
`;

let store: Store;
const ctxAt = (now: number): Promise<Context> => openContext(runtimeFor(store), { now: () => now });
const enrollmentOf = (email: string) =>
  store.db.selectFrom('enrollments as e').innerJoin('prospects as p', 'p.id', 'e.prospect_id').selectAll('e').where('p.email', '=', email).executeTakeFirstOrThrow();

beforeAll(async () => {
  const cli = new TallyCli(join(dir, 'undo.db'), '2026-03-02T09:00:00Z');
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example', '--user-name', 'Me');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', 'email,first_name\namy@acme.example,Amy\nben@acme.example,Ben\n'));
  await cli.ok('cadence', 'add', writeFile(dir, 'quick.yaml', CADENCE));
  await cli.ok('enroll', 'amy@acme.example', 'ben@acme.example', '--cadence', 'Quick');
  // A receiver on loopback over plain http: an internal one, so on the allow-list.
  await cli.ok('settings', 'set', 'webhooks.allowHosts', '127.0.0.1');
  store = await openStore(cli.db);
  await createWebhook(await ctxAt(T0), { url: 'http://127.0.0.1:9/hooks', events: ['touch.logged'] });
});

afterAll(async () => {
  await store?.close();
});

it('undoes a queue touch within the window: tally, enrollment and held webhooks as before, the undo recorded', async () => {
  const was = await enrollmentOf('amy@acme.example');
  const ctx = await ctxAt(T0);
  const logged = await logTouch(ctx, 'amy@acme.example', { channel: 'email', outcome: 'sent', seen: { enrollmentId: was.id, stepIndex: 0 } });
  expect((await enrollmentOf('amy@acme.example')).step_index).toBe(1);
  // Its webhook waits out the window: a deliverer before then sends nothing.
  expect((await deliverDueWebhooks(runtimeFor(store), { now: T0 + UNDO_WINDOW_MS - 1 })).attempted).toBe(0);

  const undone = await undoTouch(await ctxAt(T0 + UNDO_WINDOW_MS - 1), logged.touchId);
  expect(undone).toMatchObject({ touchId: logged.touchId, tally: 0 });
  expect(await enrollmentOf('amy@acme.example')).toEqual({ ...was, updated_at: T0 + UNDO_WINDOW_MS - 1 });
  expect(await store.db.selectFrom('webhook_deliveries').select('id').execute()).toHaveLength(0);
  const changes = await store.db.selectFrom('touch_changes').selectAll().execute();
  expect(changes).toMatchObject([{ touch_id: logged.touchId, action: 'undone', after: null, at: T0 + UNDO_WINDOW_MS - 1 }]);
  expect(JSON.parse(changes[0]!.before)).toMatchObject({ channel: 'email', outcome: 'sent', step: 1 });
});

it('refuses an undo after the window, and a touch not logged from the queue, in plain words', async () => {
  const e = await enrollmentOf('ben@acme.example');
  const fromQueue = await logTouch(await ctxAt(T0), 'ben@acme.example', { channel: 'email', outcome: 'sent', seen: { enrollmentId: e.id, stepIndex: 0 } });
  await expect(undoTouch(await ctxAt(T0 + UNDO_WINDOW_MS + 1), fromQueue.touchId)).rejects.toThrow(/^Too late to undo this touch/);
  const byHand = await logTouch(await ctxAt(T0), 'ben@acme.example', { channel: 'call', outcome: 'no_answer' });
  await expect(undoTouch(await ctxAt(T0), byHand.touchId)).rejects.toThrow(/^Too late to undo this touch/);
  // Undo cannot rewind past a later touch in the same cadence.
  await expect(undoTouch(await ctxAt(T0 + 1), fromQueue.touchId)).rejects.toThrow(/a later touch was logged/);
});

it('refuses a touch for a card that has moved on, and logs nothing', async () => {
  const e = await enrollmentOf('amy@acme.example');
  const ctx = await ctxAt(T0 + 60_000);
  await logTouch(ctx, 'amy@acme.example', { channel: 'email', outcome: 'sent', seen: { enrollmentId: e.id, stepIndex: e.step_index } });
  const count = async () => (await store.db.selectFrom('touches').select('id').execute()).length;
  const before = await count();
  await expect(logTouch(ctx, 'amy@acme.example', { channel: 'email', outcome: 'sent', seen: { enrollmentId: e.id, stepIndex: e.step_index } }))
    .rejects.toThrow(/^Not logged: the card you acted on is out of date\. amy@acme\.example is now on step 2, not step 1/);
  expect(await count()).toBe(before);
});

it('corrects and deletes a touch later, recording who, when and what it was', async () => {
  const t = await logTouch(await ctxAt(T0 + 3_600_000), 'ben@acme.example', { channel: 'call', outcome: 'no_answer', note: 'rang twice' });
  const fixed = await correctTouch(await ctxAt(T0 + 7_200_000), t.touchId, { outcome: 'left_voicemail', note: '' });
  expect(fixed).toEqual({ touchId: t.touchId, outcome: 'left_voicemail', note: null });
  await expect(correctTouch(await ctxAt(T0), t.touchId, { outcome: 'connection_sent' })).rejects.toThrow(/not an outcome of a/);
  const gone = await deleteTouch(await ctxAt(T0 + 10_800_000), t.touchId);
  expect(gone.touchId).toBe(t.touchId);
  const changes = await store.db.selectFrom('touch_changes').selectAll().where('touch_id', '=', t.touchId).orderBy('id').execute();
  expect(changes.map((c) => [c.action, Number(c.at)])).toEqual([['corrected', T0 + 7_200_000], ['deleted', T0 + 10_800_000]]);
  expect(JSON.parse(changes[0]!.before)).toMatchObject({ outcome: 'no_answer', note: 'rang twice' });
  expect(JSON.parse(changes[0]!.after!)).toMatchObject({ outcome: 'left_voicemail', note: null });
  expect(JSON.parse(changes[1]!.before)).toMatchObject({ outcome: 'left_voicemail' });
  await expect(deleteTouch(await ctxAt(T0), t.touchId)).rejects.toThrow(/no touch/);
});

it('a note is not a touch: no webhook delivery, the enrollment and the tally as they were, edits and deletion recorded', async () => {
  const ctx = await ctxAt(T0 + 3_600_000);
  const was = await enrollmentOf('ben@acme.example');
  const deliveries = async () => (await store.db.selectFrom('webhook_deliveries').select('id').execute()).length;
  const sent = await deliveries();
  const tally = await store.touches.count(was.prospect_id);
  const { noteId, prospectId } = await addNote(ctx, 'ben@acme.example', '  Ben is out until the 12th.\r\nHis deputy: Carla.  ');
  expect(await deliveries()).toBe(sent);
  expect(await enrollmentOf('ben@acme.example')).toEqual(was);
  expect(await store.touches.count(prospectId)).toBe(tally);
  expect((await store.notes.byId(ctx.workspace.id, noteId))!.body).toBe('Ben is out until the 12th.\nHis deputy: Carla.');
  await expect(addNote(ctx, 'ben@acme.example', 'x'.repeat(5001))).rejects.toThrow('the note is 5001 characters long; a note is at most 5000');
  await expect(editNote(ctx, noteId + 100, 'gone')).rejects.toThrow(`no note ${noteId + 100}`);

  await editNote(await ctxAt(T0 + 7_200_000), noteId, 'Ben is back on the 12th.');
  await deleteNote(await ctxAt(T0 + 10_800_000), noteId);
  const changes = await store.db.selectFrom('note_changes').select(['action', 'before', 'at']).where('note_id', '=', noteId).orderBy('id').execute();
  expect(changes.map((c) => ({ ...c, at: Number(c.at) }))).toEqual([
    { action: 'edited', before: 'Ben is out until the 12th.\nHis deputy: Carla.', at: T0 + 7_200_000 },
    { action: 'deleted', before: 'Ben is back on the 12th.', at: T0 + 10_800_000 },
  ]);
  expect(await deliveries()).toBe(sent);
  expect(await enrollmentOf('ben@acme.example')).toEqual(was);
});
