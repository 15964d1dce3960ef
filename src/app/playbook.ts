// The team playbook: objections with answers and value items, which cadence steps reference by
// key. Everyone in the workspace reads it; managers write it (docs/decisions.md), like cadences.
import type { z } from 'zod';
import type { Db } from '../store/store.ts';
import type { Selectable } from 'kysely';
import type { PlaybookObjectionsTable, PlaybookValueItemsTable } from '../store/schema.ts';
import {
  firstIssue,
  objectionInput,
  objectionPatch,
  objectionsForStep,
  playbookRefIssues,
  playbookUsage,
  slugify,
  uniqueKey,
  valueItemInput,
  valueItemPatch,
  type Objection,
  type ObjectionInput,
  type ObjectionPatch,
  type PlaybookIndex,
  type StepRef,
  type ValueItem,
  type ValueItemInput,
  type ValueItemKind,
  type ValueItemPatch,
} from '../core/playbook.ts';
import type { CadenceDefinition, Channel } from '../core/types.ts';
import { fieldPath } from './cadence-file.ts';
import { isManager, type Context } from './context.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';

export interface Entry {
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  archivedAt: number | null;
  usedBy: StepRef[];
}
export type ObjectionEntry = Objection & Entry;
export type ValueItemEntry = ValueItem & Entry;

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = firstIssue(r.error);
  const field = fieldPath(issue.path) || 'body';
  throw new TallyError(`${field}: ${issue.message}`, 'invalid', { field });
}

function requireManager(ctx: Context): void {
  if (!isManager(ctx)) throw new TallyError('only a manager can change the team playbook', 'forbidden');
}

const toObjection = (r: Selectable<PlaybookObjectionsTable>): Objection => ({
  id: r.id, key: r.key, objection: r.objection, answer: r.answer, tags: JSON.parse(r.tags) as string[], channel: r.channel as Channel | null, archived: r.archived_at !== null,
});
const toValueItem = (r: Selectable<PlaybookValueItemsTable>): ValueItem => ({
  id: r.id, key: r.key, kind: r.kind as ValueItemKind, title: r.title, summary: r.summary, url: r.url, archived: r.archived_at !== null,
});

export interface Playbook {
  objections: Objection[];
  valueItems: ValueItem[];
}

/** The whole playbook of the workspace (archived entries too), in the order it was written. */
export async function loadPlaybook(ctx: Context, db: Db = ctx.store.db): Promise<Playbook> {
  const [o, v] = await Promise.all([
    db.selectFrom('playbook_objections').selectAll().where('workspace_id', '=', ctx.workspace.id).orderBy('id').execute(),
    db.selectFrom('playbook_value_items').selectAll().where('workspace_id', '=', ctx.workspace.id).orderBy('id').execute(),
  ]);
  return { objections: o.map(toObjection), valueItems: v.map(toValueItem) };
}

export function playbookIndex(p: Playbook): PlaybookIndex {
  return {
    valueItems: new Map(p.valueItems.map((v) => [v.key, v])),
    objections: new Map(p.objections.map((o) => [o.key, o])),
  };
}

const hasRefs = (def: CadenceDefinition) => def.steps.some((s) => s.valueItemKey || s.objections?.length || s.objectionTags?.length);

/**
 * Checks a definition's playbook references before it is saved (an unknown or archived key is an
 * error naming the step and the key) and fills in the value line of steps that only name a
 * playbook item, so mail templates, the digest and the CLI keep one text to show.
 */
export async function withPlaybookRefs(ctx: Context, def: CadenceDefinition, db: Db = ctx.store.db): Promise<CadenceDefinition> {
  if (!hasRefs(def)) return def;
  const playbook = await loadPlaybook(ctx, db);
  const issues = playbookRefIssues(def, playbookIndex(playbook));
  if (issues.length) {
    const first = issues[0]!;
    const field = fieldPath(first.path);
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new TallyError(`${field}: ${first.message}${more}`, 'invalid_cadence', { field });
  }
  const titles = new Map(playbook.valueItems.map((v) => [v.key, v.title]));
  return { ...def, steps: def.steps.map((s) => (s.valueItem || !s.valueItemKey ? s : { ...s, valueItem: titles.get(s.valueItemKey)! })) };
}

/** The current version of every cadence in the workspace, as definitions. */
async function currentDefinitions(ctx: Context) {
  const rows = await ctx.store.db
    .selectFrom('cadences as c')
    .innerJoin('cadence_versions as v', (j) => j.onRef('v.cadence_id', '=', 'c.id').onRef('v.version', '=', 'c.current_version'))
    .select(['c.id', 'c.name', 'v.version', 'v.definition'])
    .where('c.workspace_id', '=', ctx.workspace.id)
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({ cadenceId: r.id, cadence: r.name, version: r.version, def: JSON.parse(r.definition) as CadenceDefinition }));
}

