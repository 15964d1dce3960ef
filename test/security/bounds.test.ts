// Bounds on every input: what used to answer 500 or store nonsense is now a validation error that
// says what and where.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, demoWorld, liveProspectOf, type World } from '../api/harness.ts';
import { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';
import { testNow } from '../helpers/clock.ts';

const step = (delay: unknown) => ({ channel: 'call', delay, value_item: 'v' });
let w: World;
let manager: Client;

beforeAll(async () => {
  w = await demoWorld();
  manager = w.manager;
});

describe('cadences', () => {
  it('at most 50 steps and delays of at most 365 days: 400, not 500', async () => {
    const cases: [unknown[], RegExp][] = [
      [Array.from({ length: 10_000 }, () => step(1)), /at most 50 steps/],
      [Array.from({ length: 51 }, () => step(1)), /at most 50 steps/],
      [[step(99_999_999)], /at most 365 days/],
      [[step('1e308h')], /number of days or hours|at most 365 days/],
      [[step({ amount: 1e308, unit: 'hours' })], /at most 365 days/],
      [[step({ amount: 366, unit: 'business_days' })], /at most 365 days/],
    ];
    for (const [steps, message] of cases) {
      const r = await manager.post('/api/cadences', { name: 'Too much', steps });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('invalid_cadence');
      expect(r.body.error.message).toMatch(message);
    }
    const fine = await manager.post('/api/cadences', { name: 'Just enough', steps: Array.from({ length: 50 }, () => step(365)) });
    expect(fine.status).toBe(201);
  });
});

describe('dates of touches and snoozes', () => {
  it('refuses touches before 2000 or in the future and snoozes past two years; sane ones pass', async () => {
    const p = await liveProspectOf(w.store, w.ids.sam);
    for (const at of ['-271821-04-20', '1900-01-01', '1999-12-31T23:59:59Z', '2999-01-01']) {
      const r = await w.sam.post(`/api/prospects/${p.id}/touches`, { channel: 'call', outcome: 'no_answer', at });
      expect(r.status, at).toBe(400);
      expect(r.body.error.field).toBe('at');
    }
    for (const until of ['+275760-09-13', '1900-01-01']) {
      const r = await w.sam.post(`/api/prospects/${p.id}/snooze`, { until });
      expect(r.status, until).toBe(400);
      expect(r.body.error.field).toBe('until');
    }
    const day = 86_400_000;
    const snooze = await w.sam.post(`/api/prospects/${p.id}/snooze`, { until: new Date(testNow() + 700 * day).toISOString() });
    expect(snooze.status, snooze.text).toBe(200);
    const touch = await w.sam.post(`/api/prospects/${p.id}/touches`, { channel: 'call', outcome: 'no_answer', at: new Date(testNow() - day).toISOString() });
    expect(touch.status, touch.text).toBe(201);
  });
});

describe('imports', () => {
  const dir = tempDir();
  const cli = new TallyCli(join(dir, 'bounds.db'));

  it('rejects emails with control characters, files over 1,000 columns, and keeps 200 custom fields per prospect', async () => {
    await cli.ok('init', '--timezone', 'UTC', '--email', 'rep@tally.test');
    const nul = await cli.json<{ rejected: { line: number; field: string }[]; inserted: number }>('import', 'prospects', writeFile(dir, 'nul.csv', 'email\n"dana\u0000@acme.example"\nok@acme.example\n"x\u001b@acme.example"\n'));
    expect(nul.inserted).toBe(1);
    expect(nul.rejected.map((r) => [r.line, r.field])).toEqual([[2, 'email'], [4, 'email']]);

    const wide = ['email', ...Array.from({ length: 1_000 }, (_, i) => `c${i}`)];
    const tooWide = await cli.run('import', 'prospects', writeFile(dir, 'wide.csv', `${wide.join(',')}\nw@acme.example${',x'.repeat(1_000)}\n`));
    expect(tooWide.code).toBe(1);
    expect(tooWide.stderr).toMatch(/1001 columns; Tally reads at most 1000/);

    const many = ['email', ...Array.from({ length: 250 }, (_, i) => `f${i}`)];
    const r = await cli.json<{ inserted: number; skippedColumns: string[]; customFields: string[] }>('import', 'prospects', writeFile(dir, 'many.csv', `${many.join(',')}\nm@acme.example${',v'.repeat(250)}\n`));
    expect(r.inserted).toBe(1);
    expect(r.customFields).toHaveLength(200);
    expect(r.skippedColumns).toEqual(Array.from({ length: 50 }, (_, i) => `f${200 + i}`));
    const [row] = query<{ custom: string }>(cli.db, "select custom from prospects where email = 'm@acme.example'");
    expect(Object.keys(JSON.parse(row!.custom))).toHaveLength(200);
  });
});
