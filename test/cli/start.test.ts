// `npm start` (= `tally demo --serve`) on a fresh checkout: builds the web app when needed,
// makes the demo workspace, opens sign-in for its people, serves the browser app and the API with
// the jobs running, and stops cleanly on SIGTERM.
import { afterAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { DEMO_PASSWORD } from '../../src/app/demo-accounts.ts';
import { tempDb } from '../helpers/tmp.ts';

const BIN = resolve(import.meta.dirname, '../../bin/tally.js');
const { db } = tempDb();
const child = spawn(process.execPath, [BIN, '--db', db, 'demo', '--serve', '--port', '0', '--prospects', '40'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TALLY_LOG_LEVEL: 'warn' } });
let out = '';
child.stdout.on('data', (b: Buffer) => (out += b.toString()));
child.stderr.on('data', (b: Buffer) => (out += b.toString()));
const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
});

async function address(): Promise<string> {
  for (let i = 0; i < 1200; i++) {
    const m = /Open (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (m) return m[1]!;
    if (child.exitCode !== null) throw new Error(`tally demo --serve exited ${child.exitCode}:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`tally demo --serve never said where it listens:\n${out}`);
}

it('serves the demo in the browser with the printed sign-in, then stops on SIGTERM', async () => {
  const base = await address();
  expect(out).toContain(`password "${DEMO_PASSWORD}"`);
  expect(out).toMatch(/sam@demo\.tally\s+Sam Rivera \(rep\)/);

  const page = await fetch(base);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="root">');

  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'sam@demo.tally', password: DEMO_PASSWORD }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const board = await fetch(`${base}/api/prospects`, { headers: { cookie } });
  expect(board.status).toBe(200);
  expect(((await board.json()) as { total: number }).total).toBeGreaterThan(0);
  expect((await fetch(`${base}/api/queue`, { headers: { cookie } })).status).toBe(200);
  expect((await fetch(`${base}/readyz`)).status).toBe(200);

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
}, 240_000);
