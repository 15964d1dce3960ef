// Cadences in the store: every edit makes a new version; running enrollments keep theirs.
import type { Db } from '../store/store.ts';
import type { CadenceStepRow } from '../store/schema.ts';
import type { CadenceDefinition, CadenceStep, Channel, DelayUnit } from '../core/types.ts';
import type { Context } from './context.ts';
import { NotFoundError } from '../core/errors.ts';
import { withPlaybookRefs } from './playbook.ts';

export interface StoredCadence {
  id: number;
  name: string;
  version: number;
  versionId: number;
  definition: CadenceDefinition;
}

export function nameKey(name: string): string {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

export interface SaveResult {
  cadence: StoredCadence;
  change: 'created' | 'new_version' | 'unchanged';
}

/** Adds a cadence, or a new version of the one with the same name when its definition changed. */
export async function saveCadence(ctx: Context, written: CadenceDefinition, db: Db = ctx.store.db): Promise<SaveResult> {
  const now = ctx.now();
  const run = async (trx: Db): Promise<SaveResult> => {
    // Playbook keys must resolve; a step that only names a value item gets its title as the value line.
    const def = await withPlaybookRefs(ctx, written, trx);
    const json = JSON.stringify(def);
    const existing = await trx
      .selectFrom('cadences')
      .selectAll()
      .where('workspace_id', '=', ctx.workspace.id)
      .where('name_key', '=', nameKey(def.name))
      .executeTakeFirst();
    let cadenceId: number;
    let version = 1;
    if (existing) {
      const current = await trx
        .selectFrom('cadence_versions')
        .selectAll()
        .where('cadence_id', '=', existing.id)
        .where('version', '=', existing.current_version)
        .executeTakeFirstOrThrow();
      if (current.definition === json) {
        return { change: 'unchanged', cadence: { id: existing.id, name: existing.name, version: current.version, versionId: current.id, definition: def } };
      }
      cadenceId = existing.id;
      version = existing.current_version + 1;
      await trx.updateTable('cadences').set({ current_version: version, name: def.name }).where('id', '=', cadenceId).execute();
    } else {
      const row = await trx
        .insertInto('cadences')
        .values({ workspace_id: ctx.workspace.id, name: def.name, name_key: nameKey(def.name), current_version: 1, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      cadenceId = row.id;
    }
    const v = await trx
      .insertInto('cadence_versions')
      .values({ cadence_id: cadenceId, version, definition: json, created_at: now, created_by: ctx.user.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('cadence_steps')
      .values(
        def.steps.map((s, position) => ({
          cadence_version_id: v.id,
          position,
          channel: s.channel,
          delay_amount: s.delay.amount,
          delay_unit: s.delay.unit,
          name: s.name,
          subject: s.subject ?? null,
          template: s.template ?? null,
          value_item: s.valueItem,
          talking_points: JSON.stringify(s.talkingPoints),
          new_thread: s.newThread ? 1 : 0,
          value_item_key: s.valueItemKey ?? null,
          objection_keys: s.objections?.length ? JSON.stringify(s.objections) : null,
          objection_tags: s.objectionTags?.length ? JSON.stringify(s.objectionTags) : null,
        })),
      )
      .execute();
    return { change: existing ? 'new_version' : 'created', cadence: { id: cadenceId, name: def.name, version, versionId: v.id, definition: def } };
  };
  return db.isTransaction ? run(db) : ctx.store.transaction(run);
}

type StepColumns = 'channel' | 'delay_amount' | 'delay_unit' | 'name' | 'subject' | 'template' | 'value_item' | 'talking_points' | 'new_thread';
type RefColumns = 'value_item_key' | 'objection_keys' | 'objection_tags';

export function stepFromRow(row: Pick<CadenceStepRow, StepColumns> & Partial<Pick<CadenceStepRow, RefColumns>>): CadenceStep {
  const step: CadenceStep = {
    channel: row.channel as Channel,
    delay: { amount: Number(row.delay_amount), unit: row.delay_unit as DelayUnit },
    name: row.name,
    valueItem: row.value_item,
    talkingPoints: JSON.parse(row.talking_points) as string[],
  };
  if (row.subject) step.subject = row.subject;
  if (row.template) step.template = row.template;
  if (row.new_thread) step.newThread = true;
  if (row.value_item_key) step.valueItemKey = row.value_item_key;
  if (row.objection_keys) step.objections = JSON.parse(row.objection_keys) as string[];
  if (row.objection_tags) step.objectionTags = JSON.parse(row.objection_tags) as string[];
  return step;
}

/** A cadence by id or name, at its current version (or a given one). */
export async function getCadence(ctx: Context, ref: string | number, version?: number): Promise<StoredCadence> {
  let q = ctx.store.db.selectFrom('cadences').selectAll().where('workspace_id', '=', ctx.workspace.id);
  // Ids are 32-bit on PostgreSQL: a larger number is a name, never a query error.
  const asId = typeof ref === 'number' ? ref : /^\d{1,10}$/.test(ref) && Number(ref) <= 2_147_483_647 ? Number(ref) : null;
  q = asId !== null ? q.where('id', '=', asId) : q.where('name_key', '=', nameKey(String(ref)));
  const cadence = await q.executeTakeFirst();
  if (!cadence) throw new NotFoundError(`unknown cadence "${ref}" (see "tally cadence list")`);
  const wanted = version ?? cadence.current_version;
  const v = await ctx.store.db
    .selectFrom('cadence_versions')
    .selectAll()
    .where('cadence_id', '=', cadence.id)
    .where('version', '=', wanted)
    .executeTakeFirst();
  if (!v) throw new NotFoundError(`cadence "${cadence.name}" has no version ${wanted} (latest is ${cadence.current_version})`);
  return { id: cadence.id, name: cadence.name, version: v.version, versionId: v.id, definition: JSON.parse(v.definition) as CadenceDefinition };
}

export interface CadenceListing {
  id: number;
  name: string;
  version: number;
  steps: number;
  live: number;
  finished: number;
}

export async function listCadences(ctx: Context): Promise<CadenceListing[]> {
  const rows = await ctx.store.db
    .selectFrom('cadences as c')
    .innerJoin('cadence_versions as v', (j) => j.onRef('v.cadence_id', '=', 'c.id').onRef('v.version', '=', 'c.current_version'))
    .select((eb) => [
      'c.id',
      'c.name',
      'c.current_version as version',
      eb.selectFrom('cadence_steps as s').whereRef('s.cadence_version_id', '=', 'v.id').select(eb.fn.countAll<number>().as('n')).as('steps'),
      eb
        .selectFrom('enrollments as e')
        .whereRef('e.cadence_id', '=', 'c.id')
        .where('e.status', 'in', ['active', 'paused', 'snoozed'])
        .select(eb.fn.countAll<number>().as('n'))
        .as('live'),
      eb
        .selectFrom('enrollments as e')
        .whereRef('e.cadence_id', '=', 'c.id')
        .where('e.status', 'not in', ['active', 'paused', 'snoozed'])
        .select(eb.fn.countAll<number>().as('n'))
        .as('finished'),
    ])
    .where('c.workspace_id', '=', ctx.workspace.id)
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, version: r.version, steps: Number(r.steps), live: Number(r.live), finished: Number(r.finished) }));
}

/** Steps of cadence versions, loaded once per version. */
export function stepsLoader(db: Db): (versionId: number) => Promise<CadenceStep[]> {
  const cache = new Map<number, CadenceStep[]>();
  return async (versionId) => {
    let steps = cache.get(versionId);
    if (!steps) {
      const rows = await db.selectFrom('cadence_steps').selectAll().where('cadence_version_id', '=', versionId).orderBy('position').execute();
      steps = rows.map(stepFromRow);
      cache.set(versionId, steps);
    }
    return steps;
  };
}

export interface CadenceVersionInfo {
  version: number;
  createdAt: number;
  /** Who saved it (null for versions saved before authors were recorded). */
  author: string | null;
  steps: number;
  /** Enrollments still running on this version. */
  live: number;
}

/** Every version of a cadence, newest first: live enrollments stay on the version they started. */
export async function cadenceVersions(ctx: Context, cadenceId: number): Promise<CadenceVersionInfo[]> {
  const rows = await ctx.store.db
    .selectFrom('cadence_versions as v')
    .innerJoin('cadences as c', 'c.id', 'v.cadence_id')
    .leftJoin('users as u', 'u.id', 'v.created_by')
    .select((eb) => [
      'v.version',
      'v.created_at',
      'u.name as author',
      eb.selectFrom('cadence_steps as s').whereRef('s.cadence_version_id', '=', 'v.id').select(eb.fn.countAll<number>().as('n')).as('steps'),
      eb
        .selectFrom('enrollments as e')
        .whereRef('e.cadence_version_id', '=', 'v.id')
        .where('e.status', 'in', ['active', 'paused', 'snoozed'])
        .select(eb.fn.countAll<number>().as('n'))
        .as('live'),
    ])
    .where('v.cadence_id', '=', cadenceId)
    .where('c.workspace_id', '=', ctx.workspace.id)
    .orderBy('v.version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, createdAt: Number(r.created_at), author: r.author, steps: Number(r.steps), live: Number(r.live) }));
}
