// No request answers 500 for bad input (issue 12): generated garbage — path parameters, query values
// and JSON bodies shaped after the OpenAPI document, and bodies of no shape at all — is sent to every
// route of the document as a signed-in manager; every answer is below 500, and a refusal has the
// error shape ({ error: { code, message, field } }).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, PASSWORD, type World } from '../api/harness.ts';

interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header' | 'cookie' }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

const odd = fc.constantFrom('', '0', '-1', '1.5', '1e308', 'NaN', '9'.repeat(30), '%00', '../../etc/passwd', '\u0000\u001b[2J', 'null', 'true', '[]', '{}', '💥💥', 'a'.repeat(5000), ' ', 'x@y', '2026-13-45');
const garbageText = fc.oneof(fc.string({ maxLength: 40 }), odd);
const garbageValue = fc.oneof(fc.jsonValue({ maxDepth: 2 }), garbageText, fc.constantFrom(1e308, -1, 0, 2 ** 53, -0.5, true, null), fc.array(garbageText, { maxLength: 3 }));

// Session-ending and sign-in routes last: their garbage may sign the caller out (they sign in again) or
// lock the test's address out of signing in.
const LAST = ['/api/auth/logout', '/api/auth/login', '/api/auth/signup'];

describe('garbage at every route of the OpenAPI document', () => {
  let w: World;
  beforeAll(async () => {
    w = await demoWorld();
  }, 120_000);

  it('answers 4xx with the error shape, never 500', async () => {
    const doc = (await w.manager.get('/api/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const ops = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))
      .sort((a, b) => Number(LAST.includes(a.path)) - Number(LAST.includes(b.path)));
    expect(ops.length).toBeGreaterThan(50);
    const manager = w.manager;
    for (const { path, method, op } of ops) {
      const params = op.parameters ?? [];
      const props = Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {});
      const request = fc.record({
        path: fc.tuple(...params.filter((p) => p.in === 'path').map(() => garbageText), fc.constant('')),
        query: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...params.filter((p) => p.in === 'query').map((p) => p.name), 'x'), fc.string({ maxLength: 5 })), garbageText), { maxLength: 4 }),
        body: fc.oneof(fc.dictionary(fc.constantFrom(...props, 'extra'), garbageValue, { maxKeys: props.length + 1 }), fc.jsonValue({ maxDepth: 2 })),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          let i = 0;
          const url = path.replace(/\{[^}]+\}/g, () => encodeURIComponent(r.path[i++] ?? '') || '%20');
          const query = new URLSearchParams(r.query).toString();
          const target = `${url}${query ? `?${query}` : ''}`;
          const res = method === 'GET' ? await manager.get(target) : await manager.req(method, target, { body: r.body });
          const where = `${method} ${target} ${JSON.stringify(r.body).slice(0, 200)} → ${res.status} ${res.text.slice(0, 200)}`;
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.body?.error, where).toMatchObject({ code: expect.any(String), message: expect.any(String) });
          }
          if (res.status === 401) {
            // The garbage signed the manager out (logout): sign in again for the next request.
            await manager.post('/api/auth/login', { email: 'you@demo.tally', password: PASSWORD });
          }
        }),
        { numRuns: 12, seed: 12 },
      );
    }
  }, 600_000);
});
