// The load script's HTTP side: `clients` loops, each a rep at a time (a random one) doing what a rep
// does most, spread over the server processes: opening the queue, searching the board, logging a
// call. Every reply is timed per endpoint; a reply that is not 2xx is counted, and its first few
// bodies kept, so a run that measured error pages says so.
import { seeded } from '../../src/app/demo.ts';
import type { SeededRep } from './seed.ts';

export interface Endpoint {
  name: string;
  /** Share of the requests (weights, summed over the mix). */
  weight: number;
  request(rep: SeededRep, rand: () => number): { method: 'GET' | 'POST'; path: string; body?: unknown };
}

const SEARCHES = ['p1', 'co w', 'p2', 'example', 'p'];

export const MIX: Endpoint[] = [
  { name: 'GET /api/queue', weight: 5, request: () => ({ method: 'GET', path: '/api/queue' }) },
  { name: 'GET /api/prospects?search=', weight: 3, request: (_rep, rand) => ({ method: 'GET', path: `/api/prospects?search=${encodeURIComponent(SEARCHES[Math.floor(rand() * SEARCHES.length)]!)}&limit=50` }) },
  {
    name: 'POST /api/prospects/:id/touches',
    weight: 2,
    request: (rep, rand) => ({
      method: 'POST',
      path: `/api/prospects/${rep.callProspects[Math.floor(rand() * rep.callProspects.length)]}/touches`,
      body: { channel: 'call', outcome: 'no_answer', note: 'load script' },
    }),
  },
];

export interface EndpointFigures {
  name: string;
  /** Reply times in ms of the 2xx replies, sorted. */
  latencies: number[];
  failed: number;
  /** The first few failures, as "status: body". */
  failures: string[];
}

function pick(rand: () => number): Endpoint {
  const total = MIX.reduce((s, e) => s + e.weight, 0);
  let x = rand() * total;
  for (const e of MIX) if ((x -= e.weight) < 0) return e;
  return MIX[MIX.length - 1]!;
}

/** Runs the mix until `deadline` (performance.now()); each loop waits for its reply before the next request. */
export async function runMix(servers: string[], reps: SeededRep[], clients: number, deadline: number): Promise<EndpointFigures[]> {
  const figures = new Map(MIX.map((e) => [e.name, { name: e.name, latencies: [] as number[], failed: 0, failures: [] as string[] }]));
  const loop = async (c: number) => {
    const rand = seeded(1000 + c);
    for (let i = 0; performance.now() < deadline; i++) {
      const rep = reps[Math.floor(rand() * reps.length)]!;
      const endpoint = pick(rand);
      const { method, path, body } = endpoint.request(rep, rand);
      const f = figures.get(endpoint.name)!;
      const t = performance.now();
      try {
        const res = await fetch(servers[(c + i) % servers.length] + path, {
          method,
          headers: { authorization: `Bearer ${rep.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.ok) f.latencies.push(performance.now() - t);
        else {
          f.failed++;
          if (f.failures.length < 3) f.failures.push(`${res.status}: ${text.slice(0, 200)}`);
        }
      } catch (err) {
        f.failed++;
        if (f.failures.length < 3) f.failures.push(err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => loop(c)));
  for (const f of figures.values()) f.latencies.sort((a, b) => a - b);
  return [...figures.values()];
}
