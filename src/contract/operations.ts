// Endpoints for operators and their tools rather than the app, none of them in the OpenAPI
// document: liveness and readiness, Prometheus metrics (outside /api/), the document itself.
import { route } from './route.ts';

export const operations = {
  healthz: route('GET', '/healthz', 'public', { hide: true }),
  readyz: route('GET', '/readyz', 'public', { hide: true }),
};

/** Served by processes that keep a metrics registry (tally serve, tally worker). */
export const metrics = {
  metrics: route('GET', '/metrics', 'public', { hide: true }),
};

export const docs = {
  openapi: route('GET', '/api/openapi.json', 'public', { hide: true }),
};
