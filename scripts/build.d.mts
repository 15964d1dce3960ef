// Types for scripts/build.mjs (a plain-JavaScript script, so Node runs it without a build of its own).

/** Whether dist/ is missing or older than a source (false for an install without the sources). */
export function distIsStale(): boolean;

/** Builds dist/ when it is stale; returns whether it did. `say` hears why, before the build starts. */
export function ensureBuilt(say?: (line: string) => void): Promise<boolean>;
