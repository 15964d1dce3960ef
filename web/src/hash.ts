// A page's state in the URL's hash query (#/dashboard?rep=5&period=30d), so a reload keeps it.
/** The query of the page's hash: "#/dashboard?rep=5&period=30d" → rep=5, period=30d. */
export function hashParams(): URLSearchParams {
  return new URLSearchParams(window.location.hash.split('?')[1] ?? '');
}

/**
 * Puts a page's state in its hash query, so a reload or a shared link opens the same view. Replaces
 * the history entry (no hashchange): picking a filter is not a page to go back to.
 */
export function setHashParams(values: Record<string, string | null>): void {
  const [path] = window.location.hash.split('?');
  const q = hashParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === null) q.delete(k);
    else q.set(k, v);
  }
  const text = q.toString();
  window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}${path || '#/'}${text ? `?${text}` : ''}`);
}
