// Sending over SMTP with nodemailer: the app's MailTransport. One pooled connection per mailbox run;
// a failure is told to the app as a SendFailure: a 5xx reply is permanent, a drop after the whole
// message was handed to the server is uncertain, anything else may pass on a retry.
import { Readable } from 'node:stream';
import nodemailer from 'nodemailer';
import type { SendMailOptions, Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import DKIM from 'nodemailer/lib/dkim';

import { SendFailure, type MailTransport, type OutgoingMail, type SendResult, type SmtpSettings } from '../app/ports/mail.ts';

/** The login: XOAUTH2 with an access token, or the user and password (none without a user). */
function authOf(s: SmtpSettings, accessToken: string | undefined) {
  if (accessToken !== undefined) return { type: 'OAuth2' as const, user: s.user, accessToken };
  return s.user ? { user: s.user, pass: s.password } : undefined;
}

export function createTransport(s: SmtpSettings, opts: { pool?: boolean; maxConnections?: number } = {}, accessToken?: string): Transporter {
  return nodemailer.createTransport({
    host: s.host,
    port: s.port,
    secure: s.tls === 'tls',
    requireTLS: s.tls === 'starttls',
    ignoreTLS: s.tls === 'none',
    auth: authOf(s, accessToken),
    pool: opts.pool ?? true,
    maxConnections: opts.maxConnections ?? 1,
    maxMessages: Infinity,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  });
}

export function toNodemailer(mail: OutgoingMail): SendMailOptions {
  return {
    from: { name: mail.from.name, address: mail.from.address },
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html ?? undefined,
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo ?? undefined,
    references: mail.references && mail.references.length > 0 ? mail.references : undefined,
    headers: mail.headers,
  };
}

/**
 * The headers a DKIM signature covers: nodemailer's list (RFC 6376 §5.4) plus List-Unsubscribe-Post,
 * which one-click unsubscribe (RFC 8058 §4) requires to be signed along with List-Unsubscribe.
 */
export const DKIM_SIGNED_HEADERS = [
  'From', 'Sender', 'Reply-To', 'Subject', 'Date', 'Message-ID', 'To', 'Cc', 'MIME-Version', 'Content-Type',
  'Content-Transfer-Encoding', 'Content-ID', 'Content-Description', 'In-Reply-To', 'References',
  'List-Id', 'List-Help', 'List-Unsubscribe', 'List-Unsubscribe-Post', 'List-Subscribe', 'List-Post', 'List-Owner', 'List-Archive',
].join(':');

/** The message as it goes on the wire (headers included, Message-ID as given), DKIM-signed when the mailbox has a key. */
export async function buildRaw(mail: OutgoingMail): Promise<Buffer> {
  const raw = await new MailComposer(toNodemailer(mail)).compile().build();
  if (!mail.dkim) return raw;
  const signer = new DKIM({ domainName: mail.dkim.domain, keySelector: mail.dkim.selector, privateKey: mail.dkim.privateKey, headerFieldNames: DKIM_SIGNED_HEADERS });
  const chunks: Buffer[] = [];
  for await (const c of signer.sign(raw)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The failure of a send whose whole message (up to the DATA terminator) was already handed to the
 * server: it may have been accepted although no reply came back.
 */
export function isUncertainSmtpError(err: unknown): boolean {
  return (err as { tallyMessageHandedOver?: unknown } | null)?.tallyMessageHandedOver === true;
}

/** The server refused the login (an expired or revoked access token, for XOAUTH2). */
function isAuthFailure(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'EAUTH';
}

/**
 * The pooled transporter of a run. With XOAUTH2 it is opened with the current access token, and
 * opened again once with a renewed one when the server refuses the login.
 */
function transporters(s: SmtpSettings, maxConnections: number) {
  let t: Transporter | null = null;
  const open = async (renew: boolean): Promise<Transporter> => {
    if (t && !renew) return t;
    t?.close();
    t = null;
    const token = s.oauth ? await (renew ? s.oauth.renew() : s.oauth.current()) : undefined;
    t = createTransport(s, { pool: true, maxConnections }, token);
    return t;
  };
  return {
    async use<T>(fn: (t: Transporter) => Promise<T>): Promise<T> {
      try {
        return await fn(await open(false));
      } catch (err) {
        if (!s.oauth || !isAuthFailure(err)) throw err;
        return fn(await open(true));
      }
    },
    close: () => t?.close(),
  };
}

export function smtpTransport(s: SmtpSettings, opts: { maxConnections?: number } = {}): MailTransport {
  const t = transporters(s, opts.maxConnections ?? 1);
  return {
    async send(mail) {
      let r: SendResult;
      try {
        r = await t.use((tr) => sendRaw(tr, mail));
        if (r.accepted.length === 0) throw Object.assign(new Error(`recipient refused: ${r.response}`), { responseCode: 550, response: r.response });
      } catch (err) {
        // A refused login says nothing about the message: it stays queued (and a refused grant pauses the mailbox).
        const kind = isUncertainSmtpError(err) ? 'uncertain' : isPermanentSmtpError(err) && !isAuthFailure(err) ? 'permanent' : 'temporary';
        throw new SendFailure(kind, smtpErrorText(err));
      }
      return r;
    },
    async verify() {
      await t.use((tr) => tr.verify());
    },
    close() {
      t.close();
    },
  };
}

async function sendRaw(t: Transporter, mail: OutgoingMail): Promise<SendResult> {
  const raw = await buildRaw(mail);
  // The message goes as a stream we watch: once it has been read to its end, nodemailer writes
  // the DATA terminator right behind it, so a failure after that point is uncertain.
  let handedOver = false;
  const source = Readable.from([raw], { objectMode: false });
  source.once('end', () => (handedOver = true));
  try {
    const info = (await t.sendMail({ envelope: { from: mail.from.address, to: [mail.to] }, raw: source })) as {
      response?: string;
      accepted?: (string | { address: string })[];
      rejected?: (string | { address: string })[];
    };
    const addr = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);
    return { response: info.response ?? '', accepted: (info.accepted ?? []).map(addr), rejected: (info.rejected ?? []).map(addr), raw };
  } catch (err) {
    // A reply (even a 4xx/5xx one) is certain; only a failure without one after the hand-over is not.
    const replied = typeof (err as { responseCode?: unknown } | null)?.responseCode === 'number';
    if (handedOver && !replied && err !== null && typeof err === 'object') Object.assign(err, { tallyMessageHandedOver: true });
    throw err;
  }
}

/** A 5xx reply from the server: sending the same mail again will not help. */
export function isPermanentSmtpError(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** A short, secret-free description of an SMTP failure. */
export function smtpErrorText(err: unknown): string {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string } | null;
  const text = e?.response ?? e?.message ?? String(err);
  return `${e?.responseCode ? `${e.responseCode} ` : ''}${e?.code && !e.responseCode ? `${e.code}: ` : ''}${text}`.replace(/\s+/g, ' ').slice(0, 300);
}
