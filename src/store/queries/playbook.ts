// Follow-up blocks and the team playbook.
import type { BlockQueries, EntryMeta, PlaybookQueries } from '../../app/ports/store/playbook.ts';
import type { PlaybookObjectionRow, PlaybookValueItemRow } from '../../app/ports/records.ts';
import type { Objection, ValueItem } from '../../core/playbook.ts';
import type { Db } from '../engine.ts';

export function blockQueries(db: Db): BlockQueries {
  return {
    list: (userId) => db.selectFrom('blocks').select(['id', 'weekday', 'start', 'minutes']).where('user_id', '=', userId).orderBy('weekday').orderBy('start').execute(),
    async insert(b) {
      return (await db.insertInto('blocks').values(b).returning('id').executeTakeFirstOrThrow()).id;
    },
    async remove(id, userId) {
      const r = await db.deleteFrom('blocks').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async update(id, userId, b) {
      const r = await db.updateTable('blocks').set(b).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}

const meta = (r: { created_by: number | null; created_at: number; updated_at: number; archived_at: number | null }): EntryMeta => ({
  createdById: r.created_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  archivedAt: r.archived_at === null ? null : Number(r.archived_at),
});

const toObjection = (r: PlaybookObjectionRow): Objection & EntryMeta => ({
  id: r.id, key: r.key, objection: r.objection, answer: r.answer, tags: JSON.parse(r.tags) as string[], channel: r.channel, archived: r.archived_at !== null, ...meta(r),
});

const toValueItem = (r: PlaybookValueItemRow): ValueItem & EntryMeta => ({
  id: r.id, key: r.key, kind: r.kind, title: r.title, summary: r.summary, url: r.url, archived: r.archived_at !== null, ...meta(r),
});

export function playbookQueries(db: Db): PlaybookQueries {
  return {
    async objections(workspaceId, opts = {}) {
      let q = db.selectFrom('playbook_objections').selectAll().where('workspace_id', '=', workspaceId);
      if (!opts.includeArchived) q = q.where('archived_at', 'is', null);
      return (await q.orderBy('id').execute()).map(toObjection);
    },
    async valueItems(workspaceId, opts = {}) {
      let q = db.selectFrom('playbook_value_items').selectAll().where('workspace_id', '=', workspaceId);
      if (!opts.includeArchived) q = q.where('archived_at', 'is', null);
      return (await q.orderBy('id').execute()).map(toValueItem);
    },
    async keys(kind, workspaceId) {
      const table = kind === 'objection' ? 'playbook_objections' : 'playbook_value_items';
      return new Set((await db.selectFrom(table).select('key').where('workspace_id', '=', workspaceId).execute()).map((r) => r.key));
    },
    async insertObjection(o) {
      return (await db.insertInto('playbook_objections').values(o).returning('id').executeTakeFirstOrThrow()).id;
    },
    async insertValueItem(v) {
      return (await db.insertInto('playbook_value_items').values(v).returning('id').executeTakeFirstOrThrow()).id;
    },
    async updateObjection(workspaceId, id, set) {
      await db.updateTable('playbook_objections').set(set).where('id', '=', id).where('workspace_id', '=', workspaceId).execute();
    },
    async updateValueItem(workspaceId, id, set) {
      await db.updateTable('playbook_value_items').set(set).where('id', '=', id).where('workspace_id', '=', workspaceId).execute();
    },
  };
}
