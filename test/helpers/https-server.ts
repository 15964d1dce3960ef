// An HTTPS server on 127.0.0.1 with a certificate made for it on the spot (openssl, self-signed,
// valid for the address 127.0.0.1): nothing trusts it until a test hands its PEM to what calls it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './tmp.ts';

export interface LocalHttps {
  port: number;
  origin: string;
  /** The certificate's PEM file: its own authority. */
  caFile: string;
  /** Paths of the requests served, in order. */
  paths: string[];
  stop(): Promise<void>;
}

function selfSigned(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  // Valid from now for a year: TLS checks it against the real clock, whatever TALLY_CLOCK_OFFSET says.
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '365',
  ], { stdio: 'ignore' });
  return { key, cert };
}

export async function startHttps(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<LocalHttps> {
  const { key, cert } = selfSigned(tempDir('tally-https-'));
  const paths: string[] = [];
  const server: Server = createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    paths.push(req.url ?? '');
    answer(req, res);
  });
  // A client that does not trust the certificate hangs up mid-handshake: the server reports it as an error.
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    origin: `https://127.0.0.1:${port}`,
    caFile: cert,
    paths,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