export interface ListOptions {
  search?: string;
  includeArchived?: boolean;
}

function matches(search: string | undefined, ...texts: (string | null)[]): boolean {
  if (!search?.trim()) return true;
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const hay = texts.filter(Boolean).join(' ').toLowerCase();
  return words.every((w) => hay.includes(w));
}

async function entryMeta(ctx: Context, rows: readonly { created_by: number | null }[]): Promise<Map<number, string>> {
  const ids = [...new Set(rows.map((r) => r.created_by).filter((x): x is number => x !== null))];
  if (!ids.length) return new Map();
  const users = await ctx.store.db.selectFrom('users').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(users.map((u) => [u.id, u.name]));
}

const meta = (r: { created_by: number | null; created_at: number; updated_at: number; archived_at: number | null }, names: Map<number, string>, usedBy: StepRef[]): Entry => ({
  createdBy: r.created_by === null ? null : names.get(r.created_by) ?? null,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  archivedAt: r.archived_at === null ? null : Number(r.archived_at),
  usedBy,
});

export async function listObjections(ctx: Context, opts: ListOptions = {}): Promise<ObjectionEntry[]> {
  let q = ctx.store.db.selectFrom('playbook_objections').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (!opts.includeArchived) q = q.where('archived_at', 'is', null);
  const rows = (await q.orderBy('id').execute()).filter((r) => matches(opts.search, r.key, r.objection, r.answer, r.tags));
  const all = (await loadPlaybook(ctx)).objections;
  const [names, usage] = await Promise.all([entryMeta(ctx, rows), currentDefinitions(ctx).then((d) => playbookUsage(d, all))]);
  return rows.map((r) => ({ ...toObjection(r), ...meta(r, names, usage.get(`objection:${r.key}`) ?? []) }));
}

export async function listValueItems(ctx: Context, opts: ListOptions = {}): Promise<ValueItemEntry[]> {
  let q = ctx.store.db.selectFrom('playbook_value_items').selectAll().where('workspace_id', '=', ctx.workspace.id);
  if (!opts.includeArchived) q = q.where('archived_at', 'is', null);
  const rows = (await q.orderBy('id').execute()).filter((r) => matches(opts.search, r.key, r.kind, r.title, r.summary, r.url));
  const [names, usage] = await Promise.all([entryMeta(ctx, rows), currentDefinitions(ctx).then((d) => playbookUsage(d, []))]);
  return rows.map((r) => ({ ...toValueItem(r), ...meta(r, names, usage.get(`value_item:${r.key}`) ?? []) }));
}

async function oneObjection(ctx: Context, id: number): Promise<ObjectionEntry> {
  const found = (await listObjections(ctx, { includeArchived: true })).find((o) => o.id === id);
  if (!found) throw new NotFoundError(`no objection ${id} in the playbook`);
  return found;
}

async function oneValueItem(ctx: Context, id: number): Promise<ValueItemEntry> {
  const found = (await listValueItems(ctx, { includeArchived: true })).find((v) => v.id === id);
  if (!found) throw new NotFoundError(`no value item ${id} in the playbook`);
  return found;
}

/** The key asked for (refused when taken: keys are stable references), or one made from the text. */
async function newKey(ctx: Context, table: 'playbook_objections' | 'playbook_value_items', asked: string | undefined, text: string): Promise<string> {
  const taken = new Set((await ctx.store.db.selectFrom(table).select('key').where('workspace_id', '=', ctx.workspace.id).execute()).map((r) => r.key));
  if (asked === undefined) return uniqueKey(slugify(text), taken);
  if (taken.has(asked)) throw new TallyError(`key: "${asked}" is already used in the playbook (keys never change, so pick another)`, 'conflict', { field: 'key' });
  return asked;
}

