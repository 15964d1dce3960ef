// What the queue reads on every call but people change seldom — the workspace's playbook and each
// rep's sender (the name, address and unsubscribe link of their mailbox) — kept in this process
// between calls. Every call reads the workspace's data version in a statement it sends anyway (the
// queue's counts); triggers move it on in the transaction of each change (migration 031), and what
// was kept under another version is read again. So it is right with any number of server processes,
// and nothing expires by time.

/** What one workspace's calls keep, under the data version it was read at (or after). */
interface Kept {
  version: number;
  values: Map<string, Promise<unknown>>;
}

/** Per store (a process may hold several databases open: tests do), per workspace. */
const byStore = new WeakMap<object, Map<number, Kept>>();

export interface Keeper {
  /** The value kept under `key`, or `load`'s (kept for the next calls at this version). */
  get<T>(key: string, load: () => Promise<T>): Promise<T>;
}

/**
 * What is kept for `workspaceId` at `version`, read by the caller before any `load` it passes runs:
 * a load then reads the data as of that version or later, and a later change moves the version on,
 * so nothing older than the version is ever kept under it. A caller holding an older version than
 * what is kept (it read just before a change) reads without keeping.
 */
export function keptAt(store: object, workspaceId: number, version: number): Keeper {
  let workspaces = byStore.get(store);
  if (!workspaces) byStore.set(store, (workspaces = new Map()));
  let kept = workspaces.get(workspaceId);
  if (!kept || kept.version < version) workspaces.set(workspaceId, (kept = { version, values: new Map() }));
  if (kept.version > version) return { get: (_key, load) => load() };
  const { values } = kept;
  return {
    get<T>(key: string, load: () => Promise<T>): Promise<T> {
      const have = values.get(key);
      if (have) return have as Promise<T>;
      const loading = load();
      values.set(key, loading);
      // A failed read is not kept: the next call tries again.
      loading.catch(() => values.get(key) === loading && values.delete(key));
      return loading;
    },
  };
}
