// The facts behind the follow-up metrics and the dashboard.
import type { StatsQueries } from '../../app/ports/store/stats.ts';
import { DUE_STATUSES, LIVE_STATUS_LIST } from '../../core/types.ts';
import type { Db } from '../engine.ts';

export function statsQueries(db: Db): StatsQueries {
  return {
    async followUpRows(ws, owner, now) {
      let prospects = db.selectFrom('prospects').select(['id', 'owner_id']).where('workspace_id', '=', ws);
      // Touches in order per prospect: a reply's position is the number of touches it took.
      let touches = db
        .selectFrom('touches as t')
        .innerJoin('prospects as p', 'p.id', 't.prospect_id')
        .select(['t.prospect_id', 't.occurred_at', 't.channel', 't.outcome', 't.step_index', 'p.owner_id'])
        .where('p.workspace_id', '=', ws)
        .orderBy('t.prospect_id')
        .orderBy('t.occurred_at')
        .orderBy('t.id');
      let live = db.selectFrom('enrollments').select('prospect_id').distinct().where('workspace_id', '=', ws).where('status', 'in', LIVE_STATUS_LIST);
      let due = db.selectFrom('enrollments').select(['owner_id', 'due_at']).where('workspace_id', '=', ws).where('status', 'in', DUE_STATUSES).where('due_at', '<', now);
      if (owner !== null) {
        prospects = prospects.where('owner_id', '=', owner);
        touches = touches.where('p.owner_id', '=', owner);
        live = live.where('owner_id', '=', owner);
        due = due.where('owner_id', '=', owner);
      }
      const [p, t, l, d] = await Promise.all([prospects.execute(), touches.execute(), live.execute(), due.execute()]);
      return {
        prospects: p,
        touches: t.map((r) => ({ prospectId: r.prospect_id, at: Number(r.occurred_at), channel: r.channel, outcome: r.outcome, stepIndex: r.step_index, ownerId: r.owner_id })),
        live: new Set(l.map((r) => r.prospect_id)),
        due: d.flatMap((r) => (r.due_at === null ? [] : [{ ownerId: r.owner_id, dueAt: Number(r.due_at) }])),
      };
    },
  };
}
