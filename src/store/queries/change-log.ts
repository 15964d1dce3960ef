// A prospect's change log of one kind of timeline entry (touch_changes, note_changes: the same shape
// but for the entry's id column): who changed what and when, with the user's name, oldest first.
import type { NoteChange, TouchChange } from '../../app/ports/records.ts';
import type { Db } from '../engine.ts';

interface ChangeLogs {
  touch_changes: TouchChange;
  note_changes: NoteChange;
}

export async function changeLogOf<T extends keyof ChangeLogs>(db: Db, table: T, prospectId: number): Promise<(ChangeLogs[T] & { user_name: string })[]> {
  // Typed as touch_changes: the query reads only the columns both tables share, and the rows come back as `table`'s.
  const rows = await db
    .selectFrom(`${table} as c` as 'touch_changes as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .selectAll('c')
    .select('u.name as user_name')
    .where('c.prospect_id', '=', prospectId)
    .orderBy('c.at')
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ ...r, at: Number(r.at) })) as unknown as (ChangeLogs[T] & { user_name: string })[];
}
