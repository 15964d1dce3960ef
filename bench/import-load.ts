// What other people see of the server while a big CSV goes in. The server runs in a process of its
// own (bench/load/import-server.ts); this process uploads and, meanwhile, asks /healthz every 20 ms
// and an authenticated route (/api/auth/me, a database read) every 200 ms, and reads the server's RSS
// from /proc every 100 ms. Runs: a 30 MiB preview, a 63 MiB import, a 63 MiB dry run of a file whose
// every email is bad (then the RSS once the job is over: finished jobs must stay small), and a
// 1,000,000-row import. Baseline: /healthz of the same server, idle, in the same run.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { prospectsCsv } from './fixtures.ts';
import { dataDir, fmt, log, percentile, type BenchResult } from './lib.ts';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A CSV of `n` rows of email and name only (so a million rows fit under the 64 MiB upload limit). */
async function slimCsv(n: number, bad: boolean): Promise<string> {
  const path = join(dataDir(), `slim-${bad ? 'bad-' : ''}${n}.csv`);
  if (existsSync(path)) return path;
  const out = createWriteStream(`${path}.tmp`);
  out.write('Email,First Name,Last Name\n');
  for (let i = 0; i < n; i += 10_000) {
    let chunk = '';
    for (let k = i; k < Math.min(n, i + 10_000); k++) chunk += `${bad ? `person-${k}.example.com` : `p${k}@example.com`},Pat${k % 97},Lee${k % 89}\n`;
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  renameSync(`${path}.tmp`, path);
  return path;
}

interface Server { url: string; token: string; pid: number; exit: string | null; stop(): void }

async function startServer(db: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'load', 'import-server.ts'), db], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the bench server exited (${code})`)));
  });
  const info = JSON.parse(first) as { url: string; token: string; pid: number };
  const server: Server = { ...info, exit: null, stop: () => child.kill('SIGTERM') };
  child.once('exit', (code, signal) => (server.exit = signal ?? `exit code ${code}`));
  return server;
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN; // the server is gone
  }
}

interface Watch { healthz: number[]; authed: number[]; failed: number; rssPeak: number; stop(): Promise<void> }

/** Samples latency and RSS until stopped. */
function watch(s: Server): Watch {
  const w: Watch = { healthz: [], authed: [], failed: 0, rssPeak: rssMb(s.pid), stop: async () => undefined };
  let on = true;
  const loop = async (every: number, path: string, into: number[], headers: Record<string, string> = {}) => {
    while (on && s.exit === null) {
      const t = performance.now();
      try {
        const res = await fetch(s.url + path, { headers });
        await res.arrayBuffer();
        into.push(performance.now() - t);
      } catch {
        w.failed++;
      }
      await sleep(every);
    }
  };
  const rss = (async () => {
    while (on) {
      const now = rssMb(s.pid);
      if (now > w.rssPeak) w.rssPeak = now;
      await sleep(100);
    }
  })();
  const loops = [loop(20, '/healthz', w.healthz), loop(200, '/api/auth/me', w.authed, { authorization: `Bearer ${s.token}` }), rss];
  w.stop = async () => {
    on = false;
    await Promise.all(loops);
  };
  return w;
}

const upload = (s: Server, path: string, file: string) =>
  fetch(s.url + path, { method: 'POST', headers: { authorization: `Bearer ${s.token}`, 'content-type': 'text/csv' }, body: readFileSync(file) });

async function importJob(s: Server, file: string, dryRun: boolean): Promise<string> {
  const res = await upload(s, `/api/imports?file=bench.csv${dryRun ? '&dryRun=true' : ''}`, file);
  if (res.status !== 202) throw new Error(`import answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    await sleep(250);
    const job = (await (await fetch(`${s.url}/api/imports/${id}`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { status: string; error: unknown };
    if (job.status === 'failed') throw new Error(`import failed: ${JSON.stringify(job.error)}`);
    if (job.status === 'done') return id;
  }
}

function describe(what: string, w: Watch, seconds: number): string {
  const h = [...w.healthz].sort((a, b) => a - b);
  const a = [...w.authed].sort((x, y) => x - y);
  const failed = w.failed ? `; ${w.failed} requests failed` : '';
  return `${what}: ${fmt(seconds, 1)} s${failed}; /healthz p50 ${fmt(percentile(h, 50), 1)} ms, p99 ${fmt(percentile(h, 99), 1)} ms, max ${fmt(h.at(-1) ?? NaN, 0)} ms (${h.length} answers); /api/auth/me max ${fmt(a.at(-1) ?? NaN, 0)} ms; server RSS peak ${fmt(w.rssPeak)} MB`;
}

async function during(s: Server, what: string, run: () => Promise<unknown>): Promise<{ line: string; p99: number; rss: number }> {
  log(what);
  const w = watch(s);
  const t = performance.now();
  let outcome = '';
  try {
    await run();
  } catch (err) {
    await sleep(500);
    outcome = ` — FAILED: ${s.exit ? `the server died (${s.exit})` : (err as Error).message}`;
  }
  const seconds = (performance.now() - t) / 1000;
  await w.stop();
  return { line: describe(what, w, seconds) + outcome, p99: percentile([...w.healthz].sort((a, b) => a - b), 99), rss: w.rssPeak };
}

/** A run on a server of its own (a fresh process: its RSS peak is this run's). */
async function fresh(what: string, run: (s: Server) => Promise<unknown>, after?: (s: Server) => Promise<string>) {
  const dir = mkdtempSync(join(dataDir(), 'import-load-'));
  const s = await startServer(join(dir, 'tally.db'));
  try {
    await during(s, 'warm-up', () => sleep(1000));
    const idleRss = rssMb(s.pid);
    const r = await during(s, what, () => run(s));
    return { ...r, line: `${r.line} (idle ${fmt(idleRss)} MB)${after ? `; ${await after(s)}` : ''}` };
  } finally {
    s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchImportLoad(): Promise<BenchResult> {
  // Files near the sizes of the probe (issue 12): 30 MiB and 63 MiB of the import bench's rows.
  const preview = await prospectsCsv(279_000);
  const big = await prospectsCsv(586_000);
  const bad = await slimCsv(1_500_000, true);
  const million = await slimCsv(1_000_000, false);
  const idle = await fresh('idle server, 3 s', () => sleep(3000));
  const runs = [
    await fresh(`preview of ${fmt(statSync(preview).size / MiB, 1)} MiB`, async (s) => {
      const res = await upload(s, '/api/imports/preview?file=bench.csv', preview);
      if (res.status !== 200) throw new Error(`preview answered ${res.status}`);
      await res.arrayBuffer();
    }),
    await fresh(`import of ${fmt(statSync(big).size / MiB, 1)} MiB (586,000 rows)`, (s) => importJob(s, big, false)),
    await fresh(
      `dry run of ${fmt(statSync(bad).size / MiB, 1)} MiB, every email bad (1,500,000 rejected rows)`,
      (s) => importJob(s, bad, true),
      async (s) => {
        await sleep(1000);
        return `RSS 1 s after it finished (the job is kept an hour): ${fmt(rssMb(s.pid))} MB`;
      },
    ),
    await fresh(`import of 1,000,000 rows (${fmt(statSync(million).size / MiB, 1)} MiB)`, (s) => importJob(s, million, false)),
  ];
  const worst = Math.max(...runs.map((r) => r.p99));
  return {
    name: 'import-load',
    lines: [
      idle.line,
      ...runs.map((r) => r.line),
      `ratio /healthz p99 worst run/idle: ${fmt(worst / idle.p99, 1)}× (target: p99 under 100 ms)`,
    ],
    results: { idleP99: idle.p99, worstP99: worst, rssPeak: Math.max(...runs.map((r) => r.rss)) },
  };
}
