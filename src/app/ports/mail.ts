// What the app needs from mail servers: a transport to send (SMTP), the Sent folder to confirm an
// interrupted send, and a reader for new mail (IMAP). The drivers are in src/mail/.
import type { TlsMode } from './records.ts';

/** An OAuth2 mailbox's access token (XOAUTH2): the current one, and a renewed one after a server refused it. */
export interface AccessTokens {
  current(): Promise<string>;
  renew(): Promise<string>;
}

export interface ServerLogin {
  host: string;
  port: number;
  tls: TlsMode;
  user: string;
  /** Empty when the mailbox signs in with `oauth`. */
  password: string;
  /** Set: the servers are logged in to with XOAUTH2 and this token, renewed once on an authentication failure. */
  oauth?: AccessTokens;
}

export type SmtpSettings = ServerLogin;
export type ImapSettings = ServerLogin;

export interface OutgoingMail {
  from: { name: string; address: string };
  to: string;
  subject: string;
  text: string;
  /** null: a plain-text mail. */
  html: string | null;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  headers?: Record<string, string>;
  /** Sign with this DKIM key (for relays that do not sign themselves). */
  dkim?: DkimKey;
}

export interface DkimKey {
  domain: string;
  selector: string;
  /** PEM. */
  privateKey: string;
}

export interface SendResult {
  response: string;
  accepted: string[];
  rejected: string[];
  /** The bytes that went out (for the copy Tally files into Sent), when the transport has them. */
  raw?: Buffer;
}

/**
 * Why a send failed, as the outbox acts on it: `permanent` (a 5xx reply: sending again will not
 * help), `uncertain` (the connection dropped after the whole message was handed over: it may have
 * been accepted), `temporary` (anything else: try again later). `detail` is short and secret-free.
 */
export class SendFailure extends Error {
  constructor(
    readonly kind: 'permanent' | 'uncertain' | 'temporary',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'SendFailure';
  }
}

/** A mail server session for sending; `send` throws a SendFailure. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<SendResult>;
  verify(): Promise<void>;
  close(): void;
}

/** The Sent folder of a mailbox, opened on first use and kept for a sender run. */
export interface SentFolder {
  name(): Promise<string>;
  /** Whether a message with this Message-ID is in Sent (read afresh on every call). */
  contains(messageId: string): Promise<boolean>;
  /** Files a copy of a sent message (for servers that do not do it themselves). */
  append(raw: Buffer): Promise<void>;
  close(): void;
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

/** What a sync reads of every message first: its header block, arrival time and size. */
export interface MessageHead {
  uid: number;
  /** The header block only (up to the empty line). */
  headers: Buffer;
  internalDate: number | null;
  size: number;
}

export interface NewMail {
  uidValidity: string;
  /** True when UIDVALIDITY changed since the last sync: the folder is read again from `since`. */
  rescan: boolean;
  uids: number[];
  /** Reads the header blocks in batches, in UID order. */
  heads(size?: number): AsyncGenerator<MessageHead[]>;
  /** Fetches the full source of these messages (read between two batches of heads), in UID order. */
  sources(uids: number[]): Promise<FetchedMessage[]>;
  /** Bytes fetched so far: header blocks and full sources. */
  bytes(): { headers: number; sources: number };
}

export interface NewMailOptions {
  /** On a first read or after a UIDVALIDITY change, only messages that arrived on or after this day (IMAP SINCE). */
  since?: number | null;
}

/** An open IMAP session on a mailbox. */
export interface MailboxReader {
  /** The messages of a folder after the last UID seen (from `since` after a UIDVALIDITY change or on a first read). */
  newMail(folder: string, state: FolderState | undefined, opts?: NewMailOptions): Promise<NewMail>;
  /** How many folders the mailbox has (a connection check). */
  folderCount(): Promise<number>;
}

export interface MailDrivers {
  transport(s: SmtpSettings, opts?: { maxConnections?: number }): MailTransport;
  sentFolder(s: ImapSettings): SentFolder;
  /** Opens the mailbox for the duration of `fn`, then logs out. */
  readMailbox<T>(s: ImapSettings, fn: (reader: MailboxReader) => Promise<T>): Promise<T>;
}
