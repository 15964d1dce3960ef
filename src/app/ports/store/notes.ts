// Notes on a prospect's timeline and the record of their edits and deletions (issue 18).
import type { Note, NoteChange } from '../records.ts';

export type NewNote = Omit<Note, 'id' | 'edited_at'>;

export interface NoteQueries {
  insert(note: NewNote): Promise<number>;
  byId(workspaceId: number, id: number): Promise<Note | undefined>;
  setBody(id: number, body: string, at: number): Promise<void>;
  remove(id: number): Promise<void>;
  recordChange(change: Omit<NoteChange, 'id'>): Promise<void>;
  /** A prospect's notes with their author's name, oldest first. */
  ofProspect(prospectId: number): Promise<(Note & { user_name: string })[]>;
  /** A prospect's note edits and deletions with the name of who made them, oldest first. */
  changesOf(prospectId: number): Promise<(NoteChange & { user_name: string })[]>;
}
