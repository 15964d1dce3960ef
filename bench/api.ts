// API latency of the queue endpoint (GET /api/queue with a Bearer API token) over a workspace with
// N enrollments, served by the real server in this process and loaded by autocannon from a second
// process; against Fastify's empty route (`{}`) under the same load, same process layout, same run.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildServer } from '../src/api/server.ts';
import { createApiToken } from '../src/app/accounts.ts';
import { openContext } from '../src/app/context.ts';
import { planRep } from '../src/app/plan.ts';
import { todayQueue } from '../src/app/queue.ts';
import { openSqliteStore } from '../src/store/store.ts';
import { enrollmentsDb } from './today.ts';
import { fmt, log, percentile, sample, type BenchResult } from './lib.ts';
import { loadFromSecondProcess, type LoadSummary } from './load/load.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';

/** Reader threads of the run with readers (`tally serve --readers 2`). */
const READERS = 2;
/** Concurrent connections of the loaded runs. */
const CONNECTIONS = 10;
/** The same ten reps the `today` bench asks for (rep0, rep10, … rep90). */
const REP_EMAILS = Array.from({ length: 10 }, (_, i) => `rep${i * 10}@example.com`);

async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

const line = (what: string, s: LoadSummary) =>
  `${what}, ${s.connections} connection${s.connections === 1 ? '' : 's'}: p50 ${fmt(s.p50, 2)} ms, p99 ${fmt(s.p99, 2)} ms, mean ${fmt(s.mean, 2)} ms; ${fmt(s.perSec)} requests/s (${fmt(s.requests)} in ${fmt(s.seconds)} s)`;

type Request = { path: string; headers: Record<string, string> };

/**
 * The real server over the file with `readers` reader threads (0: every read on the one connection),
 * loaded at CONNECTIONS connections, and unloaded at one when `single`.
 */
async function serveQueue(
  path: string,
  readers: number,
  o: { n: number; now: number; seconds: number; warmupSeconds: number; requests: Request[] },
  single = false,
): Promise<{ loaded: LoadSummary; single?: LoadSummary }> {
  const store = await openSqliteStore(path, { readers });
  const app = await buildServer({ runtime: runtimeFor(store, { now: () => o.now }), database: store, webDir: false });
  try {
    const url = await listen(app);
    // One request by hand: a wrong token or an empty queue must fail loudly, not measure an error page.
    const probe = await fetch(url + o.requests[0]!.path, { headers: o.requests[0]!.headers });
    const body = (await probe.json()) as { total?: number; items?: unknown[] };
    if (probe.status !== 200 || !body.items) throw new Error(`GET /api/queue answered ${probe.status}: ${JSON.stringify(body).slice(0, 300)}`);
    log(`queue endpoint, ${readers} reader threads: ${CONNECTIONS} connections for ${o.seconds} s (${fmt(body.total ?? 0)} due for rep0, ${body.items.length} returned)`);
    const loaded = await loadFromSecondProcess({ url, connections: CONNECTIONS, seconds: o.seconds, warmupSeconds: o.warmupSeconds, requests: o.requests });
    if (!single) return { loaded };
    log(`queue endpoint, ${readers} reader threads: 1 connection for ${o.seconds} s (the service time with nothing queued ahead)`);
    return { loaded, single: await loadFromSecondProcess({ url, connections: 1, seconds: o.seconds, warmupSeconds: 1, requests: o.requests }) };
  } finally {
    await app.close();
    await store.close();
  }
}

