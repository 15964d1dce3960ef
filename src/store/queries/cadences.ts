// Cadences, their versions and steps. A step is stored as columns (the queue, the tick and the sender
// read them with the enrollment) and read back as the core's CadenceStep.
import type { CadenceQueries } from '../../app/ports/store/cadences.ts';
import type { CadenceStepRow } from '../../app/ports/records.ts';
import type { Channel } from '../../core/channels/driver.ts';
import type { CadenceDefinition, CadenceStep } from '../../core/types.ts';
import { LIVE_STATUS_LIST } from '../../core/types.ts';
import type { Db } from '../engine.ts';

type StepColumns = 'channel' | 'delay_amount' | 'delay_unit' | 'name' | 'subject' | 'template' | 'reason' | 'talking_points' | 'new_thread' | 'sending';
type RefColumns = 'value_item_key' | 'objection_keys' | 'objection_tags';

export function stepFromRow(row: Pick<CadenceStepRow, StepColumns> & Partial<Pick<CadenceStepRow, RefColumns>>): CadenceStep {
  const step: CadenceStep = {
    channel: row.channel,
    delay: { amount: Number(row.delay_amount), unit: row.delay_unit },
    name: row.name,
    reason: row.reason,
    talkingPoints: JSON.parse(row.talking_points) as string[],
  };
  if (row.subject) step.subject = row.subject;
  if (row.template) step.template = row.template;
  if (row.new_thread) step.newThread = true;
  if (row.sending) step.sending = row.sending;
  if (row.value_item_key) step.valueItemKey = row.value_item_key;
  if (row.objection_keys) step.objections = JSON.parse(row.objection_keys) as string[];
  if (row.objection_tags) step.objectionTags = JSON.parse(row.objection_tags) as string[];
  return step;
}

function stepRow(versionId: number, s: CadenceStep, position: number): CadenceStepRow {
  return {
    cadence_version_id: versionId,
    position,
    channel: s.channel,
    delay_amount: s.delay.amount,
    delay_unit: s.delay.unit,
    name: s.name,
    subject: s.subject ?? null,
    template: s.template ?? null,
    reason: s.reason,
    talking_points: JSON.stringify(s.talkingPoints),
    new_thread: s.newThread ? 1 : 0,
    sending: s.sending ?? null,
    value_item_key: s.valueItemKey ?? null,
    objection_keys: s.objections?.length ? JSON.stringify(s.objections) : null,
    objection_tags: s.objectionTags?.length ? JSON.stringify(s.objectionTags) : null,
  };
}

