// The team playbook: objections with answers and value items, which cadence steps reference by
// key. Everyone in the workspace reads it; managers write it (docs/decisions.md), like cadences.
import type { z } from 'zod';
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
  type ValueItemPatch,
} from '../core/playbook.ts';
import type { CadenceDefinition, Channel, ValueItemKind } from '../core/types.ts';
import { fieldPath } from '../core/validation.ts';
import { DEFAULT_VALUE_ITEMS } from '../core/default-playbook.ts';
import { isManager, type Context } from './context.ts';
import type { EntryMeta } from './ports/store/playbook.ts';
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

/** A manager's change to the playbook, checked: anyone else is refused before their input is read. */
function managerInput<S extends z.ZodType>(ctx: Context, schema: S, input: unknown): z.output<S> {
  if (!isManager(ctx)) throw new TallyError('only a manager can change the team playbook', 'forbidden');
  return parse(schema, input);
}

export interface Playbook {
  objections: Objection[];
  valueItems: ValueItem[];
}

/** The whole playbook of the workspace (archived entries too), in the order it was written. */
export async function loadPlaybook(ctx: Context): Promise<Playbook> {
  const [objections, valueItems] = await Promise.all([
    ctx.store.playbook.objections(ctx.workspace.id, { includeArchived: true }),
    ctx.store.playbook.valueItems(ctx.workspace.id, { includeArchived: true }),
  ]);
  return { objections, valueItems };
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
export async function withPlaybookRefs(ctx: Context, def: CadenceDefinition): Promise<CadenceDefinition> {
  if (!hasRefs(def)) return def;
  const playbook = await loadPlaybook(ctx);
  const issues = playbookRefIssues(def, playbookIndex(playbook));
  if (issues.length) {
    const first = issues[0]!;
    const field = fieldPath(first.path);
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new TallyError(`${field}: ${first.message}${more}`, 'invalid_cadence', { field });
  }
  const titles = new Map(playbook.valueItems.map((v) => [v.key, v.title]));
  return { ...def, steps: def.steps.map((s) => (s.reason || !s.valueItemKey ? s : { ...s, reason: titles.get(s.valueItemKey)! })) };
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

/** A stored entry as people see it: who wrote it (by name) and which steps use it. */
function asEntry<T extends EntryMeta>({ createdById, ...rest }: T, names: Map<number, string>, usedBy: StepRef[]): Omit<T, 'createdById'> & Entry {
  return { ...rest, createdBy: createdById === null ? null : names.get(createdById) ?? null, usedBy };
}

const authors = (ctx: Context, rows: readonly EntryMeta[]) => ctx.store.users.names([...new Set(rows.map((r) => r.createdById).filter((x): x is number => x !== null))]);

export async function listObjections(ctx: Context, opts: ListOptions = {}): Promise<ObjectionEntry[]> {
  const rows = (await ctx.store.playbook.objections(ctx.workspace.id, opts)).filter((r) => matches(opts.search, r.key, r.objection, r.answer, r.tags.join(' ')));
  const all = (await loadPlaybook(ctx)).objections;
  const [names, usage] = await Promise.all([authors(ctx, rows), ctx.store.cadences.currentDefinitions(ctx.workspace.id).then((d) => playbookUsage(d, all))]);
  return rows.map((r) => asEntry(r, names, usage.get(`objection:${r.key}`) ?? []));
}

export async function listValueItems(ctx: Context, opts: ListOptions = {}): Promise<ValueItemEntry[]> {
  const rows = (await ctx.store.playbook.valueItems(ctx.workspace.id, opts)).filter((r) => matches(opts.search, r.key, r.kind, r.title, r.summary, r.url));
  const [names, usage] = await Promise.all([authors(ctx, rows), ctx.store.cadences.currentDefinitions(ctx.workspace.id).then((d) => playbookUsage(d, []))]);
  return rows.map((r) => asEntry(r, names, usage.get(`value_item:${r.key}`) ?? []));
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
async function newKey(ctx: Context, kind: 'objection' | 'value_item', asked: string | undefined, text: string): Promise<string> {
  const taken = await ctx.store.playbook.keys(kind, ctx.workspace.id);
  if (asked === undefined) return uniqueKey(slugify(text), taken);
  if (taken.has(asked)) throw new TallyError(`key: "${asked}" is already used in the playbook (keys never change, so pick another)`, 'conflict', { field: 'key' });
  return asked;
}

/** What every new entry records: the workspace, its key, who wrote it and when. */
async function newEntry(ctx: Context, kind: 'objection' | 'value_item', asked: string | undefined, text: string) {
  const now = ctx.now();
  return { workspace_id: ctx.workspace.id, key: await newKey(ctx, kind, asked, text), created_by: ctx.user.id, created_at: now, updated_at: now };
}

export async function createObjection(ctx: Context, input: ObjectionInput): Promise<ObjectionEntry> {
  const o = managerInput(ctx, objectionInput, input);
  const entry = await newEntry(ctx, 'objection', o.key, o.objection);
  return oneObjection(ctx, await ctx.store.playbook.insertObjection({ ...entry, objection: o.objection, answer: o.answer, tags: JSON.stringify(o.tags), channel: o.channel }));
}

/** The value items the built-in cadences reference, added where their keys are free (a new workspace). */
export async function installDefaultValueItems(ctx: Context): Promise<void> {
  const taken = await ctx.store.playbook.keys('value_item', ctx.workspace.id);
  const now = ctx.now();
  for (const v of DEFAULT_VALUE_ITEMS) {
    if (taken.has(v.key)) continue;
    const { kind, title, summary, url } = valueItemInput.parse(v);
    await ctx.store.playbook.insertValueItem({ workspace_id: ctx.workspace.id, key: v.key, kind, title, summary, url, created_by: ctx.user.id, created_at: now, updated_at: now });
  }
}

export async function createValueItem(ctx: Context, input: ValueItemInput): Promise<ValueItemEntry> {
  const v = managerInput(ctx, valueItemInput, input);
  const entry = await newEntry(ctx, 'value_item', v.key, v.title);
  return oneValueItem(ctx, await ctx.store.playbook.insertValueItem({ ...entry, kind: v.kind, title: v.title, summary: v.summary, url: v.url }));
}

/** The fields a patch gives (undefined: left as it is; null is a value). */
function given<T extends object>(fields: T): Partial<{ [K in keyof T]: Exclude<T[K], undefined> }> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
}

/** archived: true archives (the key stays taken and steps that name it keep their saved text), false restores. */
function archivedAt(current: number | null, archived: boolean | undefined, now: number): number | null | undefined {
  if (archived === undefined) return undefined;
  return archived ? current ?? now : null;
}

export async function updateObjection(ctx: Context, id: number, patch: ObjectionPatch): Promise<ObjectionEntry> {
  const p = managerInput(ctx, objectionPatch, patch);
  const current = await oneObjection(ctx, id);
  const archived_at = archivedAt(current.archivedAt, p.archived, ctx.now());
  const tags = p.tags && JSON.stringify(p.tags);
  await ctx.store.playbook.updateObjection(ctx.workspace.id, id, { ...given({ objection: p.objection, answer: p.answer, tags, channel: p.channel, archived_at }), updated_at: ctx.now() });
  return oneObjection(ctx, id);
}

export async function updateValueItem(ctx: Context, id: number, patch: ValueItemPatch): Promise<ValueItemEntry> {
  const p = managerInput(ctx, valueItemPatch, patch);
  const current = await oneValueItem(ctx, id);
  const archived_at = archivedAt(current.archivedAt, p.archived, ctx.now());
  await ctx.store.playbook.updateValueItem(ctx.workspace.id, id, { ...given({ kind: p.kind, title: p.title, summary: p.summary, url: p.url, archived_at }), updated_at: ctx.now() });
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

/** A step's playbook references (from its stored columns, or its definition). */
export interface StepRefs {
  channel: Channel;
  valueItemKey: string | null;
  objections: string[];
  objectionTags: string[];
}

/** How many steps of the current cadences name each objection (by key or tag): the order a step naming none shows them in. */
async function objectionUsage(ctx: Context, objections: Playbook['objections']): Promise<Map<string, number>> {
  const used = playbookUsage(await ctx.store.cadences.currentDefinitions(ctx.workspace.id), objections);
  return new Map(objections.map((o) => [o.key, used.get(`objection:${o.key}`)?.length ?? 0]));
}

/**
 * Resolves the playbook for a page of queue steps: two small reads, plus usage only when a step names
 * no objections. `kept`: where the caller keeps that order between calls (the queue: under the data
 * version and the current cadence versions), given how to read it.
 */
export async function playbookForSteps(
  ctx: Context,
  refs: readonly StepRefs[],
  loaded?: Playbook,
  kept?: (read: () => Promise<Map<string, number>>) => Promise<Map<string, number>>,
): Promise<StepPlaybook[]> {
  if (refs.length === 0) return [];
  const playbook = loaded ?? (await loadPlaybook(ctx));
  let usage = new Map<string, number>();
  if (playbook.objections.length && refs.some((r) => !r.objections.length && !r.objectionTags.length)) {
    const read = () => objectionUsage(ctx, playbook.objections);
    usage = await (kept ? kept(read) : read());
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
