import { beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Queue } from '../../src/app/queue.ts';
import type { StatsReport } from '../../src/app/stats.ts';
import { BIN, hasStackTrace, runBin, runCli, TallyCli } from '../helpers/cli.ts';
import { count, query, snapshot } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();
const NOW = '2026-03-04T15:00:00Z';

let cli: TallyCli;

beforeAll(async () => {
  cli = new TallyCli(join(dir, 'errors.db'), NOW);
  await cli.ok('init', '--timezone', 'America/New_York', '--email', 'me@tally.example');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', 'email,name,company\nann@acme.example,Ann Lee,Acme\n'));
  await cli.ok('enroll', 'ann@acme.example');
  await cli.ok('log', 'ann@acme.example', '--channel', 'email', '--outcome', 'sent');
});

describe('usage errors exit 2', () => {
  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['today', '--frobnicate'], /unknown option '--frobnicate'/],
    [['log', 'ann@acme.example', '--outcome', 'sent'], /required option '--channel <channel>' not specified/],
    [['snooze', 'ann@acme.example'], /required option '--until <when>'/],
    [['show'], /missing required argument 'prospect'/],
    [['cadence', 'add'], /missing required argument 'file'/],
    [['import', 'prospects', 'x.csv', '--map', 'oops'], /bad --map "oops"/],
    [['import', 'prospects', 'x.csv', '--map', '=email'], /bad --map "=email"/],
    [['enroll'], /say who to enroll/],
    [['enroll', '--where', 'shoe_size=42'], /unknown field "shoe_size"/],
    [['snooze', 'ann@acme.example', '--until', 'the twelfth of never'], /cannot read the date/],
    [['today', '--days', 'abc'], /option '--days <n>' argument 'abc' is invalid/],
    [['today', '--limit', '0'], /option '--limit <n>' argument '0' is invalid/],
    [['today', '--limit', '-1'], /option '--limit <n>' argument '-1' is invalid/],
    [['cadence', 'show', '1', '--version', 'latest'], /option '--version <n>' argument 'latest' is invalid/],
    [['import', 'prospects', 'x.csv', '--encoding', 'ebcdic'], /unknown encoding "ebcdic"/],
  ])('tally %j', async (args, message) => {
    const before = snapshot(cli.db);
    const r = await cli.run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(snapshot(cli.db)).toEqual(before);
  });

  it('a TALLY_NOW that is not a date', async () => {
    const r = await runCli(['today'], { db: cli.db, env: { TALLY_NOW: 'yesterday-ish' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/TALLY_NOW="yesterday-ish" is not a date/);
  });
});

