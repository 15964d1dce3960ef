// A tiny authoritative DNS server on 127.0.0.1 (UDP) for the tests: it answers TXT questions from a
// table (SPF, DKIM, DMARC records) and NXDOMAIN for anything else. Point a node:dns Resolver at it
// with setServers([`127.0.0.1:${port}`]).
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

export interface DnsStub {
  port: number;
  server: string;
  /** TXT records by name (lower case, no trailing dot); change it between questions. */
  txt: Map<string, string[]>;
  stop(): Promise<void>;
}

const TXT = 16;

/** The question's name and type, and where the question ends. */
function question(msg: Buffer): { name: string; type: number; end: number } {
  const labels: string[] = [];
  let i = 12;
  while (msg[i]! !== 0) {
    const len = msg[i]!;
    labels.push(msg.subarray(i + 1, i + 1 + len).toString('latin1'));
    i += len + 1;
  }
  return { name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(i + 1), end: i + 5 };
}

/** A TXT record's data: the text cut into strings of at most 255 bytes (long DKIM keys span several). */
function txtData(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

export async function startDnsStub(records: Record<string, string[]> = {}): Promise<DnsStub> {
  const txt = new Map(Object.entries(records).map(([k, v]) => [k.toLowerCase(), v]));
  const socket = createSocket('udp4');
  socket.on('message', (msg, from) => {
    const q = question(msg);
    const found = q.type === TXT ? (txt.get(q.name) ?? []) : [];
    const known = txt.has(q.name);
    const header = Buffer.alloc(12);
    msg.copy(header, 0, 0, 2);
    // QR, AA, RD copied; RCODE 3 (NXDOMAIN) for a name the table does not have.
    header.writeUInt16BE(0x8400 | (msg.readUInt16BE(2) & 0x0100) | (known ? 0 : 3), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(found.length, 6);
    const answers = found.map((text) => {
      const data = txtData(text);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(TXT, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(data.length, 10);
      return Buffer.concat([rr, data]);
    });
    socket.send(Buffer.concat([header, msg.subarray(12, q.end), ...answers]), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const port = (socket.address() as AddressInfo).port;
  return { port, server: `127.0.0.1:${port}`, txt, stop: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}
