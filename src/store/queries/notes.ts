// Notes on a prospect's timeline (see the port).
import type { NoteQueries } from '../../app/ports/store/notes.ts';
import type { Db } from '../engine.ts';
import { changeLogOf } from './change-log.ts';

export function noteQueries(db: Db): NoteQueries {
  return {
    async insert(note) {
      return (await db.insertInto('notes').values(note).returning('id').executeTakeFirstOrThrow()).id;
    },
    async byId(workspaceId, id) {
      const n = await db.selectFrom('notes').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
      return n && { ...n, created_at: Number(n.created_at), edited_at: n.edited_at === null ? null : Number(n.edited_at) };
    },
    async setBody(id, body, at) {
      await db.updateTable('notes').set({ body, edited_at: at }).where('id', '=', id).execute();
    },
    async remove(id) {
      await db.deleteFrom('notes').where('id', '=', id).execute();
    },
    async recordChange(c) {
      await db.insertInto('note_changes').values(c).execute();
    },
    async ofProspect(prospectId) {
      const rows = await db
        .selectFrom('notes as n')
        .innerJoin('users as u', 'u.id', 'n.user_id')
        .selectAll('n')
        .select('u.name as user_name')
        .where('n.prospect_id', '=', prospectId)
        .orderBy('n.created_at')
        .orderBy('n.id')
        .execute();
      return rows.map((r) => ({ ...r, created_at: Number(r.created_at), edited_at: r.edited_at === null ? null : Number(r.edited_at) }));
    },
    changesOf: (prospectId) => changeLogOf(db, 'note_changes', prospectId),
  };
}
