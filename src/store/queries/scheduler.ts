// The scheduler's bookkeeping (see the port): tick state per workspace, and the events that ask the
// next tick to look again. The writes that change what a hold depends on queue their event here,
// on the same handle, so it commits or rolls back with them.
import type { SchedulerQueries } from '../../app/ports/store/scheduler.ts';
import type { SchedulerCause } from '../../app/ports/records.ts';
import type { Db } from '../engine.ts';
import { chunks } from './chunks.ts';

/**
 * Runs a write and the event it queues atomically: on the caller's transaction when there is one,
 * else in one of its own (two statements must never land apart).
 */
export function withEvent(db: Db, write: (h: Db) => Promise<void>, event: (h: Db) => Promise<void>): Promise<void> {
  const both = async (h: Db) => {
    await write(h);
    await event(h);
  };
  return db.isTransaction ? both(db) : db.transaction().execute(both);
}

/** Event writers, each one statement on the given handle. */
export const queueEvents = {
  async enrollments(h: Db, ids: readonly number[], cause: SchedulerCause = 'enrollment'): Promise<void> {
    for (const part of chunks(ids)) {
      await h
        .insertInto('scheduler_events')
        .columns(['workspace_id', 'enrollment_id', 'cause'])
        .expression((eb) => eb.selectFrom('enrollments').select((s) => ['workspace_id', 'id', s.val(cause).as('cause')]).where('id', 'in', part))
        .execute();
    }
  },
  async prospect(h: Db, prospectId: number, cause: SchedulerCause): Promise<void> {
    await h
      .insertInto('scheduler_events')
      .columns(['workspace_id', 'prospect_id', 'cause'])
      .expression((eb) => eb.selectFrom('prospects').select((s) => ['workspace_id', 'id', s.val(cause).as('cause')]).where('id', '=', prospectId))
      .execute();
  },
  /** A touch: everything of the prospect, and everyone at the company (the per-company cap). */
  async touch(h: Db, t: { workspace_id: number; prospect_id: number; company_id: number | null }): Promise<void> {
    const base = { workspace_id: t.workspace_id, enrollment_id: null, cause: 'touch' as const };
    await h
      .insertInto('scheduler_events')
      .values([{ ...base, prospect_id: t.prospect_id, company_id: null }, ...(t.company_id === null ? [] : [{ ...base, prospect_id: null, company_id: t.company_id }])])
      .execute();
  },
  async workspace(h: Db, workspaceId: number): Promise<void> {
    await h.insertInto('scheduler_events').values({ workspace_id: workspaceId, enrollment_id: null, prospect_id: null, company_id: null, cause: 'settings' }).execute();
  },
};

export function schedulerQueries(db: Db): SchedulerQueries {
  return {
    state: (workspaceId) => db.selectFrom('scheduler_state').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst(),
    async saveState(s) {
      await db
        .insertInto('scheduler_state')
        .values(s)
        .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ horizon_until: s.horizon_until, ticked_at: s.ticked_at }))
        .execute();
    },
    events: (workspaceId, afterId, limit) =>
      db.selectFrom('scheduler_events').selectAll().where('workspace_id', '=', workspaceId).where('id', '>', afterId).orderBy('id').limit(limit).execute(),
    async handled(ids) {
      for (const part of chunks(ids)) await db.deleteFrom('scheduler_events').where('id', 'in', part).execute();
    },
    async pending(workspaceId) {
      const r = await db.selectFrom('scheduler_events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