export function cadenceQueries(db: Db): CadenceQueries {
  return {
    byId: (workspaceId, id) => db.selectFrom('cadences').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst(),
    byNameKey: (workspaceId, key) => db.selectFrom('cadences').selectAll().where('workspace_id', '=', workspaceId).where('name_key', '=', key).executeTakeFirst(),
    async nameOf(id) {
      return (await db.selectFrom('cadences').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name;
    },
    version: (cadenceId, version) => db.selectFrom('cadence_versions').selectAll().where('cadence_id', '=', cadenceId).where('version', '=', version).executeTakeFirst(),
    async insert(c) {
      return (await db.insertInto('cadences').values(c).returning('id').executeTakeFirstOrThrow()).id;
    },
    async setCurrentVersion(id, version, name, nameKey) {
      await db.updateTable('cadences').set({ current_version: version, name, name_key: nameKey }).where('id', '=', id).execute();
    },
    async setArchived(id, at) {
      await db.updateTable('cadences').set({ archived_at: at }).where('id', '=', id).execute();
    },
    async enrollmentCounts(id) {
      const r = await db
        .selectFrom('enrollments')
        .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.sum<number>(eb.case().when('status', 'in', LIVE_STATUS_LIST).then(1).else(0).end()).as('live')])
        .where('cadence_id', '=', id)
        .executeTakeFirstOrThrow();
      return { total: Number(r.total), live: Number(r.live ?? 0) };
    },
    async remove(id) {
      const versions = db.selectFrom('cadence_versions').select('id').where('cadence_id', '=', id);
      await db.deleteFrom('cadence_steps').where('cadence_version_id', 'in', versions).execute();
      await db.deleteFrom('slot_fills').where('cadence_id', '=', id).execute();
      await db.deleteFrom('cadence_versions').where('cadence_id', '=', id).execute();
      await db.deleteFrom('cadences').where('id', '=', id).execute();
    },
    async touchFacts(id, ownerId) {
      const rows = await db
        .selectFrom('enrollments')
        .select(['id', 'status', 'cadence_version_id'])
        .where('cadence_id', '=', id)
        .$if(ownerId !== null, (q) => q.where('owner_id', '=', ownerId!))
        .orderBy('id')
        .execute();
      const touches = await db
        .selectFrom('touches as t')
        .innerJoin('enrollments as e', 'e.id', 't.enrollment_id')
        .select(['t.enrollment_id', 't.step_index', 't.channel', 't.outcome'])
        .where('e.cadence_id', '=', id)
        .$if(ownerId !== null, (q) => q.where('e.owner_id', '=', ownerId!))
        .orderBy('t.enrollment_id')
        .orderBy('t.occurred_at')
        .orderBy('t.id')
        .execute();
      const enrollments = rows.map((r) => ({ id: r.id, status: r.status, versionId: r.cadence_version_id }));
      return { enrollments, touches: touches.map((t) => ({ enrollmentId: Number(t.enrollment_id), stepIndex: t.step_index, channel: t.channel, outcome: t.outcome })) };
    },
    async insertVersion(v, steps) {
      const { id } = await db.insertInto('cadence_versions').values(v).returning('id').executeTakeFirstOrThrow();
      if (steps.length) await db.insertInto('cadence_steps').values(steps.map((s, i) => stepRow(id, s, i))).execute();
      return id;
    },
    async stepsOf(versionId) {
      const rows = await db.selectFrom('cadence_steps').selectAll().where('cadence_version_id', '=', versionId).orderBy('position').execute();
      return rows.map(stepFromRow);
    },
    async list(workspaceId) {
      const rows = await db
        .selectFrom('cadences as c')
        .innerJoin('cadence_versions as v', (j) => j.onRef('v.cadence_id', '=', 'c.id').onRef('v.version', '=', 'c.current_version'))
        .select((eb) => [
          'c.id',
          'c.name',
          'c.current_version as version',
          'c.archived_at',
          eb.selectFrom('cadence_steps as s').whereRef('s.cadence_version_id', '=', 'v.id').select(eb.fn.countAll<number>().as('n')).as('steps'),
          eb.selectFrom('enrollments as e').whereRef('e.cadence_id', '=', 'c.id').where('e.status', 'in', LIVE_STATUS_LIST).select(eb.fn.countAll<number>().as('n')).as('live'),
          eb.selectFrom('enrollments as e').whereRef('e.cadence_id', '=', 'c.id').where('e.status', 'not in', LIVE_STATUS_LIST).select(eb.fn.countAll<number>().as('n')).as('finished'),
        ])
        .where('c.workspace_id', '=', workspaceId)
        .orderBy('c.id')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, version: r.version, steps: Number(r.steps), live: Number(r.live), finished: Number(r.finished), archivedAt: r.archived_at === null ? null : Number(r.archived_at) }));
    },
    async versions(workspaceId, cadenceId) {
      const rows = await db
        .selectFrom('cadence_versions as v')
        .innerJoin('cadences as c', 'c.id', 'v.cadence_id')
        .leftJoin('users as u', 'u.id', 'v.created_by')
        .select((eb) => [
          'v.version',
          'v.created_at',
          'u.name as author',
          eb.selectFrom('cadence_steps as s').whereRef('s.cadence_version_id', '=', 'v.id').select(eb.fn.countAll<number>().as('n')).as('steps'),
          eb.selectFrom('enrollments as e').whereRef('e.cadence_version_id', '=', 'v.id').where('e.status', 'in', LIVE_STATUS_LIST).select(eb.fn.countAll<number>().as('n')).as('live'),
        ])
        .where('v.cadence_id', '=', cadenceId)
        .where('c.workspace_id', '=', workspaceId)
        .orderBy('v.version', 'desc')
        .execute();
      return rows.map((r) => ({ version: r.version, createdAt: Number(r.created_at), author: r.author, steps: Number(r.steps), live: Number(r.live) }));
    },
    async currentDefinitions(workspaceId) {
      const rows = await db
        .selectFrom('cadences as c')
        .innerJoin('cadence_versions as v', (j) => j.onRef('v.cadence_id', '=', 'c.id').onRef('v.version', '=', 'c.current_version'))
        .select(['c.id', 'c.name', 'v.version', 'v.definition'])
        .where('c.workspace_id', '=', workspaceId)
        .orderBy('c.id')
        .execute();
      return rows.map((r) => ({ cadenceId: r.id, cadence: r.name, version: r.version, def: JSON.parse(r.definition) as CadenceDefinition }));
    },
    async stepChannels(workspaceId) {
      const rows = await db
        .selectFrom('cadence_steps as s')
        .innerJoin('cadence_versions as v', 'v.id', 's.cadence_version_id')
        .innerJoin('cadences as c', 'c.id', 'v.cadence_id')
        .select(['s.cadence_version_id', 's.position', 's.channel'])
        .where('c.workspace_id', '=', workspaceId)
        .execute();
      const channels = new Map<number, Channel[]>();
      for (const r of rows) {
        let steps = channels.get(r.cadence_version_id);
        if (!steps) channels.set(r.cadence_version_id, (steps = []));
        steps[r.position] = r.channel;
      }
      return channels;
    },
  };
}
