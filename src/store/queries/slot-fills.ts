// The rep's words for fill-in slots (see the port).
import type { SlotFillQueries } from '../../app/ports/store/slot-fills.ts';
import type { Db } from '../engine.ts';

export function slotFillQueries(db: Db): SlotFillQueries {
  return {
    async forSteps(workspaceId, steps, prospectIds) {
      if (steps.length === 0) return [];
      const cadenceIds = [...new Set(steps.map((s) => s.cadenceId))];
      const rows = await db
        .selectFrom('slot_fills')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('cadence_id', 'in', cadenceIds)
        .where((eb) => eb.or([eb('prospect_id', 'is', null), eb('prospect_id', 'in', prospectIds.length ? prospectIds : [-1])]))
        .orderBy('id')
        .execute();
      const wanted = new Set(steps.map((s) => `${s.cadenceId}:${s.stepIndex}`));
      return rows.filter((r) => wanted.has(`${r.cadence_id}:${r.step_index}`));
    },
    async put(fill) {
      await db
        .deleteFrom('slot_fills')
        .where('cadence_id', '=', fill.cadence_id)
        .where('step_index', '=', fill.step_index)
        .where('slot', '=', fill.slot)
        .where((eb) => (fill.prospect_id === null ? eb('prospect_id', 'is', null) : eb('prospect_id', '=', fill.prospect_id)))
        .execute();
      await db.insertInto('slot_fills').values(fill).execute();
    },
  };
}
