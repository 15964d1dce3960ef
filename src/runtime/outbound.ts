// Calling a URL a workspace user gave (a webhook): never a way into the server's own network. The
// host is resolved here and every address it resolves to must be public — not loopback, private,
// link-local, carrier-grade NAT, multicast, documentation or reserved, in IPv4, IPv6 or IPv4 inside
// IPv6 — unless the host is on the workspace's allow-list. The connection then goes to the very
// address that was checked (the lookup is ours), so a second DNS answer cannot swap it (rebinding).
// Numeric hosts in decimal, hex or octal ("2130706433", "0x7f.1") reach us already normalised by the
// URL parser, and are checked like any address. Failures say "refused" or "unreachable", nothing more.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import type { OutboundPolicy, WebhookPoster } from '../app/ports/runtime.ts';
import { allowListed, urlPolicyProblem } from '../core/outbound-policy.ts';

const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['2002::', 16], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) blocked.addSubnet(net, bits, 'ipv6');

/** The IPv4 address carried inside an IPv6 one (::ffff:a.b.c.d mapped, 64:ff9b::/96 NAT64), if any. */
function embeddedIpv4(ip: string): string | null {
  const m = /^(?:::ffff:(?:0:)?|64:ff9b::)(.+)$/i.exec(ip);
  if (!m) return null;
  const tail = m[1]!;
  if (isIP(tail) === 4) return tail;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(tail);
  if (!hex) return null;
  const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Whether Tally may connect to this IP address on a user's behalf. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !blocked.check(ip, 'ipv4');
  if (family !== 6) return false;
  const inner = embeddedIpv4(ip);
  if (inner !== null) return isPublicAddress(inner);
  return !blocked.check(ip, 'ipv6');
}

/** A refusal: the manager sees the message; nothing about the server's network is in it. */
export class OutboundRefused extends Error {
  constructor(reason: string) {
    super(`refused: ${reason}`);
    this.name = 'OutboundRefused';
  }
}

const NOT_PUBLIC = 'the host is not a public address (an internal receiver must be on the workspace allow-list, webhooks.allowHosts)';

function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** The addresses to connect to: all of them public, unless the host is allow-listed. */
function checkedAddresses(addresses: LookupAddress[], allowed: boolean): LookupAddress[] {
  if (addresses.length === 0) throw new Error('no address');
  if (!allowed && addresses.some((a) => !isPublicAddress(a.address))) throw new OutboundRefused(NOT_PUBLIC);
  return addresses;
}

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));
}

/** A lookup for the connection that resolves once, checks, and hands the socket the checked address. */
function pinnedLookup(allowed: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(hostname)
      .then((found) => {
        const ok = checkedAddresses(found, allowed);
        const all = (options as { all?: boolean }).all === true;
        if (all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, ok);
        else callback(null, ok[0]!.address, ok[0]!.family);
      })
      .catch((err: Error) => callback(err as NodeJS.ErrnoException, '', 0));
  };
}

/** The checks that need no lookup: the URL policy, and a numeric host's address. */
function preflight(url: URL, policy: OutboundPolicy): string | null {
  const problem = urlPolicyProblem(url, policy.allowHosts);
  if (problem) return problem;
  const host = bareHost(url);
  if (isIP(host) && !allowListed(url, policy.allowHosts) && !isPublicAddress(host)) return NOT_PUBLIC;
  return null;
}

/** Why this URL would be refused now (resolving its host), or null. A host that does not resolve is not refused. */
export async function outboundRefusal(text: string, policy: OutboundPolicy): Promise<string | null> {
  const url = new URL(text);
  const problem = preflight(url, policy);
  if (problem) return `refused: ${problem}`;
  const host = bareHost(url);
  if (isIP(host) || allowListed(url, policy.allowHosts)) return null;
  try {
    checkedAddresses(await resolveAll(host), false);
  } catch (err) {
    if (err instanceof OutboundRefused) return err.message;
  }
  return null;
}

/** Certificate authorities to trust besides the system's (PEM); none: the system's alone. */
export interface OutboundTrust {
  extraCa?: readonly string[];
}

function send(method: 'GET' | 'POST', url: URL, body: string, headers: Record<string, string>, timeoutMs: number, allowed: boolean, trust: OutboundTrust): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  // `ca` replaces the system's list: an extra authority is added to it, never instead of it.
  const ca = trust.extraCa?.length ? [...rootCertificates, ...trust.extraCa] : undefined;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      lookup: pinnedLookup(allowed),
      agent: false, // one connection per delivery: a kept-alive socket must not outlive its check
      timeout: timeoutMs,
      ...(ca ? { ca } : {}),
    }, resolve);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** One call to a user-given URL: policy, resolution, pinned connection; redirects are not followed. */
async function call(method: 'GET' | 'POST', text: string, body: string, headers: Record<string, string>, timeoutMs: number, policy: OutboundPolicy, trust: OutboundTrust = {}): Promise<{ status: number }> {
  const url = new URL(text);
  const refused = preflight(url, policy);
  if (refused) throw new OutboundRefused(refused);
  let res: IncomingMessage;
  try {
    res = await withDeadline(send(method, url, body, headers, timeoutMs, allowListed(url, policy.allowHosts), trust), timeoutMs);
  } catch (err) {
    if (err instanceof OutboundRefused) throw err;
    throw new Error('unreachable', { cause: err });
  }
  res.resume();
  return { status: res.statusCode ?? 0 };
}

/** The WebhookPoster for user-given URLs. */
export function outboundPoster(): WebhookPoster {
  return {
    refusal: outboundRefusal,
    post: (text, body, headers, timeoutMs, policy) => call('POST', text, body, headers, timeoutMs, policy),
  };
}

/** A GET of a user-given URL under the same rules (the unsubscribe link's check): its status. */
export function outboundGet(text: string, timeoutMs: number, policy: OutboundPolicy, trust: OutboundTrust = {}): Promise<{ status: number }> {
  return call('GET', text, '', {}, timeoutMs, policy, trust);
}

/** The whole call (lookup, connect, answer) within the timeout. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
