// A small HTTP listener for processes without the API server (`tally worker --metrics-port`):
// /metrics, /healthz and /readyz, the same answers `tally serve` gives on its own port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readiness, type DatabaseProbe, type JobsStatus } from './health.ts';
import type { Metrics } from './metrics.ts';

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

export async function startOpsServer(opts: { port: number; host: string; store: DatabaseProbe; metrics: Metrics; jobs: () => JobsStatus | null }): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    const answer = async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return json(405, { error: { code: 'method_not_allowed', message: 'use GET', field: null } });
      if (path === '/healthz') return json(200, { ok: true });
      if (path === '/readyz') {
        const r = await readiness(opts.store, opts.jobs);
        return r.ready ? json(200, { ready: true, checks: r.checks }) : json(503, { ready: false, error: { code: 'not_ready', message: r.reason, field: null }, checks: r.checks });
      }
      if (path === '/metrics') {
        const m = await opts.metrics.text();
        res.writeHead(200, { 'content-type': m.contentType });
        return res.end(m.body);
      }
      return json(404, { error: { code: 'not_found', message: 'only /metrics, /healthz and /readyz here', field: null } });
    };
    answer().catch((err: unknown) => json(500, { error: { code: 'internal', message: err instanceof Error ? err.message : String(err), field: null } }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
