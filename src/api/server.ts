// The HTTP API (and the web app's files): Fastify with zod schemas, from which the OpenAPI
// document is generated. Routes are thin: parse, build the caller's Context, call a service.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Runtime } from '../app/ports/runtime.ts';
import type { DatabaseProbe } from '../observability/health.ts';
import { installAuth } from './auth.ts';
import { installErrorHandlers } from './errors.ts';
import { ImportJobs, type ImportStore } from './import-jobs.ts';
import { implement, type Api } from './routing.ts';
import type { Access } from '../contract/route.ts';
import { docs } from '../contract/operations.ts';
import { authRoutes } from './routes/auth.ts';
import { prospectRoutes } from './routes/prospects.ts';
import { recordRoutes } from './routes/records.ts';
import { workRoutes } from './routes/work.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { cadenceRoutes } from './routes/cadences.ts';
import { playbookRoutes } from './routes/playbook.ts';
import { importRoutes } from './routes/imports.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { teamRoutes } from './routes/team.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { mailboxRoutes } from './routes/mailbox.ts';
import { settingsRoutes } from './routes/settings.ts';
import { healthRoutes, type HealthOptions } from './routes/health.ts';

export interface ServerOptions {
  /** The ports the services run on (store, mail drivers, secrets, clock…). */
  runtime: Runtime;
  /** What /readyz asks of the database. */
  database: DatabaseProbe;
  /** Largest JSON body accepted (bytes); CSV uploads have their own, larger limit. */
  bodyLimit?: number;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto (the Secure cookie flag follows it). */
  trustProxy?: boolean;
  /** The built web app (default: web/dist when it exists); false serves the API only. */
  webDir?: string | false;
  /** true: Fastify's own pino logger; a pino logger: that one (structured logs of `tally serve`). */
  logger?: boolean | FastifyBaseLogger;
  /** Where people reach this server (links in mail, e.g. a password reset): never taken from a request's Host header. */
  publicUrl?: () => string;
  /** A store of its own for each CSV import (SQLite: a second connection, so the server reads on while an import writes). */
  importStore?: () => Promise<ImportStore>;
  /** /healthz, /readyz and /metrics: the job runner's status and the metrics registry, when there are any. */
  health?: Omit<HealthOptions, 'store'>;
}

export interface RouteInfo {
  method: string;
  url: string;
  auth: Access | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every API route and who may call it (the tests walk this table). */
    tallyRoutes: RouteInfo[];
    importJobs: ImportJobs;
  }
}

/**
 * The web app loads its own script and styles and talks to its own API, nothing else: an injected
 * script or a stolen-data beacon has nowhere to come from or go to. React's style props go through
 * the CSSOM, which this allows without 'unsafe-inline'.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'", "connect-src 'self'",
  "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

export const DEFAULT_WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(typeof opts.logger === 'object' ? { loggerInstance: opts.logger } : { logger: opts.logger ?? false }),
    bodyLimit: opts.bodyLimit ?? 1024 * 1024,
    trustProxy: opts.trustProxy ?? false,
    // Our handler answers everything, so errors keep one shape.
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>() as Api;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const routes: RouteInfo[] = [];
  app.decorate('tallyRoutes', routes);
  app.addHook('onRoute', (r) => {
    // The generated docs are public; everything else under /api/ states its own access.
    if (r.url.startsWith('/api/docs')) r.config = { ...r.config, auth: 'public' };
    const methods = [r.method].flat().filter((m) => m !== 'HEAD');
    if (r.url.startsWith('/api/') && !r.url.startsWith('/api/docs')) for (const m of methods) routes.push({ method: m, url: r.url, auth: r.config?.auth });
  });

  const webDir = opts.webDir === undefined ? (existsSync(DEFAULT_WEB_DIR) ? DEFAULT_WEB_DIR : false) : opts.webDir;
  installErrorHandlers(app, webDir ? (reply) => reply.type('text/html').sendFile('index.html') : undefined);
  await app.register(fastifyCookie);
  installAuth(app, opts.runtime);
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    // The docs page (Swagger UI) sets its own policy; so does the unsubscribe page.
    if (!req.url.startsWith('/api/docs') && !reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    // Only when the request came over TLS (directly or through a trusted proxy): a browser then keeps to https.
    if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Tally API', version: '1', description: 'The follow-up engine for salespeople. Sign in (session cookie + X-CSRF-Token header) or send "Authorization: Bearer <API token>".' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tally_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  implement(app, docs, { openapi: async () => app.swagger() });

  const jobs = new ImportJobs(app.log, opts.importStore);
  app.decorate('importJobs', jobs);
  app.addHook('onClose', async () => jobs.close());
  const publicUrl = opts.publicUrl ?? (() => 'http://127.0.0.1:3000');
  authRoutes(app, opts.runtime, publicUrl);
  prospectRoutes(app);
  recordRoutes(app);
  workRoutes(app);
  inboxRoutes(app);
  cadenceRoutes(app);
  playbookRoutes(app);
  importRoutes(app, jobs);
  tokenRoutes(app);
  teamRoutes(app);
  unsubscribeRoutes(app, opts.runtime);
  webhookRoutes(app);
  mailboxRoutes(app, publicUrl);
  settingsRoutes(app, opts.runtime);
  healthRoutes(app, { store: opts.database, ...opts.health });

  if (webDir) {
    await app.register(fastifyStatic, { root: webDir, prefix: '/', wildcard: false, index: 'index.html' });
  }
  await app.ready();
  return app;
}

export function webDirFrom(path: string | undefined): string | false | undefined {
  if (path === undefined) return undefined;
  return existsSync(join(path, 'index.html')) ? resolve(path) : false;
}
