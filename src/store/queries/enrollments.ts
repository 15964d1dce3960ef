// Enrollments: a prospect's place in a cadence.
import type { EnrollmentChange, EnrollmentQueries } from '../../app/ports/store/enrollments.ts';
import { LIVE_STATUS_LIST } from '../../core/types.ts';
import type { Insertable } from 'kysely';
import type { Db, Engine } from '../engine.ts';
import type { EnrollmentHoldsTable } from '../schema.ts';
import { chunks } from './chunks.ts';
import { queueEvents, withEvent } from './scheduler.ts';

/** The columns a hold depends on: a write that sets one queues the enrollment for the next tick. */
const SCHEDULE_COLUMNS = ['status', 'step_index', 'due_at', 'cadence_version_id'] as const;
const movesSchedule = (set: EnrollmentChange) => SCHEDULE_COLUMNS.some((c) => set[c] !== undefined);

export function enrollmentQueries(db: Db, engine: Engine): EnrollmentQueries {
  return {
    live: (prospectId) =>
      db.selectFrom('enrollments').selectAll().where('prospect_id', '=', prospectId).where('status', 'in', LIVE_STATUS_LIST).orderBy('id', 'desc').executeTakeFirst(),
    async oldestLiveStart(ownerId) {
      const r = await db.selectFrom('enrollments').select((eb) => eb.fn.min<number>('started_at').as('at')).where('owner_id', '=', ownerId).where('status', 'in', LIVE_STATUS_LIST).executeTakeFirst();
      return r?.at === null || r?.at === undefined ? null : Number(r.at);
    },
    liveOf: (prospectIds) => db.selectFrom('enrollments').selectAll().where('prospect_id', 'in', prospectIds).where('status', 'in', LIVE_STATUS_LIST).execute(),
    async liveCadenceNames(prospectIds) {
      const rows = await db
        .selectFrom('enrollments as e')
        .innerJoin('cadences as c', 'c.id', 'e.cadence_id')
        .select(['e.prospect_id', 'c.name'])
        .where('e.prospect_id', 'in', prospectIds)
        .where('e.status', 'in', LIVE_STATUS_LIST)
        .execute();
      return new Map(rows.map((l) => [l.prospect_id, l.name]));
    },
    async insert(rows) {
      let inserted: { id: number; prospect_id: number; due_at: number | null }[] = [];
      await withEvent(
        db,
        async (h) => void (inserted = await h.insertInto('enrollments').values(rows).returning(['id', 'prospect_id', 'due_at']).execute()),
        (h) => queueEvents.enrollments(h, inserted.map((r) => r.id)),
      );
      return inserted;
    },
    async update(id, set) {
      const write = async (h: Db) => void (await h.updateTable('enrollments').set(set).where('id', '=', id).execute());
      if (!movesSchedule(set)) return write(db);
      await withEvent(db, write, (h) => queueEvents.enrollments(h, [id]));
    },
    async updateLive(prospectId, set) {
      await withEvent(
        db,
        async (h) => void (await h.updateTable('enrollments').set(set).where('prospect_id', '=', prospectId).where('status', 'in', LIVE_STATUS_LIST).execute()),
        (h) => queueEvents.prospect(h, prospectId, 'enrollment'),
      );
    },
    async setPriority(prospectId, priority) {
      await db.updateTable('enrollments').set({ priority }).where('prospect_id', '=', prospectId).execute();
    },
    async writeHolds(changes) {
      const set: Insertable<EnrollmentHoldsTable>[] = [];
      for (const c of changes) if (c.hold) set.push({ enrollment_id: c.enrollmentId, workspace_id: c.workspaceId, ...c.hold });
      // In key order the table's pages and the foreign keys' lookups are visited once each, in
      // order (a first tick's 5,700 holds in due order: 33 ms on SQLite; sorted: 26 ms).
      set.sort((a, b) => a.enrollment_id - b.enrollment_id);
      await engine.upsertMany(db, 'enrollment_holds', 'enrollment_id', set);
      const lifted = changes.filter((c) => c.hold === null).map((c) => c.enrollmentId);
      for (const part of chunks(lifted)) await db.deleteFrom('enrollment_holds').where('enrollment_id', 'in', part).execute();
    },
    async wake(ids, now) {
      for (const part of chunks(ids)) {
        await db
          .updateTable('enrollments')
          .set({ status: 'active', reason: null, updated_at: now })
          .where('id', 'in', part)
          .where('status', '=', 'snoozed')
          .where('due_at', '<=', now)
          .execute();
      }
    },
    history: (prospectId) =>
      db
        .selectFrom('enrollments as e')
        .innerJoin('cadences as c', 'c.id', 'e.cadence_id')
        .innerJoin('cadence_versions as v', 'v.id', 'e.cadence_version_id')
        .leftJoin('cadence_steps as s', (j) => j.onRef('s.cadence_version_id', '=', 'e.cadence_version_id').onRef('s.position', '=', 'e.step_index'))
        .select((eb) => [
          'e.id', 'c.name as cadence', 'v.version', 'e.status', 'e.reason', 'e.step_index', 'e.due_at', 'e.started_at', 'e.ended_at', 's.name as next_step',
          eb.selectFrom('cadence_steps as all_steps').whereRef('all_steps.cadence_version_id', '=', 'e.cadence_version_id').select(eb.fn.countAll<number>().as('n')).as('steps'),
        ])
        .where('e.prospect_id', '=', prospectId)
        .orderBy('e.started_at')
        .orderBy('e.id') // ties in a stable order on every engine
        .execute()
        .then((rows) => rows.map((r) => ({ ...r, steps: Number(r.steps) }))),
    listWithCadence: (workspaceId) =>
      db
        .selectFrom('enrollments as e')
        .innerJoin('cadences as cd', 'cd.id', 'e.cadence_id')
        .select(['e.prospect_id', 'cd.name as cadence', 'e.status', 'e.due_at'])
        .where('e.workspace_id', '=', workspaceId)
        .orderBy('e.id')
        .execute(),
  };
}

