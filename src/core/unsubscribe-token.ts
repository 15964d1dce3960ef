// Signed unsubscribe tokens for List-Unsubscribe links (RFC 8058) and the footer: the token names
// the workspace and the prospect, and an HMAC proves Tally made it. Pure computation, no IO.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UnsubscribeClaim {
  workspaceId: number;
  prospectId: number;
}

function sign(payload: string, key: Buffer): string {
  return createHmac('sha256', key).update(`tally-unsubscribe:${payload}`).digest('base64url').slice(0, 22);
}

/** A token as it appears in a mail (an unsubscribe subject or body). */
export const TOKEN_IN_TEXT = /\bw\d{1,10}\.p\d{1,10}\.[A-Za-z0-9_-]{22}\b/;

/** "w1.p42.<signature>": short enough for a mail subject, safe in a URL. */
export function unsubscribeToken(claim: UnsubscribeClaim, key: Buffer): string {
  const payload = `w${claim.workspaceId}.p${claim.prospectId}`;
  return `${payload}.${sign(payload, key)}`;
}

/** The claim of a token Tally signed with `key`; null when it is malformed or forged. */
export function verifyUnsubscribeToken(token: string, key: Buffer): UnsubscribeClaim | null {
  const m = /^w(\d{1,10})\.p(\d{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
  if (!m) return null;
  const expected = Buffer.from(sign(`w${m[1]}.p${m[2]}`, key));
  const given = Buffer.from(m[3]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { workspaceId: Number(m[1]), prospectId: Number(m[2]) };
}

export interface UnsubscribeLinks {
  /** The one-click https link, when the mailbox has an unsubscribe URL. */
  https: string | null;
  mailto: string;
}

export function unsubscribeLinks(token: string, mailtoAddress: string, httpsBase: string | null): UnsubscribeLinks {
  let https: string | null = null;
  if (httpsBase) {
    const sep = httpsBase.includes('?') ? '&' : '?';
    https = `${httpsBase}${sep}token=${encodeURIComponent(token)}`;
  }
  return { https, mailto: `mailto:${mailtoAddress}?subject=${encodeURIComponent(`unsubscribe ${token}`)}` };
}

/**
 * The List-Unsubscribe headers. RFC 8058 one-click needs an https URI, so List-Unsubscribe-Post
 * is only sent along with one; the mailto link is always there.
 */
export function listUnsubscribeHeaders(links: UnsubscribeLinks): Record<string, string> {
  const uris = [links.https, links.mailto].filter((u): u is string => u !== null).map((u) => `<${u}>`);
  const headers: Record<string, string> = { 'List-Unsubscribe': uris.join(', ') };
  if (links.https) headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  return headers;
}
