// A prospect's LinkedIn profile, as the add form and an import take it.

/** A LinkedIn profile address: https, on linkedin.com (the channel's links open it). */
export function isLinkedInUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && /(^|\.)linkedin\.com$/i.test(u.hostname) && u.pathname.length > 1;
  } catch {
    return false;
  }
}
