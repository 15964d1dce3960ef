// The load generator for the API benchmark, run in its own process (`node --import tsx`) so that
// the client's work never competes with the server's event loop for the same thread.
// Input: one JSON argument (LoadSpec). Output: one JSON line on stdout (LoadResult).
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  /** Measured seconds. */
  seconds: number;
  /** Seconds of load first, not measured (JIT, page cache, prepared statements). */
  warmupSeconds: number;
  /** Cycled through by every connection. */
  requests: { path: string; headers?: Record<string, string> }[];
}

export interface LoadResult {
  /** Every 2xx response time in ms (hrtime resolution), sorted. */
  latencies: number[];
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

function run(spec: LoadSpec, seconds: number, onLatency?: (ms: number) => void): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: seconds,
        requests: spec.requests.map((r) => ({ method: 'GET', path: r.path, headers: r.headers })),
      },
      (err: unknown, result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result)),
    );
    // autocannon's own histogram rounds to whole milliseconds, too coarse for the empty route.
    if (onLatency) instance.on('response', (_client, status, _bytes, ms) => void (status >= 200 && status < 300 && onLatency(ms)));
  });
}

const spec = JSON.parse(process.argv[2] ?? 'null') as LoadSpec | null;
if (!spec?.url || !spec.requests?.length) {
  process.stderr.write('usage: autocannon-driver.ts \'{"url":…,"connections":…,"seconds":…,"warmupSeconds":…,"requests":[{"path":…}]}\'\n');
  process.exit(2);
}
if (spec.warmupSeconds > 0) await run(spec, spec.warmupSeconds);
const latencies: number[] = [];
const result = await run(spec, spec.seconds, (ms) => latencies.push(ms));
const out: LoadResult = {
  latencies: latencies.sort((a, b) => a - b),
  seconds: result.duration,
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
