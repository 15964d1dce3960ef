// Reading a mailbox over IMAP with imapflow: the app's MailboxReader and SentFolder. New messages of
// one folder since the last UID, honouring UIDVALIDITY (a changed value means the UIDs were
// renumbered: read again from the mailbox's "read mail since" day). Header blocks first, full
// sources only for the messages the app asks for.
import { ImapFlow } from 'imapflow';
import type { FetchedMessage, FolderState, ImapSettings, MailboxReader, MessageHead, NewMail, NewMailOptions, SentFolder as SentFolderPort } from '../app/ports/mail.ts';

export function imapClient(s: ImapSettings, accessToken?: string): ImapFlow {
  return new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.tls === 'tls',
    doSTARTTLS: s.tls === 'starttls' ? true : s.tls === 'none' ? false : undefined,
    auth: accessToken !== undefined ? { user: s.user, accessToken } : { user: s.user, pass: s.password },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
  });
}

/**
 * A logged-in client. With XOAUTH2 it logs in with the current access token, and once more with a
 * renewed one when the server refuses it.
 */
export async function connectedClient(s: ImapSettings): Promise<ImapFlow> {
  const attempt = async (renew: boolean): Promise<ImapFlow> => {
    const token = s.oauth ? await (renew ? s.oauth.renew() : s.oauth.current()) : undefined;
    const client = imapClient(s, token);
    // A dropped connection is reported by the command in flight; the event itself must not crash the process.
    client.on('error', () => undefined);
    await client.connect();
    return client;
  };
  try {
    return await attempt(false);
  } catch (err) {
    if (!s.oauth || (err as { authenticationFailed?: unknown } | null)?.authenticationFailed !== true) throw err;
    return attempt(true);
  }
}

export async function withImap<T>(s: ImapSettings, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = await connectedClient(s);
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/** The open session as the app reads it. */
export function mailboxReader(client: ImapFlow): MailboxReader {
  return {
    newMail: (folder, state, opts) => newMail(client, folder, state, opts),
    folderCount: async () => (await client.list()).length,
  };
}

/** IMAP SINCE compares the arrival day only (RFC 3501): the day before, so no zone drops the first hours. */
function sinceDay(at: number): Date {
  return new Date(at - 24 * 3600_000);
}

export async function newMail(client: ImapFlow, folder: string, state: FolderState | undefined, opts: NewMailOptions = {}): Promise<NewMail> {
  const box = await client.mailboxOpen(folder, { readOnly: true });
  const uidValidity = String(box.uidValidity);
  const rescan = state !== undefined && state.uidValidity !== uidValidity;
  const after = state && !rescan ? state.lastUid : 0;
  const since = after === 0 && opts.since != null ? { since: sinceDay(opts.since) } : {};
  const found = box.exists === 0 ? [] : ((await client.search({ uid: `${after + 1}:*`, ...since }, { uid: true })) || []);
  const uids = found.filter((u) => u > after).sort((a, b) => a - b);
  const bytes = { headers: 0, sources: 0 };
  return {
    uidValidity,
    rescan,
    uids,
    bytes: () => ({ ...bytes }),
    async *heads(size = 500) {
      for (let i = 0; i < uids.length; i += size) {
        const chunk = uids.slice(i, i + size);
        const messages = await client.fetchAll(chunk.join(','), { uid: true, headers: true, internalDate: true, size: true }, { uid: true });
        const out: MessageHead[] = [];
        for (const m of messages) {
          if (!m.headers) continue;
          bytes.headers += m.headers.length;
          out.push({ uid: m.uid, headers: m.headers, internalDate: dateOf(m.internalDate), size: m.size ?? 0 });
        }
        yield out.sort((a, b) => a.uid - b.uid);
      }
    },
    async sources(wanted) {
      if (wanted.length === 0) return [];
      const messages = await client.fetchAll(wanted.join(','), { uid: true, source: true, internalDate: true }, { uid: true });
      const out: FetchedMessage[] = [];
      for (const m of messages) {
        if (!m.source) continue;
        bytes.sources += m.source.length;
        out.push({ uid: m.uid, source: m.source, internalDate: dateOf(m.internalDate) });
      }
      return out.sort((a, b) => a.uid - b.uid);
    },
  };
}

function dateOf(d: Date | string | undefined): number | null {
  return d ? new Date(d).getTime() : null;
}

// ---------------------------------------------------------------------------------------------
// The Sent folder: where the provider (or Tally) files what was sent, so an interrupted send can be
// confirmed by its Message-ID (docs/reliability.md).

/** Names servers commonly give the Sent folder when they do not flag it `\Sent` (RFC 6154). */
const SENT_NAMES = ['Sent', 'Sent Items', 'Sent Messages', 'Sent Mail', '[Gmail]/Sent Mail', 'INBOX.Sent', 'INBOX/Sent'];

export async function findSentFolder(client: ImapFlow): Promise<string | null> {
  const folders = await client.list();
  const flagged = folders.find((f) => f.specialUse === '\\Sent');
  if (flagged) return flagged.path;
  for (const name of SENT_NAMES) {
    const f = folders.find((x) => x.path.toLowerCase() === name.toLowerCase());
    if (f) return f.path;
  }
  return null;
}

interface SentSession {
  client: ImapFlow;
  folder: string;
}

/**
 * One IMAP session on the Sent folder, opened on first use and kept for a sender run. Sends in
 * parallel share it: the first opens it and the others wait for that one (each opening its own
 * left all but the last logged in after the run, holding the process open until its exit timer).
 */
export class SentFolder implements SentFolderPort {
  private session: Promise<SentSession> | null = null;

  constructor(private readonly settings: ImapSettings) {}

  private async connect(): Promise<SentSession> {
    const client = await connectedClient(this.settings);
    try {
      const folder = await findSentFolder(client);
      if (!folder) throw new Error(`no Sent folder on ${this.settings.host} (none flagged \\Sent, none named ${SENT_NAMES.join(', ')})`);
      return { client, folder };
    } catch (err) {
      client.logout().catch(() => client.close());
      throw err;
    }
  }

  private async open(): Promise<SentSession> {
    const reused = this.session !== null;
    const session = (this.session ??= this.connect());
    let s: SentSession;
    try {
      s = await session;
    } catch (err) {
      if (this.session === session) this.session = null; // the next call tries again
      throw err;
    }
    if (s.client.usable || !reused) return s;
    // Dropped since it was opened: the first caller to see it opens a new one, the others share that.
    if (this.session === session) this.close();
    return this.open();
  }

  /** The name of the Sent folder. */
  async name(): Promise<string> {
    return (await this.open()).folder;
  }

  /** Whether a message with this Message-ID is in Sent (the folder is re-read on every call). */
  async contains(messageId: string): Promise<boolean> {
    const { client, folder } = await this.open();
    // Opening the folder again makes the server look at mail filed since the last call.
    await client.mailboxOpen(folder, { readOnly: true });
    const found = await client.search({ header: { 'message-id': messageId } }, { uid: true });
    return Array.isArray(found) && found.length > 0;
  }

  /** Files a copy of a sent message (for servers that do not do it themselves). */
  async append(raw: Buffer): Promise<void> {
    const { client, folder } = await this.open();
    await client.append(folder, raw, ['\\Seen']);
  }

  /** Logs out, also of a session still being opened. */
  close(): void {
    const session = this.session;
    this.session = null;
    void session?.then(({ client }) => client.logout().catch(() => client.close()), () => undefined);
  }
}