describe('failures exit 1 with a message and no stack trace', () => {
  it.each([
    [['show', 'ghost@x.example'], /unknown prospect "ghost@x\.example"/],
    [['log', 'ann@acme.example', '--channel', 'email', '--outcome', 'maybe'], /unknown outcome "maybe"/],
    [['cadence', 'show', 'No such'], /unknown cadence "No such"/],
    [['import', 'prospects', '/definitely/not/here.csv'], /cannot read \/definitely\/not\/here\.csv/],
    [['resume', 'ann@acme.example'], /not paused or snoozed/],
  ])('tally %j', async (args, message) => {
    const r = await cli.run(...args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tally: /);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('a file that is not a database', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is not sqlite, just text that happens to be long enough to look like a header '.repeat(20));
    const r = await runCli(['today'], { db: junk, env: { TALLY_NOW: NOW } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tally: .*not a database/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('an unreachable PostgreSQL URL names the server, never the password', async () => {
    const r = await runCli(['today'], { db: 'postgres://rep:s3cret@127.0.0.1:1/tally', env: { TALLY_NOW: NOW } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot connect to postgres:\/\/rep@127\.0\.0\.1:1\/tally/);
    expect(r.stderr).not.toMatch(/s3cret/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it('help is not an error', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: tally');
    for (const c of ['init', 'import', 'cadence', 'enroll', 'today', 'log', 'show', 'stats', 'export', 'demo', 'snooze', 'pause', 'resume', 'unenroll']) expect(r.stdout).toContain(c);
  });
});

describe('--json on every read command', () => {
  it.each([
    [['today']],
    [['today', '--days', '5']],
    [['show', 'ann@acme.example']],
    [['stats']],
    [['cadence', 'list']],
    [['cadence', 'show', 'Tally default outbound']],
  ])('tally --json %j prints one JSON document and nothing else', async (args) => {
    for (const argv of [['--json', ...args], [...args, '--json']]) {
      const r = await cli.run(...argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(() => JSON.parse(r.stdout)).not.toThrow();
      expect(typeof JSON.parse(r.stdout)).toBe('object');
    }
  });
});

describe('the real binary', () => {
  const tally = (args: string[], env: Record<string, string> = {}) => runBin(args, { TALLY_NOW: NOW, ...env });

  it('tally demo --db DIR/x.db builds a workspace that the other commands read', async () => {
    const db = join(dir, 'demo', 'x.db');
    const demo = await tally(['demo', '--db', db]);
    expect(demo.stderr).toBe('');
    expect(demo.code).toBe(0);
    expect(demo.stdout).toContain(`Demo workspace ready in ${db}`);
    expect(demo.stdout).toMatch(/300 prospects at 30 companies, 3 users, 3 cadences, \d+ enrollments, \d+ touches/);
    expect(count(db, 'prospects')).toBe(300);
    expect(count(db, 'touches')).toBeGreaterThan(100);

    // The rest in-process: same code, no process start-up cost.
    const demoCli = new TallyCli(db, NOW);
    const q = await demoCli.json<Queue>('today', '--team');
    expect(q.total).toBeGreaterThan(0);
    expect(q.overdue).toBeGreaterThan(0); // the demo leaves some prospects neglected
    for (const it of q.items) expect(it.reason.length).toBeGreaterThan(0);
    const s = await demoCli.json<StatsReport>('stats', '--team');
    expect(s.prospects).toBe(300);
    expect(s.followUpRate).toBeGreaterThan(0);
    expect(await demoCli.ok('show', '1')).toContain('Tally:');

    // A rep (--as) sees only their own prospects, even when asking for the team.
    const owners = new Map(query<{ id: number; email: string }>(db, 'select p.id, u.email from prospects p join users u on u.id = p.owner_id').map((r) => [r.id, r.email]));
    const sam = await demoCli.json<Queue>('--as', 'sam@demo.tally', 'today', '--team', '--limit', '500');
    expect(sam.owner).toBe('Sam Rivera');
    expect(sam.items.length).toBeGreaterThan(0);
    for (const it of sam.items) expect(owners.get(it.prospectId)).toBe('sam@demo.tally');
    const notSams = [...owners].find(([, email]) => email !== 'sam@demo.tally')![0];
    const hidden = await demoCli.run('--as', 'sam@demo.tally', 'show', String(notSams));
    expect(hidden.code).toBe(1);
    expect(hidden.stderr).toMatch(/unknown prospect/);
    const samStats = await demoCli.json<StatsReport>('--as', 'sam@demo.tally', 'stats');
    expect(samStats.prospects).toBe([...owners.values()].filter((e) => e === 'sam@demo.tally').length);

    // A second demo into the same file is refused and changes nothing.
    const before = snapshot(db);
    const again = await runCli(['demo', '--db', db], { env: { TALLY_NOW: NOW } });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a workspace/);
    expect(snapshot(db)).toEqual(before);
  });

  it('a reader that stops early (tally today | head) is not an error', async () => {
    const db = join(dir, 'demo', 'x.db'); // built by the demo test above
    const child = spawn(process.execPath, [BIN, '--db', db, 'today', '--team', '--limit', '500'], { env: { ...process.env, TALLY_NOW: NOW } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('exit codes: 2 for usage, 1 for failures, no stack traces', async () => {
    const [usage, failure] = await Promise.all([tally(['--db', cli.db, 'frobnicate']), tally(['--db', cli.db, 'show', 'ghost@x.example'])]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toBe('tally: unknown prospect "ghost@x.example" (give an id or an email address)\n');
    expect(hasStackTrace(usage.stderr + failure.stderr)).toBe(false);
  });
});
