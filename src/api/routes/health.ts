// Operations endpoints, outside /api/: /healthz (the process answers), /readyz (database reachable
// and migrated, job runner started; 503 with the reason otherwise) and /metrics (Prometheus text).
// Public like any health check: they carry counts and ids, never prospect data or secrets; put them
// behind the proxy's allow-list when the server faces the internet (README, "Running a team").
import { readiness, type DatabaseProbe, type JobsStatus } from '../../observability/health.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { errorBody } from '../errors.ts';
import { metrics as metricsRoutes, operations } from '../../contract/operations.ts';
import { implement, type Api } from '../routing.ts';

export interface HealthOptions {
  store: DatabaseProbe;
  /** The job runner's status when this process runs jobs. */
  jobs?: (() => JobsStatus | null) | null;
  metrics?: Metrics | null;
}

export function healthRoutes(app: Api, opts: HealthOptions): void {
  implement(app, operations, {
    healthz: async () => ({ ok: true }),
    readyz: async (_req, reply) => {
      const r = await readiness(opts.store, opts.jobs ?? null);
      if (r.ready) return reply.send({ ready: true, checks: r.checks });
      return reply.code(503).send({ ready: false, ...errorBody('not_ready', r.reason ?? 'not ready'), checks: r.checks });
    },
  });

  const metrics = opts.metrics;
  if (metrics) {
    implement(app, metricsRoutes, {
      metrics: async (_req, reply) => {
        const m = await metrics.text();
        return reply.type(m.contentType).send(m.body);
      },
    });
  }
}