export async function createObjection(ctx: Context, input: ObjectionInput): Promise<ObjectionEntry> {
  requireManager(ctx);
  const o = parse(objectionInput, input);
  const key = await newKey(ctx, 'playbook_objections', o.key, o.objection);
  const now = ctx.now();
  const row = await ctx.store.db
    .insertInto('playbook_objections')
    .values({ workspace_id: ctx.workspace.id, key, objection: o.objection, answer: o.answer, tags: JSON.stringify(o.tags), channel: o.channel, created_by: ctx.user.id, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return oneObjection(ctx, row.id);
}

export async function createValueItem(ctx: Context, input: ValueItemInput): Promise<ValueItemEntry> {
  requireManager(ctx);
  const v = parse(valueItemInput, input);
  const key = await newKey(ctx, 'playbook_value_items', v.key, v.title);
  const now = ctx.now();
  const row = await ctx.store.db
    .insertInto('playbook_value_items')
    .values({ workspace_id: ctx.workspace.id, key, kind: v.kind, title: v.title, summary: v.summary, url: v.url, created_by: ctx.user.id, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return oneValueItem(ctx, row.id);
}

/** archived: true archives (the key stays taken and steps that name it keep their saved text), false restores. */
function archivedAt(current: number | null, archived: boolean | undefined, now: number): number | null | undefined {
  if (archived === undefined) return undefined;
  return archived ? current ?? now : null;
}

export async function updateObjection(ctx: Context, id: number, patch: ObjectionPatch): Promise<ObjectionEntry> {
  requireManager(ctx);
  const p = parse(objectionPatch, patch);
  const current = await oneObjection(ctx, id);
  const archived_at = archivedAt(current.archivedAt, p.archived, ctx.now());
  await ctx.store.db
    .updateTable('playbook_objections')
    .set({
      ...(p.objection !== undefined ? { objection: p.objection } : {}),
      ...(p.answer !== undefined ? { answer: p.answer } : {}),
      ...(p.tags !== undefined ? { tags: JSON.stringify(p.tags) } : {}),
      ...(p.channel !== undefined ? { channel: p.channel } : {}),
      ...(archived_at !== undefined ? { archived_at } : {}),
      updated_at: ctx.now(),
    })
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.workspace.id)
    .execute();
  return oneObjection(ctx, id);
}

export async function updateValueItem(ctx: Context, id: number, patch: ValueItemPatch): Promise<ValueItemEntry> {
  requireManager(ctx);
  const p = parse(valueItemPatch, patch);
  const current = await oneValueItem(ctx, id);
  const archived_at = archivedAt(current.archivedAt, p.archived, ctx.now());
  await ctx.store.db
    .updateTable('playbook_value_items')
    .set({
      ...(p.kind !== undefined ? { kind: p.kind } : {}),
      ...(p.title !== undefined ? { title: p.title } : {}),
      ...(p.summary !== undefined ? { summary: p.summary } : {}),
      ...(p.url !== undefined ? { url: p.url } : {}),
      ...(archived_at !== undefined ? { archived_at } : {}),
      updated_at: ctx.now(),
    })
    .where('id', '=', id)
    .where('workspace_id', '=', ctx.workspace.id)
    .execute();
  return oneValueItem(ctx, id);
}

export const archiveObjection = (ctx: Context, id: number) => updateObjection(ctx, id, { archived: true });
export const archiveValueItem = (ctx: Context, id: number) => updateValueItem(ctx, id, { archived: true });

// ---------------------------------------------------------------------------------------------
// The queue: each due step with its value item and the objections to expect.

export interface StepPlaybook {
  valueItem: { key: string; kind: ValueItemKind; title: string; summary: string; url: string | null } | null;
  objections: { key: string; objection: string; answer: string; tags: string[] }[];
}

export interface StepRefsRow {
  channel: string;
  value_item_key: string | null;
  objection_keys: string | null;
  objection_tags: string | null;
}

/** Resolves the playbook for a page of queue steps: two small reads, plus usage only when a step names no objections. */
export async function playbookForSteps(ctx: Context, steps: readonly StepRefsRow[]): Promise<StepPlaybook[]> {
  if (steps.length === 0) return [];
  const playbook = await loadPlaybook(ctx);
  const refs = steps.map((s) => ({
    channel: s.channel as Channel,
    valueItemKey: s.value_item_key,
    objections: s.objection_keys ? (JSON.parse(s.objection_keys) as string[]) : [],
    objectionTags: s.objection_tags ? (JSON.parse(s.objection_tags) as string[]) : [],
  }));
  let usage = new Map<string, number>();
  if (playbook.objections.length && refs.some((r) => !r.objections.length && !r.objectionTags.length)) {
    const used = playbookUsage(await currentDefinitions(ctx), playbook.objections);
    usage = new Map(playbook.objections.map((o) => [o.key, used.get(`objection:${o.key}`)?.length ?? 0]));
  }
  const items = new Map(playbook.valueItems.filter((v) => !v.archived).map((v) => [v.key, v]));
  return refs.map((r) => {
    const v = r.valueItemKey ? items.get(r.valueItemKey) : undefined;
    return {
      valueItem: v ? { key: v.key, kind: v.kind, title: v.title, summary: v.summary, url: v.url } : null,
      objections: objectionsForStep(r, playbook.objections, usage).map((o) => ({ key: o.key, objection: o.objection, answer: o.answer, tags: o.tags })),
    };
  });
}
