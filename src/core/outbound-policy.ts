// Which URLs a workspace user may make Tally call (webhooks now, anything later): https to public
// addresses, and plain http or internal addresses only for the hosts a manager put on the
// workspace's allow-list. The address checks themselves happen when the host is resolved
// (src/runtime/outbound.ts); this is the part that needs no network.

/** "hooks.internal", "10.0.0.5:8080", "[::1]:9000": a host, with or without a port. */
const ENTRY = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/i;

export function allowListEntryProblem(entry: string): string | null {
  return ENTRY.test(entry.trim()) ? null : `"${entry}" is not a host or host:port (e.g. hooks.internal or 10.0.0.5:8080)`;
}

/** Whether the URL's host (and port, when the entry names one) is on the allow-list. */
export function allowListed(url: URL, allowHosts: readonly string[]): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return allowHosts.some((raw) => {
    const entry = raw.trim().toLowerCase();
    const m = ENTRY.exec(entry);
    if (!m) return false;
    return m[1] === host && (m[2] === undefined || m[2].slice(1) === port);
  });
}

/** Why this URL may not be called before any address is looked at, or null. */
export function urlPolicyProblem(url: URL, allowHosts: readonly string[]): string | null {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `only https:// URLs can be called, not ${url.protocol}`;
  if (url.username || url.password) return 'put no credentials in the URL: verify the Tally-Signature header instead';
  if (url.protocol === 'http:' && !allowListed(url, allowHosts)) return 'the URL must use https:// (plain http only for a host on the workspace allow-list, webhooks.allowHosts)';
  return null;
}
