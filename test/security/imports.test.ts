// One CSV upload must not stop the server (issue 12): the import reads the upload from disk in chunks
// and gives the event loop a turn between them, so other people's requests are answered throughout;
// a finished job keeps counts and the first rows, the rest are in a CSV file; imports take turns.
import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { Client, startServer } from '../api/harness.ts';
import { MAX_WAITING, Turns } from '../../src/api/import-jobs.ts';
import { MAX_RUNNING, REPORT_ROWS } from '../../src/contract/imports.ts';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function signedIn(base: string, setupCode: string): Promise<Client> {
  const c = new Client(base);
  const res = await c.post('/api/auth/signup', { email: 'owner@imports.example', name: 'Olive Owner', password: 'correct horse battery', setupCode });
  expect(res.status).toBe(201);
  return c;
}

/** About `bytes` of CSV: rows of an email and a long note (the note makes a row ~200 bytes). */
function bigCsv(bytes: number): Buffer {
  const note = 'met at the trade fair and wants a demo of the reporting module next quarter '.repeat(2).trim();
  const rows: string[] = ['email,first_name,note'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const row = `p${i}@load.example,Pat,${note} ${i}`;
    rows.push(row);
    size += row.length + 1;
  }
  return Buffer.from(`${rows.join('\n')}\n`);
}

async function until<T>(fn: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await sleep(200);
  }
}

describe('a big upload', () => {
  it('60 MiB imported while the event loop stays responsive (p99 under 100 ms) and /healthz answers throughout', async () => {
    const { base, setupCode } = await startServer({ separateImports: true });
    const c = await signedIn(base, setupCode);
    const csv = bigCsv(60 * MiB);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const healthz: number[] = [];
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const t = performance.now();
        const res = await fetch(`${base}/healthz`);
        expect(res.status).toBe(200);
        await res.arrayBuffer();
        healthz.push(performance.now() - t);
        await sleep(50);
      }
    })();
    const started = await c.req('POST', '/api/imports?file=big.csv', { raw: csv, contentType: 'text/csv' });
    expect(started.status).toBe(202);
    const job = await until(async () => {
      const j = (await c.get(`/api/imports/${started.body.id}`)).body;
      return j.status === 'done' || j.status === 'failed' ? j : undefined;
    }, 600_000);
    polling = false;
    await poller;
    delay.disable();
    expect(job.error).toBeNull();
    expect(job.report.rejected).toEqual([]);
    expect(job.report.inserted).toBeGreaterThan(250_000);
    const p99 = delay.percentile(99) / 1e6;
    expect(p99, `event-loop delay p99 ${p99.toFixed(1)} ms`).toBeLessThan(100);
    expect(healthz.length).toBeGreaterThan(20);
    expect(Math.max(...healthz), 'slowest /healthz (ms)').toBeLessThan(1000);
  }, 900_000);
});

describe('reports and turns', () => {
  it('keeps the first rejected rows in the job, all of them in a CSV to download, and no upload behind', async () => {
    const { base, setupCode, app } = await startServer();
    const c = await signedIn(base, setupCode);
    const rows = Array.from({ length: 250 }, (_, i) => (i % 2 ? `ok${i}@x.example` : `=HYPERLINK("x")${i}`));
    const started = await c.req('POST', '/api/imports?file=mixed.csv', { raw: `email\n${rows.join('\n')}\n`, contentType: 'text/csv' });
    expect(started.status).toBe(202);
    const job = await until(async () => {
      const j = (await c.get(`/api/imports/${started.body.id}`)).body;
      return j.status === 'done' ? j : undefined;
    });
    expect(job.report.rejectedCount).toBe(125);
    expect(job.report.rejected).toHaveLength(REPORT_ROWS);
    expect(job.report.rejected[0]).toMatchObject({ line: 2, field: 'email' });
    const csv = await c.get(job.problemsUrl);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('line,field,reason');
    expect(lines).toHaveLength(126);
    // Another person cannot read it.
    const stranger = new Client(base);
    expect((await stranger.get(job.problemsUrl)).status).toBe(401);
    expect(readdirSync(app.importJobs.dir).filter((f) => f.endsWith('.upload'))).toEqual([]);
    // A refused upload (bad mapping) leaves no file either.
    const refused = await c.req('POST', '/api/imports?map=nonsense', { raw: 'email\na@b.example\n', contentType: 'text/csv' });
    expect(refused.status).toBe(400);
    expect(readdirSync(app.importJobs.dir).filter((f) => f.endsWith('.upload'))).toEqual([]);
  });

  it('refuses a CSV over 64 MiB with 413, whether its size is announced or not, and keeps nothing of it', async () => {
    const { base, setupCode, app } = await startServer();
    const c = await signedIn(base, setupCode);
    const big = Buffer.alloc(64 * MiB + 1, 'a');
    const announced = await c.req('POST', '/api/imports', { raw: big, contentType: 'text/csv' });
    expect(announced.status).toBe(413);
    expect(announced.body.error.code).toBe('too_large');
    const streamed = await fetch(`${base}/api/imports/preview`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': c.csrf ?? '' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('too_large');
    expect(readdirSync(app.importJobs.dir)).toEqual([]);
  });

  it('one import at a time per person, a few at once in all, the others in line with their place shown', async () => {
    const turns = new Turns();
    const a1 = turns.take(1);
    const a2 = turns.take(1);
    const others = Array.from({ length: MAX_RUNNING }, (_, i) => turns.take(10 + i));
    await a1.turn;
    expect(a1.position()).toBeNull();
    expect(a2.position()).toBe(1);
    // Person 10 runs beside person 1; the rest wait for a slot.
    await others[0]!.turn;
    expect(others.slice(1).map((t) => t.position())).toEqual(Array.from({ length: MAX_RUNNING - 1 }, (_, i) => i + 2));
    for (let i = 0; i < MAX_WAITING - 1; i++) turns.take(1);
    expect(() => turns.take(1)).toThrow(/already have 3 imports waiting/);
    a1.end();
    await a2.turn;
    expect(a2.position()).toBeNull();
  });
});
