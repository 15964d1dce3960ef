// Cadences in the store: every edit makes a new version; running enrollments keep theirs.
import type { CadenceDefinition, CadenceStep } from '../core/types.ts';
import { asId, nameKey } from '../core/keys.ts';
import { isManager, type Context } from './context.ts';
import { NotFoundError, TallyError } from '../core/errors.ts';
import type { Cadence } from './ports/records.ts';
import { withPlaybookRefs } from './playbook.ts';
import { cadenceRates, type CadenceRates } from '../core/cadence-stats.ts';
import type { CadenceListing, CadenceVersionInfo } from './ports/store/cadences.ts';
import type { Store } from './ports/store/index.ts';

export type { CadenceListing, CadenceVersionInfo };

export interface StoredCadence {
  id: number;
  name: string;
  version: number;
  versionId: number;
  definition: CadenceDefinition;
  /** When it was archived (no new enrollments), else null. */
  archivedAt: number | null;
}

export interface SaveResult {
  cadence: StoredCadence;
  change: 'created' | 'new_version' | 'unchanged';
}

/**
 * Adds a cadence, or a new version of the one with the same name when its definition changed: what
 * `tally cadence add FILE` does (a file names its cadence). The web and the API say which they mean:
 * `createCadence` refuses a taken name, `saveCadenceVersion` names the cadence it versions.
 */
export async function saveCadence(ctx: Context, written: CadenceDefinition): Promise<SaveResult> {
  return ctx.store.transaction(async (tx) => {
    const existing = await tx.cadences.byNameKey(ctx.workspace.id, nameKey(written.name));
    return existing ? writeVersion({ ...ctx, store: tx }, existing, written) : insertCadence({ ...ctx, store: tx }, written);
  });
}

/** A new cadence; a name already taken is refused (saving over it is `saveCadenceVersion`). */
export async function createCadence(ctx: Context, written: CadenceDefinition): Promise<SaveResult> {
  return ctx.store.transaction(async (tx) => {
    const taken = await tx.cadences.byNameKey(ctx.workspace.id, nameKey(written.name));
    if (taken) throw nameTaken(taken);
    return insertCadence({ ...ctx, store: tx }, written);
  });
}

/** The next version of a cadence (a rename too, to a name no other cadence has). */
export async function saveCadenceVersion(ctx: Context, ref: string | number, written: CadenceDefinition): Promise<SaveResult> {
  return ctx.store.transaction(async (tx) => {
    const inTx = { ...ctx, store: tx };
    const cadence = await cadenceRow(inTx, ref);
    const other = await tx.cadences.byNameKey(ctx.workspace.id, nameKey(written.name));
    if (other && other.id !== cadence.id) throw nameTaken(other);
    return writeVersion(inTx, cadence, written);
  });
}

function nameTaken(c: Cadence): TallyError {
  return new TallyError(
    `A cadence named "${c.name}" already exists (v${c.current_version}${c.archived_at !== null ? ', archived' : ''}): pick another name, or open "${c.name}" and save a new version of it`,
    'conflict',
    { field: 'name' },
  );
}

async function insertCadence(ctx: Context, written: CadenceDefinition): Promise<SaveResult> {
  const def = await withPlaybookRefs(ctx, written);
  const cadenceId = await ctx.store.cadences.insert({ workspace_id: ctx.workspace.id, name: def.name, name_key: nameKey(def.name), current_version: 1, created_at: ctx.now(), archived_at: null });
  const versionId = await ctx.store.cadences.insertVersion({ cadence_id: cadenceId, version: 1, definition: JSON.stringify(def), created_at: ctx.now(), created_by: ctx.user.id }, def.steps);
  return { change: 'created', cadence: { id: cadenceId, name: def.name, version: 1, versionId, definition: def, archivedAt: null } };
}

/** Saves `written` as the cadence's next version, unless it is its current version already. */
async function writeVersion(ctx: Context, existing: Cadence, written: CadenceDefinition): Promise<SaveResult> {
  // Playbook keys must resolve; a step that only names a value item gets its title as the value line.
  const def = await withPlaybookRefs(ctx, written);
  const json = JSON.stringify(def);
  const current = await ctx.store.cadences.version(existing.id, existing.current_version);
  if (!current) throw new NotFoundError(`cadence "${existing.name}" has lost its version ${existing.current_version}`);
  if (current.definition === json) {
    return { change: 'unchanged', cadence: { id: existing.id, name: existing.name, version: current.version, versionId: current.id, definition: def, archivedAt: existing.archived_at } };
  }
  const version = existing.current_version + 1;
  await ctx.store.cadences.setCurrentVersion(existing.id, version, def.name, nameKey(def.name));
  const versionId = await ctx.store.cadences.insertVersion({ cadence_id: existing.id, version, definition: json, created_at: ctx.now(), created_by: ctx.user.id }, def.steps);
  return { change: 'new_version', cadence: { id: existing.id, name: def.name, version, versionId, definition: def, archivedAt: existing.archived_at } };
}

async function cadenceRow(ctx: Context, ref: string | number): Promise<Cadence> {
  // Ids are 32-bit on PostgreSQL: a larger number is a name, never a query error.
  const id = asId(ref);
  const cadence = id !== null ? await ctx.store.cadences.byId(ctx.workspace.id, id) : await ctx.store.cadences.byNameKey(ctx.workspace.id, nameKey(String(ref)));
  if (!cadence) throw new NotFoundError(`unknown cadence "${ref}" (see "tally cadence list")`);
  return cadence;
}

