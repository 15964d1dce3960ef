// Erasure, tombstones, the company view, recent answers and bulk changes (see the port).
import type { RecordQueries } from '../../app/ports/store/records.ts';
import { displayName } from '../../core/prospect-name.ts';
import { LIVE_STATUS_LIST } from '../../core/types.ts';
import type { Db } from '../engine.ts';
import { chunks } from './chunks.ts';

/** Rows a delete removed, on either engine. */
const removed = (r: { numDeletedRows: bigint }[]) => r.reduce((n, x) => n + Number(x.numDeletedRows), 0);

export function recordQueries(db: Db): RecordQueries {
  return {
    async erase(workspaceId, prospectId) {
      const counts: Record<string, number> = {};
      const p = await db.selectFrom('prospects').select(['id', 'company_id']).where('id', '=', prospectId).where('workspace_id', '=', workspaceId).executeTakeFirst();
      if (!p) return counts;
      const enrollmentIds = (await db.selectFrom('enrollments').select('id').where('prospect_id', '=', prospectId).execute()).map((e) => e.id);
      const outboxIds = (await db.selectFrom('outbox').select('id').where('prospect_id', '=', prospectId).execute()).map((o) => o.id);
      const none = [-1];
      const eids = enrollmentIds.length ? enrollmentIds : none;
      const oids = outboxIds.length ? outboxIds : none;
      // Children first: nothing may point at a row that is gone.
      counts.inbound_messages = removed(await db.deleteFrom('inbound_messages')
        .where((eb) => eb.or([eb('prospect_id', '=', prospectId), eb('enrollment_id', 'in', eids), eb('outbox_id', 'in', oids)])).execute());
      counts.email_threads = removed(await db.deleteFrom('email_threads').where('enrollment_id', 'in', eids).execute());
      counts.outbox = removed(await db.deleteFrom('outbox').where('id', 'in', oids).execute());
      // Webhook bodies name the prospect (core/webhook-events.ts prospectJson): delivered or not, they go.
      counts.webhook_deliveries = removed(await db.deleteFrom('webhook_deliveries').where('workspace_id', '=', workspaceId)
        .where('payload', 'like', `%"prospect":{"id":${prospectId},%`).execute());
      counts.scheduler_events = removed(await db.deleteFrom('scheduler_events')
        .where((eb) => eb.or([eb('prospect_id', '=', prospectId), eb('enrollment_id', 'in', eids)])).execute());
      const [touches, changes, fills, notes, noteChanges] = await Promise.all([
        db.selectFrom('touches').select((eb) => eb.fn.countAll<number>().as('n')).where('prospect_id', '=', prospectId).executeTakeFirstOrThrow(),
        db.selectFrom('touch_changes').select((eb) => eb.fn.countAll<number>().as('n')).where('prospect_id', '=', prospectId).executeTakeFirstOrThrow(),
        db.selectFrom('slot_fills').select((eb) => eb.fn.countAll<number>().as('n')).where('prospect_id', '=', prospectId).executeTakeFirstOrThrow(),
        db.selectFrom('notes').select((eb) => eb.fn.countAll<number>().as('n')).where('prospect_id', '=', prospectId).executeTakeFirstOrThrow(),
        db.selectFrom('note_changes').select((eb) => eb.fn.countAll<number>().as('n')).where('prospect_id', '=', prospectId).executeTakeFirstOrThrow(),
      ]);
      counts.touches = Number(touches.n);
      counts.touch_changes = Number(changes.n);
      counts.slot_fills = Number(fills.n);
      counts.notes = Number(notes.n);
      counts.note_changes = Number(noteChanges.n);
      counts.enrollments = enrollmentIds.length;
      // Touches, their corrections, notes and their edits, slot fills, enrollments and their holds go with the prospect (on delete cascade).
      await db.deleteFrom('touch_changes').where('prospect_id', '=', prospectId).execute();
      await db.deleteFrom('note_changes').where('prospect_id', '=', prospectId).execute();
      await db.deleteFrom('notes').where('prospect_id', '=', prospectId).execute();
      await db.deleteFrom('touches').where('prospect_id', '=', prospectId).execute();
      await db.deleteFrom('enrollment_holds').where('enrollment_id', 'in', eids).execute();
      await db.deleteFrom('enrollments').where('prospect_id', '=', prospectId).execute();
      counts.prospects = removed(await db.deleteFrom('prospects').where('id', '=', prospectId).execute());
      // A company only this person was at may be their own name (a sole trader): it goes too.
      if (p.company_id !== null) {
        const used = await db.selectFrom('prospects').select('id').where('company_id', '=', p.company_id).limit(1).executeTakeFirst()
          ?? await db.selectFrom('touches').select('id').where('company_id', '=', p.company_id).limit(1).executeTakeFirst();
        counts.companies = used ? 0 : removed(await db.deleteFrom('companies').where('id', '=', p.company_id).execute());
      }
      return counts;
    },
    async eraseSalt(workspaceId) {
      return (await db.selectFrom('workspaces').select('erase_salt').where('id', '=', workspaceId).executeTakeFirst())?.erase_salt ?? null;
    },
    async setEraseSalt(workspaceId, salt) {
      await db.updateTable('workspaces').set({ erase_salt: salt }).where('id', '=', workspaceId).where('erase_salt', 'is', null).execute();
    },
    async addTombstone(workspaceId, emailHash, at) {
      await db.insertInto('erased_prospects').values({ workspace_id: workspaceId, email_hash: emailHash, erased_at: at })
        .onConflict((oc) => oc.columns(['workspace_id', 'email_hash']).doNothing()).execute();
    },
    async tombstones(workspaceId, hashes) {
      const out = new Set<string>();
      for (const part of chunks(hashes)) {
        const rows = await db.selectFrom('erased_prospects').select('email_hash').where('workspace_id', '=', workspaceId).where('email_hash', 'in', part).execute();
        for (const r of rows) out.add(r.email_hash);
      }
      return out;
    },
    async companyByKey(workspaceId, key) {
      return (await db.selectFrom('companies').select('id').where('workspace_id', '=', workspaceId).where('name_key', '=', key).executeTakeFirst())?.id;
    },
    company: (workspaceId, companyId) =>
      db.selectFrom('companies').select(['id', 'name', 'domain']).where('workspace_id', '=', workspaceId).where('id', '=', companyId).executeTakeFirst(),
    async companyPeople(workspaceId, companyId, ownerId) {
      let q = db
        .selectFrom('prospects as p')
        .innerJoin('users as u', 'u.id', 'p.owner_id')
        // The latest enrollment: the live one when there is one (ids grow).
        .leftJoin('enrollments as e', (j) =>
          j.on('e.id', '=', (eb) => eb.selectFrom('enrollments as e2').select((eb2) => eb2.fn.max('e2.id').as('m')).whereRef('e2.prospect_id', '=', 'p.id')))
        .leftJoin('cadences as cad', 'cad.id', 'e.cadence_id')
        .select((eb) => [
          'p.id', 'p.first_name', 'p.last_name', 'p.email', 'p.title', 'p.opted_out_at', 'p.email_status', 'u.id as owner_id', 'u.name as owner_name',
          'e.status', 'e.reason', 'e.due_at', 'cad.name as cadence',
          eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'p.id').select((eb2) => eb2.fn.max('t.occurred_at').as('m')).as('last_touch_at'),
        ])
        .where('p.workspace_id', '=', workspaceId)
        .where('p.company_id', '=', companyId)
        .orderBy('p.last_name').orderBy('p.first_name').orderBy('p.id');
      if (ownerId !== undefined) q = q.where('p.owner_id', '=', ownerId);
      return (await q.execute()).map((r) => ({
        id: r.id,
        name: displayName(r),
        email: r.email,
        title: r.title,
        owner: { id: r.owner_id, name: r.owner_name },
        status: r.status,
        reason: r.reason,
        cadence: r.cadence,
        dueAt: r.due_at === null || !LIVE_STATUS_LIST.some((s) => s === r.status) ? null : Number(r.due_at),
        lastTouchAt: r.last_touch_at === null ? null : Number(r.last_touch_at),
        optedOut: r.opted_out_at !== null,
        emailStatus: r.email_status,
      }));
    },
    async recentAnswers(prospectIds, outcomes, since) {
      const out = [];
      for (const part of chunks(prospectIds)) {
        const rows = await db.selectFrom('touches').select(['prospect_id', 'outcome', (eb) => eb.fn.max('occurred_at').as('at')])
          .where('prospect_id', 'in', part).where('outcome', 'in', outcomes).where('occurred_at', '>=', since)
          .groupBy(['prospect_id', 'outcome']).execute();
        for (const r of rows) out.push({ prospectId: r.prospect_id, outcome: r.outcome, at: Number(r.at) });
      }
      return out;
    },
    async addBulkChange(c) {
      return (await db.insertInto('bulk_changes').values(c).returning('id').executeTakeFirstOrThrow()).id;
    },
    bulkChange: (workspaceId, id) => db.selectFrom('bulk_changes').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),
    async markBulkUndone(id, at) {
      await db.updateTable('bulk_changes').set({ undone_at: at }).where('id', '=', id).execute();
    },
    async removeEnrollments(ids) {
      for (const part of chunks(ids)) {
        await db.deleteFrom('outbox').where('enrollment_id', 'in', part).where('status', '=', 'queued').execute();
        await db.deleteFrom('email_threads').where('enrollment_id', 'in', part).execute();
        await db.deleteFrom('scheduler_events').where('enrollment_id', 'in', part).execute();
        await db.deleteFrom('enrollment_holds').where('enrollment_id', 'in', part).execute();
        await db.deleteFrom('enrollments').where('id', 'in', part).execute();
      }
    },
    async enrollments(ids) {
      const out = [];
      for (const part of chunks(ids)) out.push(...(await db.selectFrom('enrollments').selectAll().where('id', 'in', part).execute()));
      return out;
    },
    async worked(ids) {
      const out = new Set<number>();
      for (const part of chunks(ids)) {
        const touched = await db.selectFrom('touches').select('enrollment_id').where('enrollment_id', 'in', part).execute();
        const mailed = await db.selectFrom('outbox').select('enrollment_id').where('enrollment_id', 'in', part).where('status', '!=', 'queued').execute();
        for (const r of [...touched, ...mailed]) if (r.enrollment_id !== null) out.add(r.enrollment_id);
      }
      return out;
    },
  };
}