export async function benchApi(n = 1_000_000, seconds = 15): Promise<BenchResult> {
  const now = Date.UTC(2026, 10, 23, 14, 0);
  const path = await enrollmentsDb(n, now);
  const warmupSeconds = Math.min(3, seconds);

  // Baseline first, before the big file is in the page cache: it cannot profit from the order.
  const empty = Fastify({ logger: false });
  empty.get('/', async () => ({}));
  log(`baseline: Fastify empty route, ${CONNECTIONS} connections for ${seconds} s`);
  const base = await loadFromSecondProcess({ url: await listen(empty), connections: CONNECTIONS, seconds, warmupSeconds, requests: [{ path: '/' }] });
  await empty.close();

  const store = await openSqliteStore(path);
  const tokenIds: number[] = [];
  try {
    const requests: Request[] = [];
    const ctxs = await Promise.all(REP_EMAILS.map((as) => openContext(runtimeFor(store), { as, now: () => now })));
    for (const ctx of ctxs) {
      const t = await createApiToken(ctx, 'api benchmark');
      tokenIds.push(t.id);
      requests.push({ path: '/api/queue', headers: { authorization: `Bearer ${t.token}` } });
    }
    // Where a request's time goes: the two service calls the route makes, called directly, one at a time.
    log('service calls behind the route, in process');
    for (const ctx of ctxs) await Promise.all([todayQueue(ctx), planRep(ctx, { days: 1 })]);
    const queueMs = percentile(await sample(100, (i) => todayQueue(ctxs[i % ctxs.length]!)), 50);
    const planMs = percentile(await sample(100, (i) => planRep(ctxs[i % ctxs.length]!, { days: 1 })), 50);
    const load = { n, now, seconds, warmupSeconds, requests };
    // Every read on the one connection (as before reader threads), then on READERS reader threads.
    const { loaded: oneConnection } = await serveQueue(path, 0, load);
    const served = await serveQueue(path, READERS, load, true);
    const { loaded } = served;
    const single = served.single!;
    const ratio = (s: LoadSummary) => s.perSec / base.perSec;
    return {
      name: 'api',
      lines: [
        line(`GET /api/queue (Bearer API token, 10 reps in turn) over ${fmt(n)} enrollments, SQLite, ${READERS} reader threads`, loaded),
        line('baseline, Fastify empty route returning {}', base),
        `ratio queue/empty route: p50 ${fmt(loaded.p50 / base.p50, 0)}×, p99 ${fmt(loaded.p99 / base.p99, 0)}×, throughput ${fmt(ratio(loaded) * 100, 2)}%`,
        line('same-run baseline, GET /api/queue with every read on the one connection (no reader threads)', oneConnection),
        `reader threads vs one connection: throughput ratio to the empty route ${fmt(ratio(loaded) * 100, 2)}% vs ${fmt(ratio(oneConnection) * 100, 2)}% (${fmt(loaded.perSec / oneConnection.perSec, 2)}×), p50 ${fmt(loaded.p50 / oneConnection.p50, 2)}×`,
        line(`GET /api/queue, unloaded, ${READERS} reader threads`, single),
        `of which, called in process: todayQueue p50 ${fmt(queueMs, 2)} ms, planRep (today's blocks) p50 ${fmt(planMs, 2)} ms; the rest is auth, context, validation and JSON`,
      ],
      results: {
        enrollments: n,
        connections: CONNECTIONS,
        readers: READERS,
        p50Ms: loaded.p50,
        p99Ms: loaded.p99,
        meanMs: loaded.mean,
        perSec: loaded.perSec,
        baselineP50Ms: base.p50,
        baselineP99Ms: base.p99,
        baselinePerSec: base.perSec,
        oneConnectionPerSec: oneConnection.perSec,
        oneConnectionP50Ms: oneConnection.p50,
        p50Ratio: loaded.p50 / base.p50,
        p99Ratio: loaded.p99 / base.p99,
        throughputRatio: ratio(loaded),
        readersGain: loaded.perSec / oneConnection.perSec,
        singleP50Ms: single.p50,
        singlePerSec: single.perSec,
        todayQueueP50Ms: queueMs,
        planRepP50Ms: planMs,
      },
    };
  } finally {
    // The fixture is shared with the other benches: leave it as it was.
    if (tokenIds.length) await store.db.deleteFrom('api_tokens').where('id', 'in', tokenIds).execute();
    await store.close();
  }
}
