// The contract and the server agree: every route of the contract is served, the server has no API
// route outside it, access rules come from it, the OpenAPI document lists every route it does not
// hide, and the client's types follow the schemas (checked by the type checker).
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ROUTES, type PathOf, type RequestFor, type ResponseFor, type RouteKey, type UploadPath } from '../../src/contract/index.ts';
import type { Channel, Outcome } from '../../src/core/types.ts';
import { channelSchema } from '../../src/core/channels/schema.ts';
import { buildServer } from '../../src/api/server.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { openStore, type Store } from '../../src/store/store.ts';
import { runtimeFor } from '../../src/runtime/runtime.ts';
import { tempDb } from '../helpers/tmp.ts';
import { testNow } from '../helpers/clock.ts';

let store: Store;
let app: FastifyInstance;

beforeAll(async () => {
  store = await openStore(tempDb().db);
  // With a metrics registry, as `tally serve` runs: /metrics is served too.
  app = await buildServer({ runtime: runtimeFor(store, { now: testNow }), database: store, webDir: false, health: { metrics: new Metrics(store, testNow) } });
});

afterAll(async () => {
  await app.close();
  await store.close();
});

const key = (r: { method: string; path?: string; url?: string }) => `${r.method} ${r.path ?? r.url}`;

describe('the route table', () => {
  it('names each route once', () => {
    const keys = ROUTES.map(key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThanOrEqual(45);
  });

  it('is what the server serves: every contract route is there, and no API route is outside the contract', () => {
    for (const r of ROUTES) expect(app.hasRoute({ method: r.method, url: r.path }), key(r)).toBe(true);
    const contract = new Map(ROUTES.map((r) => [key(r), r]));
    for (const r of app.tallyRoutes) {
      expect(contract.has(key(r)), `${key(r)} is served but not in src/contract`).toBe(true);
      expect(r.auth, key(r)).toBe(contract.get(key(r))!.access);
    }
    const served = new Set(app.tallyRoutes.map(key));
    expect(ROUTES.filter((r) => r.path.startsWith('/api/') && !served.has(key(r))).map(key)).toEqual([]);
  });

  it('documents every route it does not hide in /api/openapi.json, with its summary', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, { summary?: string }>> };
    for (const r of ROUTES.filter((x) => !x.schema.hide)) {
      const op = doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect(op?.summary, key(r)).toBe(r.schema.summary);
    }
  });
});

/**
 * Answer fields that name one of the core's words: each must be an enum in the document, or, for a
 * channel, the channel registry's id (checked against the registry, which grows at start-up).
 */
const WORD_FIELDS = new Set(['channel', 'status', 'outcome', 'kind', 'role', 'email_status', 'unit']);
const CHANNEL_ID = channelSchema().description;

interface JsonSchema { type?: string | string[]; enum?: unknown[]; description?: string; properties?: Record<string, JsonSchema>; items?: JsonSchema; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; allOf?: JsonSchema[]; additionalProperties?: JsonSchema | boolean }

/** Paths (`items[].stage.status`) of word fields answered as free text. */
function freeTextWords(schema: JsonSchema | undefined, at: string): string[] {
  if (!schema || typeof schema !== 'object') return [];
  const found: string[] = [];
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const types = [prop.type ?? []].flat();
    const registered = name === 'channel' && prop.description === CHANNEL_ID;
    if (WORD_FIELDS.has(name) && types.includes('string') && !prop.enum && !registered) found.push(`${at}.${name}`);
    found.push(...freeTextWords(prop, `${at}.${name}`));
  }
  found.push(...freeTextWords(schema.items, `${at}[]`));
  for (const alt of [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])]) found.push(...freeTextWords(alt, at));
  if (typeof schema.additionalProperties === 'object') found.push(...freeTextWords(schema.additionalProperties, `${at}{}`));
  return found;
}

describe('the answers', () => {
  it('name channels, statuses, outcomes, kinds and roles by the core\'s lists, never as free text', async () => {
    type Op = { responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }> };
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, Op>> };
    const loose: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        for (const [status, answer] of Object.entries(op.responses ?? {})) {
          loose.push(...freeTextWords(answer.content?.['application/json']?.schema, `${method.toUpperCase()} ${path} ${status}`));
        }
      }
    }
    expect(loose).toEqual([]);
  });
});

describe('the types a client gets from it', () => {
  it('follow the schemas: params, query, body and answer of a route', () => {
    expectTypeOf<'/api/queue'>().toExtend<PathOf<'GET'>>();
    expectTypeOf<'/api/prospects/:id/touches'>().toExtend<PathOf<'POST'>>();
    expectTypeOf<'/api/imports'>().not.toExtend<PathOf<'POST'>>();
    expectTypeOf<UploadPath>().toEqualTypeOf<'/api/imports' | '/api/imports/preview'>();
    expectTypeOf<'GET /api/nowhere'>().not.toExtend<RouteKey>();

    type LogTouch = RequestFor<'POST /api/prospects/:id/touches'>;
    expectTypeOf<LogTouch['params']>().toEqualTypeOf<{ id: number }>();
    expectTypeOf<LogTouch['body']['channel']>().toEqualTypeOf<Channel>();
    expectTypeOf<LogTouch['body']['outcome']>().toEqualTypeOf<Outcome>();
    expectTypeOf<ResponseFor<'POST /api/prospects/:id/touches'>['tally']>().toEqualTypeOf<number>();

    // A query as the caller writes it: parsed types, optional where the server has a default.
    type Queue = NonNullable<RequestFor<'GET /api/queue'>['query']>;
    expectTypeOf<Queue>().toEqualTypeOf<{ days?: number; limit?: number; team?: boolean }>();
    expectTypeOf<ResponseFor<'GET /api/queue'>['items'][number]['channel']>().toEqualTypeOf<Channel>();

    // No content is null; a body with a default may be left out, one without may not.
    expectTypeOf<ResponseFor<'DELETE /api/tokens/:id'>>().toEqualTypeOf<null>();
    expectTypeOf<RequestFor<'POST /api/prospects/:id/pause'>>().toEqualTypeOf<{ params: { id: number }; body?: { reason?: string } | undefined }>();
    expectTypeOf<RequestFor<'POST /api/tokens'>>().toEqualTypeOf<{ body: { name: string; expiresInDays?: number | undefined } }>();
  });
});