/** A copy of a cadence's current version under a new name ("… (copy)" by default), as its v1. */
export async function cloneCadence(ctx: Context, ref: string | number, name?: string): Promise<SaveResult> {
  const source = await getCadence(ctx, ref);
  const wanted = name?.trim() || (await freeName(ctx, `${source.name} (copy)`));
  return createCadence(ctx, { ...source.definition, name: wanted });
}

/** "X (copy)", else "X (copy 2)", "X (copy 3)"… whichever is free. */
async function freeName(ctx: Context, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base.replace(/\)$/, '')} ${n})`;
    if (!(await ctx.store.cadences.byNameKey(ctx.workspace.id, nameKey(name)))) return name;
  }
}

/** Archived: no new enrollments (enroll refuses), the live ones finish; `archived: false` brings it back. */
export async function archiveCadence(ctx: Context, ref: string | number, archived: boolean): Promise<CadenceListing> {
  return ctx.store.transaction(async (tx) => {
    const cadence = await cadenceRow({ ...ctx, store: tx }, ref);
    await tx.cadences.setArchived(cadence.id, archived ? ctx.now() : null);
    const listing = (await tx.cadences.list(ctx.workspace.id)).find((c) => c.id === cadence.id);
    return listing!;
  });
}

/**
 * Deletes a cadence nobody was ever enrolled in. One with enrollments (live or ended) stays: its
 * history is the tally and the reports; the refusal says so and offers archiving instead.
 */
export async function deleteCadence(ctx: Context, ref: string | number): Promise<{ name: string }> {
  return ctx.store.transaction(async (tx) => {
    const cadence = await cadenceRow({ ...ctx, store: tx }, ref);
    const used = await tx.cadences.enrollmentCounts(cadence.id);
    if (used.total > 0) {
      throw new TallyError(
        `"${cadence.name}" cannot be deleted: ${plural(used.total, 'prospect was', 'prospects were')} enrolled in it${used.live ? ` (${used.live} still live)` : ''}, and their touches count in the reports. Archive it instead: it takes no new enrollments and the live ones finish.`,
        'conflict',
        { field: 'cadence' },
      );
    }
    const namedBy = (await tx.cadences.currentDefinitions(ctx.workspace.id)).filter((c) => c.cadenceId !== cadence.id && c.def.nurture !== undefined && nameKey(c.def.nurture) === cadence.name_key);
    if (namedBy.length) {
      throw new TallyError(`"${cadence.name}" cannot be deleted: ${namedBy.map((c) => `"${c.cadence}"`).join(', ')} moves prospects to it when they do not reply. Change that first, or archive it.`, 'conflict', { field: 'cadence' });
    }
    await tx.cadences.remove(cadence.id);
    return { name: cadence.name };
  });
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Makes an old version the current one again, as the next version (history is never rewritten). */
export async function restoreCadenceVersion(ctx: Context, ref: string | number, version: number): Promise<SaveResult> {
  const old = await getCadence(ctx, ref, version);
  // The name stays the cadence's current one: a restore brings back the steps, not an old name.
  return saveCadenceVersion(ctx, old.id, { ...old.definition, name: old.name });
}

/** A cadence's archived state, for the CLI and the API's guards. */
export async function isArchived(ctx: Context, ref: string | number): Promise<boolean> {
  return (await cadenceRow(ctx, ref)).archived_at !== null;
}

/** A cadence by id or name, at its current version (or a given one). */
export async function getCadence(ctx: Context, ref: string | number, version?: number): Promise<StoredCadence> {
  const cadence = await cadenceRow(ctx, ref);
  const wanted = version ?? cadence.current_version;
  const v = await ctx.store.cadences.version(cadence.id, wanted);
  if (!v) throw new NotFoundError(`cadence "${cadence.name}" has no version ${wanted} (latest is ${cadence.current_version})`);
  return { id: cadence.id, name: cadence.name, version: v.version, versionId: v.id, definition: JSON.parse(v.definition) as CadenceDefinition, archivedAt: cadence.archived_at };
}

export function listCadences(ctx: Context): Promise<CadenceListing[]> {
  return ctx.store.cadences.list(ctx.workspace.id);
}

/** Steps of cadence versions, loaded once per version. */
export function stepsLoader(store: Store): (versionId: number) => Promise<CadenceStep[]> {
  const cache = new Map<number, CadenceStep[]>();
  return async (versionId) => {
    let steps = cache.get(versionId);
    if (!steps) cache.set(versionId, (steps = await store.cadences.stepsOf(versionId)));
    return steps;
  };
}

/** Every version of a cadence, newest first: live enrollments stay on the version they started. */
export function cadenceVersions(ctx: Context, cadenceId: number): Promise<CadenceVersionInfo[]> {
  return ctx.store.cadences.versions(ctx.workspace.id, cadenceId);
}

/**
 * Sent / reply / meeting / opt-out / bounce counts of a cadence, overall and per step of one version
 * (the current one by default; per step, only the enrollments on that version): the team's for a manager, a rep's own prospects for a rep (as on the dashboard).
 */
export async function cadenceStats(ctx: Context, ref: string | number, version?: number): Promise<CadenceRates & { cadenceId: number; version: number; scope: 'team' | 'mine' }> {
  const cadence = await getCadence(ctx, ref, version);
  const facts = await ctx.store.cadences.touchFacts(cadence.id, isManager(ctx) ? null : ctx.user.id);
  return { cadenceId: cadence.id, version: cadence.version, scope: isManager(ctx) ? 'team' : 'mine', ...cadenceRates({ id: cadence.versionId, steps: cadence.definition.steps.length }, facts.enrollments, facts.touches) };
}
