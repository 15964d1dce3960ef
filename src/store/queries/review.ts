// Inbound messages waiting for the rep and their decisions; notices of the company-wide stop.
import type { ReviewQueries, ReviewRow } from '../../app/ports/store/review.ts';
import type { InboundMessage } from '../../app/ports/records.ts';
import { displayName } from '../../core/prospect-name.ts';
import type { Db } from '../engine.ts';

type Joined = InboundMessage & { p_first_name: string | null; p_last_name: string | null; p_email: string; p_owner_id: number; p_company: string | null };

function reviewRow(r: Joined): ReviewRow {
  const { p_first_name, p_last_name, p_email, p_owner_id, p_company, ...message } = r;
  return {
    message,
    prospect: { id: message.prospect_id!, name: displayName({ first_name: p_first_name, last_name: p_last_name, email: p_email }), email: p_email, company: p_company, ownerId: p_owner_id },
  };
}

export function reviewQueries(db: Db): ReviewQueries {
  const joined = (workspaceId: number, ownerId: number | undefined) => {
    let q = db
      .selectFrom('inbound_messages as m')
      .innerJoin('prospects as p', 'p.id', 'm.prospect_id')
      .leftJoin('companies as co', 'co.id', 'p.company_id')
      .selectAll('m')
      .select(['p.first_name as p_first_name', 'p.last_name as p_last_name', 'p.email as p_email', 'p.owner_id as p_owner_id', 'co.name as p_company'])
      .where('m.workspace_id', '=', workspaceId);
    if (ownerId !== undefined) q = q.where('p.owner_id', '=', ownerId);
    return q;
  };
  return {
    async waiting(f) {
      const rows = await joined(f.workspaceId, f.ownerId)
        .where('m.review', 'is not', null)
        .where('m.decided_at', 'is', null)
        .where((eb) =>
          eb.or([
            eb('m.review', '=', 'needs_look'),
            // A reply the rep has acted on (a touch logged after it was read) waits no more.
            eb.not(eb.exists(eb.selectFrom('touches as t').select('t.id').whereRef('t.prospect_id', '=', 'm.prospect_id').whereRef('t.occurred_at', '>', 'm.created_at'))),
          ]),
        )
        .orderBy('m.created_at', 'desc')
        .orderBy('m.id', 'desc')
        .limit(f.limit)
        .execute();
      return rows.map(reviewRow);
    },
    async one(workspaceId, id) {
      const r = await joined(workspaceId, undefined).where('m.id', '=', id).executeTakeFirst();
      return r && reviewRow(r);
    },
    async decide(id, d) {
      const set = {
        decision: d.decision, decided_by: d.by, decided_at: d.at,
        ...(d.action !== undefined ? { action: d.action } : {}),
        ...(d.detail !== undefined ? { detail: d.detail } : {}),
        ...(d.enrollmentId !== undefined ? { enrollment_id: d.enrollmentId } : {}),
      };
      const r = await db.updateTable('inbound_messages').set(set).where('id', '=', id).where('decided_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async decided(f) {
      const rows = await joined(f.workspaceId, f.ownerId).where('m.decided_at', 'is not', null).orderBy('m.decided_at').orderBy('m.id').execute();
      return rows.map(reviewRow);
    },
    colleaguesRunning: (workspaceId, companyId, exceptProspectId) =>
      db
        .selectFrom('prospects as p')
        .selectAll('p')
        .where('p.workspace_id', '=', workspaceId)
        .where('p.company_id', '=', companyId)
        .where('p.id', '!=', exceptProspectId)
        .where((eb) => eb.exists(eb.selectFrom('enrollments as e').select('e.id').whereRef('e.prospect_id', '=', 'p.id').where('e.status', 'in', ['active', 'snoozed'])))
        .orderBy('p.id')
        .execute(),
    async addNotice(n) {
      await db.insertInto('inbound_notices').values(n).execute();
    },
    async notices(f) {
      let q = db
        .selectFrom('inbound_notices as n')
        .innerJoin('prospects as p', 'p.id', 'n.prospect_id')
        .selectAll('n')
        .select(['p.first_name', 'p.last_name', 'p.email'])
        .where('n.workspace_id', '=', f.workspaceId)
        .where('n.seen_at', 'is', null);
      if (f.userId !== undefined) q = q.where('n.user_id', '=', f.userId);
      const rows = await q.orderBy('n.created_at', 'desc').orderBy('n.id', 'desc').limit(f.limit).execute();
      return rows.map(({ first_name, last_name, email, ...n }) => ({ ...n, prospect_name: displayName({ first_name, last_name, email }) }));
    },
    async seeNotice(workspaceId, id, userId, at) {
      let q = db.updateTable('inbound_notices').set({ seen_at: at }).where('id', '=', id).where('workspace_id', '=', workspaceId).where('seen_at', 'is', null);
      if (userId !== undefined) q = q.where('user_id', '=', userId);
      return Number((await q.executeTakeFirst()).numUpdatedRows) === 1;
    },
  };
}
