// Cadences in the store: every edit makes a new version; running enrollments keep theirs.
import type { CadenceDefinition, CadenceStep } from '../core/types.ts';
import { asId, nameKey } from '../core/keys.ts';
import type { Context } from './context.ts';
import { NotFoundError } from '../core/errors.ts';
import { withPlaybookRefs } from './playbook.ts';
import type { CadenceListing, CadenceVersionInfo } from './ports/store/cadences.ts';
import type { Store } from './ports/store/index.ts';

export type { CadenceListing, CadenceVersionInfo };

export interface StoredCadence {
  id: number;
  name: string;
  version: number;
  versionId: number;
  definition: CadenceDefinition;
}

export interface SaveResult {
  cadence: StoredCadence;
  change: 'created' | 'new_version' | 'unchanged';
}

/** Adds a cadence, or a new version of the one with the same name when its definition changed. */
export async function saveCadence(ctx: Context, written: CadenceDefinition): Promise<SaveResult> {
  const now = ctx.now();
  return ctx.store.transaction(async (tx): Promise<SaveResult> => {
    // Playbook keys must resolve; a step that only names a value item gets its title as the value line.
    const def = await withPlaybookRefs({ ...ctx, store: tx }, written);
    const json = JSON.stringify(def);
    const existing = await tx.cadences.byNameKey(ctx.workspace.id, nameKey(def.name));
    let cadenceId: number;
    let version = 1;
    if (existing) {
      const current = await tx.cadences.version(existing.id, existing.current_version);
      if (!current) throw new NotFoundError(`cadence "${existing.name}" has lost its version ${existing.current_version}`);
      if (current.definition === json) {
        return { change: 'unchanged', cadence: { id: existing.id, name: existing.name, version: current.version, versionId: current.id, definition: def } };
      }
      cadenceId = existing.id;
      version = existing.current_version + 1;
      await tx.cadences.setCurrentVersion(cadenceId, version, def.name);
    } else {
      cadenceId = await tx.cadences.insert({ workspace_id: ctx.workspace.id, name: def.name, name_key: nameKey(def.name), current_version: 1, created_at: now });
    }
    const versionId = await tx.cadences.insertVersion({ cadence_id: cadenceId, version, definition: json, created_at: now, created_by: ctx.user.id }, def.steps);
    return { change: existing ? 'new_version' : 'created', cadence: { id: cadenceId, name: def.name, version, versionId, definition: def } };
  });
}

/** A cadence by id or name, at its current version (or a given one). */
export async function getCadence(ctx: Context, ref: string | number, version?: number): Promise<StoredCadence> {
  // Ids are 32-bit on PostgreSQL: a larger number is a name, never a query error.
  const id = asId(ref);
  const cadence = id !== null ? await ctx.store.cadences.byId(ctx.workspace.id, id) : await ctx.store.cadences.byNameKey(ctx.workspace.id, nameKey(String(ref)));
  if (!cadence) throw new NotFoundError(`unknown cadence "${ref}" (see "tally cadence list")`);
  const wanted = version ?? cadence.current_version;
  const v = await ctx.store.cadences.version(cadence.id, wanted);
  if (!v) throw new NotFoundError(`cadence "${cadence.name}" has no version ${wanted} (latest is ${cadence.current_version})`);
  return { id: cadence.id, name: cadence.name, version: v.version, versionId: v.id, definition: JSON.parse(v.definition) as CadenceDefinition };
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
