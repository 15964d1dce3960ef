// The one-click unsubscribe link (RFC 8058, List-Unsubscribe): where Tally's /unsubscribe page is
// reached from the internet. A manager sets it once for the workspace (the web settings, or "tally
// settings set mail.unsubscribeUrl"); a mailbox given its own ("tally mailbox add --unsubscribe-url")
// keeps that one. Mailbox providers call it from outside, so a private or loopback address only
// makes sense while Tally runs on the manager's own machine.
import type { Context } from './context.ts';
import type { Mailbox } from './ports/records.ts';
import type { WorkspaceSettings } from './settings.ts';
import { TallyError } from '../core/errors.ts';
import { isLoopbackHost } from '../core/loopback-host.ts';
import { changeSettings } from './workspace-settings.ts';

/** The https link a mailbox's mail carries (no mailbox yet: the workspace's), or null (a mailto link only). */
export function unsubscribeUrlOf(settings: WorkspaceSettings, m: Pick<Mailbox, 'unsubscribe_url'> | undefined): string | null {
  return m?.unsubscribe_url ?? settings.mail.unsubscribeUrl;
}

/** Whether a server's public address is this machine (the manager's own Tally, not one on the internet). */
export function isLocalAddress(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/**
 * Sets (or, with null, clears) the workspace's unsubscribe link; managers only. `serverIsLocal`: the
 * server's public address is this machine, so a loopback or private link is what the manager means.
 */
export async function setUnsubscribeUrl(ctx: Context, url: string | null, opts: { serverIsLocal: boolean }): Promise<string | null> {
  if (ctx.user.role !== 'manager') throw new TallyError('only a manager can set the workspace\'s unsubscribe link', 'forbidden');
  const field = { field: 'unsubscribeUrl' };
  const text = url?.trim() || null;
  if (text !== null) {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      throw new TallyError(`"${text}" is not a web address (e.g. https://tally.acme.com/unsubscribe)`, 'invalid', field);
    }
    if (u.protocol !== 'https:') throw new TallyError('the unsubscribe link must start with https:// (Gmail and Yahoo accept only https for one-click unsubscribe)', 'invalid', field);
    if (u.username || u.password) throw new TallyError('put no user name or password in the unsubscribe link', 'invalid', field);
    // Nothing is allow-listed here: the people who click are on the internet.
    if (!opts.serverIsLocal && (await ctx.webhooks.refusal(u.href, { allowHosts: [] })) !== null) {
      throw new TallyError(`${u.host} is a private or loopback address: mailbox providers cannot reach it from the internet (use Tally's public address)`, 'invalid', field);
    }
  }
  const next = text === null ? null : new URL(text).href;
  await changeSettings(ctx, (current) => ({ ...current, mail: { ...current.mail, unsubscribeUrl: next } }));
  return next;
}
