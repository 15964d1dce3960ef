// Reading a mailbox over IMAP with imapflow: the new messages of one folder since the last UID,
// honouring UIDVALIDITY (a changed value means the UIDs were renumbered: read everything again).
import { ImapFlow } from 'imapflow';
import type { TlsMode } from './smtp.ts';

export interface ImapSettings {
  host: string;
  port: number;
  tls: TlsMode;
  user: string;
  password: string;
}

export interface FolderState {
  uidValidity: string;
  lastUid: number;
}

export interface FetchedMessage {
  uid: number;
  source: Buffer;
  internalDate: number | null;
}

export function imapClient(s: ImapSettings): ImapFlow {
  return new ImapFlow({
    host: s.host,
    port: s.port,
    secure: s.tls === 'tls',
    doSTARTTLS: s.tls === 'starttls' ? true : s.tls === 'none' ? false : undefined,
    auth: { user: s.user, pass: s.password },
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
  });
}

export async function withImap<T>(s: ImapSettings, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = imapClient(s);
  // A dropped connection is reported by the command in flight; the event itself must not crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

export interface NewMail {
  uidValidity: string;
  /** True when UIDVALIDITY changed since the last sync: every message is read again. */
  rescan: boolean;
  uids: number[];
  /** Reads the messages in batches, in UID order. */
  batches(size?: number): AsyncGenerator<FetchedMessage[]>;
}

export async function newMail(client: ImapFlow, folder: string, state: FolderState | undefined): Promise<NewMail> {
  const box = await client.mailboxOpen(folder, { readOnly: true });
  const uidValidity = String(box.uidValidity);
  const rescan = state !== undefined && state.uidValidity !== uidValidity;
  const after = state && !rescan ? state.lastUid : 0;
  const found = box.exists === 0 ? [] : ((await client.search({ uid: `${after + 1}:*` }, { uid: true })) || []);
  const uids = found.filter((u) => u > after).sort((a, b) => a - b);
  return {
    uidValidity,
    rescan,
    uids,
    async *batches(size = 100) {
      for (let i = 0; i < uids.length; i += size) {
        const chunk = uids.slice(i, i + size);
        const messages = await client.fetchAll(chunk.join(','), { uid: true, source: true, internalDate: true }, { uid: true });
        const out: FetchedMessage[] = messages
          .filter((m) => m.source !== undefined)
          .map((m) => ({ uid: m.uid, source: m.source as Buffer, internalDate: m.internalDate ? new Date(m.internalDate).getTime() : null }))
          .sort((a, b) => a.uid - b.uid);
        yield out;
      }
    },
  };
}
