// An in-process SMTP server on 127.0.0.1 that keeps the raw bytes of every message it accepts, counts
// them by Message-ID, and can misbehave on purpose: drop the connection at a chosen point of a
// transaction, and file each accepted mail into a Sent maildir (what Gmail or Microsoft 365 do).
import { SMTPServer } from 'smtp-server';
import type { AddressInfo, Socket } from 'node:net';
import { chownSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * Where a transaction is cut: `rcpt` before DATA; `mid-data` after the first bytes of the message
 * (not accepted); `after-data` once the whole message arrived, accepted (counted, filed) but the
 * reply never sent; `after-data-lost` the whole message arrived but was not accepted.
 */
export type SmtpFault = 'rcpt' | 'mid-data' | 'after-data' | 'after-data-lost';

export interface SmtpOptions {
  user?: string;
  password?: string;
  /** Asked for every new connection: true hangs up at once, before the greeting. */
  dropConnection?: () => boolean;
  /** Asked once per transaction (n counts from 1): cut it, or null to serve it normally. */
  fault?: (n: number) => SmtpFault | null;
  /** Called for every accepted mail before the reply is sent (e.g. file it into Sent). */
  onAccepted?: (mail: CapturedMail) => void;
  /** Keep the raw bytes in `mails` (default true; the fault test keeps only the counts). */
  keepRaw?: boolean;
  /** Also accept XOAUTH2 logins: whether this access token is valid for this user (asked of the OAuth server). */
  acceptToken?: (user: string, token: string) => boolean;
}

export interface SmtpCapture {
  host: string;
  port: number;
  mails: CapturedMail[];
  /** Accepted mails per Message-ID. */
  received: Map<string, number>;
  /** Transactions (and connections) cut on purpose, per kind. */
  faults: Record<SmtpFault | 'connect', number>;
  /** Logins tried, for the secrets test (XOAUTH2 ones with their method and the token as password). */
  logins: { user: string; password: string; method?: string }[];
  stop(): Promise<void>;
}

export async function startSmtp(opts: SmtpOptions = {}): Promise<SmtpCapture> {
  const mails: CapturedMail[] = [];
  const received = new Map<string, number>();
  const faults: Record<SmtpFault | 'connect', number> = { connect: 0, rcpt: 0, 'mid-data': 0, 'after-data': 0, 'after-data-lost': 0 };
  const logins: { user: string; password: string; method?: string }[] = [];
  const planned = new Map<string, SmtpFault>();
  let transactions = 0;
  // smtp-server does not hand the socket to its hooks; its connection objects carry it (session.id is the connection id).
  const socketOf = (sessionId: string): Socket | undefined => {
    for (const c of (server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections) if (c.id === sessionId) return c._socket;
    return undefined;
  };
  const cut = (sessionId: string, kind: SmtpFault | 'connect') => {
    faults[kind]++;
    planned.delete(sessionId);
    socketOf(sessionId)?.destroy();
  };
  const server = new SMTPServer({
    // close() waits this long for clients to leave (30 s by default): a pooled sender never does.
    closeTimeout: 100,
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: opts.user === undefined,
    authMethods: opts.acceptToken ? ['PLAIN', 'LOGIN', 'XOAUTH2'] : ['PLAIN', 'LOGIN'],
    logger: false,
    size: 10 * 1024 * 1024,
    onConnect(session, cb) {
      if (opts.dropConnection?.()) return cut(session.id, 'connect');
      cb();
    },
    onAuth(auth, _session, cb) {
      if (auth.method === 'XOAUTH2') {
        logins.push({ user: auth.username ?? '', password: auth.accessToken ?? '', method: 'XOAUTH2' });
        if (opts.acceptToken?.(auth.username ?? '', auth.accessToken ?? '')) return cb(null, { user: auth.username });
        // RFC 7628 / Google: a refused token is answered with a JSON challenge, then the 535.
        return cb(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } });
      }
      logins.push({ user: auth.username ?? '', password: auth.password ?? '' });
      if (opts.user === undefined || (auth.username === opts.user && auth.password === opts.password)) return cb(null, { user: auth.username });
      return cb(new Error('Invalid username or password'));
    },
    onRcptTo(_address, session, cb) {
      const fault = opts.fault?.(++transactions) ?? null;
      if (fault === 'rcpt') return cut(session.id, 'rcpt');
      if (fault) planned.set(session.id, fault);
      else planned.delete(session.id);
      cb();
    },
    onData(stream, session, cb) {
      const fault = planned.get(session.id);
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (c: Buffer) => {
        if (fault === 'mid-data' && !dropped) {
          dropped = true;
          cut(session.id, 'mid-data');
        }
        chunks.push(c);
      });
      stream.on('end', () => {
        if (dropped) return;
        const raw = Buffer.concat(chunks).toString('utf8');
        if (fault === 'after-data-lost') return cut(session.id, 'after-data-lost');
        const mail = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw };
        const id = header(raw, 'Message-ID') ?? '';
        received.set(id, (received.get(id) ?? 0) + 1);
        if (opts.keepRaw !== false) mails.push(mail);
        opts.onAccepted?.(mail);
        if (fault === 'after-data') return cut(session.id, 'after-data');
        cb();
      });
    },
  });
  // A client vanishing mid-transaction is part of the tests, not a server failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    mails,
    received,
    faults,
    logins,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Files raw messages into a maildir folder (e.g. Dovecot's `<user>/.Sent`) the way a delivery agent
 * does: written under tmp/, renamed into new/, owned like the folder so the IMAP server may move it.
 */
export function maildirFiler(folder: string): (raw: string) => void {
  // The folder belongs to whoever owns the mailbox above it (Dovecot's mail user when run as root).
  const { uid, gid } = statSync(dirname(folder));
  for (const d of [folder, ...['tmp', 'new', 'cur'].map((sub) => join(folder, sub))]) {
    mkdirSync(d, { recursive: true });
    if (process.getuid?.() === 0) chownSync(d, uid, gid);
  }
  let n = 0;
  return (raw) => {
    const name = `${Date.now()}.M${++n}P${process.pid}.tally-test`;
    const tmp = join(folder, 'tmp', name);
    writeFileSync(tmp, raw.replace(/\r?\n/g, '\n'));
    if (process.getuid?.() === 0) chownSync(tmp, uid, gid);
    renameSync(tmp, join(folder, 'new', name));
  };
}

/** The value of a header in a raw message (unfolded), or undefined. */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head);
  return m ? m[1]!.trim() : undefined;
}
