// Outgoing webhooks: endpoints and the outbox of their deliveries, claimed row by row.
import type { WebhookQueries } from '../../app/ports/store/webhooks.ts';
import type { Db } from '../engine.ts';

export function webhookQueries(db: Db): WebhookQueries {
  return {
    byId: (workspaceId, id) => db.selectFrom('webhooks').selectAll().where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst(),
    list: (workspaceId) => db.selectFrom('webhooks').selectAll().where('workspace_id', '=', workspaceId).orderBy('id').execute(),
    async deliveryStats(webhookIds) {
      if (!webhookIds.length) return [];
      const rows = await db
        .selectFrom('webhook_deliveries')
        .select((eb) => ['webhook_id', 'status', eb.fn.countAll<number>().as('n'), eb.fn.max('delivered_at').as('last')])
        .where('webhook_id', 'in', webhookIds)
        .groupBy(['webhook_id', 'status'])
        .execute();
      return rows.map((r) => ({ webhook_id: r.webhook_id, status: r.status, n: Number(r.n), last: r.last === null ? null : Number(r.last) }));
    },
    async insert(w) {
      return (await db.insertInto('webhooks').values(w).returning('id').executeTakeFirstOrThrow()).id;
    },
    async remove(id) {
      await db.deleteFrom('webhook_deliveries').where('webhook_id', '=', id).execute();
      await db.deleteFrom('webhooks').where('id', '=', id).execute();
    },
    deliveries(webhookId, opts) {
      let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId);
      if (opts.status) q = q.where('status', '=', opts.status);
      return q.orderBy('id', 'desc').limit(opts.limit).execute();
    },
    delivery: (id) => db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    subscribers: (workspaceId) => db.selectFrom('webhooks').select(['id', 'events']).where('workspace_id', '=', workspaceId).where('active', '=', 1).execute(),
    async insertDeliveries(rows) {
      if (!rows.length) return [];
      return (await db.insertInto('webhook_deliveries').values(rows).returning('id').execute()).map((r) => r.id);
    },
    async cancelHeld(workspaceId, key) {
      const r = await db.deleteFrom('webhook_deliveries').where('workspace_id', '=', workspaceId).where('hold_key', '=', key).where('status', '=', 'pending').executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async anyActive() {
      return (await db.selectFrom('webhooks').select('id').where('active', '=', 1).limit(1).executeTakeFirst()) !== undefined;
    },
    async due(now, limit) {
      const rows = await db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select('d.id')
        .where('w.active', '=', 1)
        .where((eb) =>
          eb.or([eb.and([eb('d.status', '=', 'pending'), eb('d.next_attempt_at', '<=', now)]), eb.and([eb('d.status', '=', 'sending'), eb('d.claimed_until', '<', now)])]),
        )
        .orderBy('d.next_attempt_at')
        .orderBy('d.id')
        .limit(limit)
        .execute();
      return rows.map((r) => r.id);
    },
    async claim(id, now, leaseUntil) {
      const claimed = await db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ status: 'sending' as const, attempts: eb('attempts', '+', 1), claimed_until: leaseUntil, updated_at: now }))
        .where('id', '=', id)
        .where((eb) =>
          eb.or([
            eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
            // A sender that died mid-request: its lease ran out; that try counts as an attempt.
            eb.and([eb('status', '=', 'sending'), eb('claimed_until', '<', now)]),
          ]),
        )
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return undefined;
      return db
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.id', 'd.webhook_id')
        .select(['d.id', 'd.webhook_id', 'd.workspace_id', 'd.event_id', 'd.event_type', 'd.payload', 'd.attempts', 'w.url', 'w.secret'])
        .where('d.id', '=', id)
        .executeTakeFirstOrThrow();
    },
    async finish(id, set) {
      await db.updateTable('webhook_deliveries').set(set).where('id', '=', id).where('status', '=', 'sending').execute();
    },
  };
}
