// Notes on a prospect's timeline (issue 18). A note is a record, as in the CRMs, not an activity
// with the prospect: it is not in the tally, does not move or stop a cadence, and is in no touch
// metric or touch webhook. Its author or a manager may edit or delete it; each change is kept
// (note_changes) with who made it, when, and the text it had, as touches' corrections are.
import { NotFoundError, TallyError } from '../core/errors.ts';
import { inTransaction, mayChangeAuthored, type Context } from './context.ts';
import type { Note } from './ports/records.ts';
import { findProspect } from './prospects.ts';

/** The longest note, in characters: a call's worth of notes, not a document. */
export const NOTE_MAX = 5000;

function noteBody(text: string): string {
  const body = text.replace(/\r\n?/g, '\n').trim();
  if (!body) throw new TallyError('the note is empty: write something to keep', 'invalid');
  if (body.length > NOTE_MAX) throw new TallyError(`the note is ${body.length} characters long; a note is at most ${NOTE_MAX}`, 'invalid');
  return body;
}

/** Adds a note to a prospect the acting user may see (by id or email). */
export async function addNote(ctx: Context, prospectRef: string | number, text: string): Promise<{ noteId: number; prospectId: number }> {
  const body = noteBody(text);
  const p = await findProspect(ctx, prospectRef);
  const noteId = await ctx.store.notes.insert({ workspace_id: ctx.workspace.id, prospect_id: p.id, user_id: ctx.user.id, body, created_at: ctx.now() });
  return { noteId, prospectId: p.id };
}

async function changeableNote(ctx: Context, noteId: number): Promise<Note> {
  const note = await ctx.store.notes.byId(ctx.workspace.id, noteId);
  if (!note) throw new NotFoundError(`no note ${noteId}`);
  // A note on a prospect the user may not see is, to them, no note at all.
  await findProspect(ctx, note.prospect_id).catch(() => {
    throw new NotFoundError(`no note ${noteId}`);
  });
  if (!mayChangeAuthored(ctx, note.user_id)) throw new TallyError('only the person who wrote a note, or a manager, can change it', 'forbidden');
  return note;
}

/** Rewrites a note (its author or a manager), keeping the text it had in note_changes. */
export async function editNote(ctx: Context, noteId: number, text: string): Promise<{ noteId: number; prospectId: number }> {
  const body = noteBody(text);
  return ctx.store.transaction(async (tx) => {
    const inTx = inTransaction(ctx, tx);
    const note = await changeableNote(inTx, noteId);
    if (note.body === body) return { noteId: note.id, prospectId: note.prospect_id };
    const at = ctx.now();
    await tx.notes.recordChange({ workspace_id: ctx.workspace.id, note_id: note.id, prospect_id: note.prospect_id, user_id: ctx.user.id, action: 'edited', before: note.body, at });
    await tx.notes.setBody(note.id, body, at);
    return { noteId: note.id, prospectId: note.prospect_id };
  });
}

/** Deletes a note (its author or a manager); the timeline keeps who deleted it, when, and what it said. */
export async function deleteNote(ctx: Context, noteId: number): Promise<{ noteId: number; prospectId: number }> {
  return ctx.store.transaction(async (tx) => {
    const inTx = inTransaction(ctx, tx);
    const note = await changeableNote(inTx, noteId);
    await tx.notes.recordChange({ workspace_id: ctx.workspace.id, note_id: note.id, prospect_id: note.prospect_id, user_id: ctx.user.id, action: 'deleted', before: note.body, at: ctx.now() });
    await tx.notes.remove(note.id);
    return { noteId: note.id, prospectId: note.prospect_id };
  });
}
