// The deliverability check's probes (SenderProbes in src/app/ports/runtime.ts): TXT lookups through a node:dns
// Resolver (the system's servers, or the ones the composition root names), an SMTP greeting read
// for TLS or STARTTLS, and a GET of the unsubscribe URL under the outbound (SSRF) rules. Each has a
// short deadline: a check that hangs tells a rep nothing.
import { Resolver } from 'node:dns/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { SenderProbes } from '../app/ports/runtime.ts';
import type { TlsMode, TxtLookup } from '../core/mailbox-check.ts';
import { outboundGet, type OutboundTrust } from './outbound.ts';

const PROBE_MS = 5_000;
/** Answers that mean "no such record", not "the lookup failed". */
const ABSENT = new Set(['ENOTFOUND', 'ENODATA']);

function errorText(err: unknown): string {
  const e = err as { code?: string; message?: string; cause?: { message?: string } };
  if (e.message === 'unreachable' && e.cause?.message) return `unreachable (${e.cause.message})`;
  return e.message ?? e.code ?? String(err);
}

/** Lines from the server until a final reply line ("250 …", not "250-…"), or the deadline. */
function readReply(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const lines = text.split('\r\n').filter((l) => l !== '');
      if (text.endsWith('\r\n') && lines.length > 0 && /^\d{3} /.test(lines[lines.length - 1]!)) {
        socket.off('data', onData);
        resolve(text);
      }
    };
    socket.on('data', onData);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('the server closed the connection')));
  });
}

function withTimeout<T>(socket: Socket, work: Promise<T>): Promise<T> {
  socket.setTimeout(PROBE_MS, () => socket.destroy(new Error(`no answer within ${PROBE_MS / 1000} s`)));
  return work.finally(() => socket.destroy());
}

async function offeredTls(host: string, port: number, mode: TlsMode): Promise<{ offered: TlsMode }> {
  if (mode === 'tls') {
    const socket = tlsConnect({ host, port, servername: host });
    return withTimeout(socket, new Promise((resolve, reject) => {
      socket.once('secureConnect', () => resolve({ offered: 'tls' }));
      socket.once('error', reject);
    }));
  }
  const socket = netConnect({ host, port });
  return withTimeout(socket, (async () => {
    const greeting = await readReply(socket);
    if (!greeting.startsWith('220')) throw new Error(`the server greeted with "${greeting.trim()}"`);
    socket.write('EHLO tally.check\r\n');
    const ehlo = await readReply(socket);
    socket.write('QUIT\r\n');
    return { offered: /^250[- ]STARTTLS\b/im.test(ehlo) ? 'starttls' : 'none' };
  })());
}

export interface ProbeOptions {
  /** "host:port" entries for the Resolver; empty: the system's. */
  dnsServers?: readonly string[];
  /** Authorities the unsubscribe link's certificate may chain to besides the system's (a private CA; the tests' own). The address rules stay as they are. */
  trust?: OutboundTrust;
}

export function senderProbes({ dnsServers = [], trust = {} }: ProbeOptions = {}): SenderProbes {
  const resolver = new Resolver({ timeout: 2_000, tries: 2 });
  if (dnsServers.length > 0) resolver.setServers([...dnsServers]);
  return {
    async txt(name): Promise<TxtLookup> {
      try {
        return { records: (await resolver.resolveTxt(name)).map((parts) => parts.join('')) };
      } catch (err) {
        if (ABSENT.has((err as { code?: string }).code ?? '')) return { records: [] };
        return { error: errorText(err) };
      }
    },
    async smtpTls(host, port, mode) {
      try {
        return await offeredTls(host, port, mode);
      } catch (err) {
        return { error: errorText(err) };
      }
    },
    async httpsAnswer(url, policy) {
      try {
        return await outboundGet(url, PROBE_MS, policy, trust);
      } catch (err) {
        return { error: errorText(err) };
      }
    },
  };
}
