// A cadence's life from the command line (issue 18): `cadence add FILE` keeps updating the cadence
// the file names and says "new version"; clone, archive (enroll refused) and unarchive, delete only
// while unused, restore an old version, and the rates per step.
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { hasStackTrace, TallyCli } from '../helpers/cli.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();
const FILE = `name: Trade show
steps:
  - channel: email
    delay: 0
    reason: the deck from the booth
    subject: Good to meet you at the show
    template: "Hi {{first_name}}, here is the deck."
  - channel: sms
    delay: 2d
    reason: a nudge
    message: "Did the deck help, {{first_name}}?"
`;
let cli: TallyCli;

beforeAll(async () => {
  cli = new TallyCli(join(dir, 'lifecycle.db'));
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', 'email,name\nada@acme.example,Ada Byron\nbea@acme.example,Bea Smith\ncy@acme.example,Cy Young\n'));
});

describe('tally cadence', () => {
  it('add: a changed file is a new version of the cadence it names, said in words', async () => {
    expect(await cli.ok('cadence', 'add', writeFile(dir, 'show.yaml', FILE))).toContain('Added cadence "Trade show" (v1, 2 steps');
    const v2 = await cli.ok('cadence', 'add', writeFile(dir, 'show2.yaml', FILE.replace('delay: 2d', 'delay: 3d')));
    expect(v2).toContain('Updated cadence "Trade show": new version v2 (2 steps over 3 business days). Prospects already in it stay on their version.');
    expect(await cli.ok('cadence', 'add', writeFile(dir, 'show3.yaml', FILE.replace('delay: 2d', 'delay: 3d')))).toContain('No change to cadence "Trade show": the file is its current version v2');
  });

  it('clone, archive (enroll refused, live ones go on), unarchive', async () => {
    expect(await cli.ok('cadence', 'clone', 'Trade show')).toMatch(/Cloned into "Trade show \(copy\)" \(id \d+, v1\)\./);
    expect(await cli.ok('cadence', 'clone', 'Trade show', '--name', 'Trade show EU')).toContain('"Trade show EU"');
    await cli.ok('enroll', 'ada@acme.example', '--cadence', 'Trade show');
    expect((await cli.ok('cadence', 'archive', 'Trade show')).trim()).toBe('Archived "Trade show": nobody new can be enrolled; 1 live enrollment will finish.');
    expect(await cli.ok('cadence', 'list')).toMatch(/Trade show\s+v2.*\(archived\)/);
    const refused = await cli.run('enroll', 'bea@acme.example', '--cadence', 'Trade show');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"Trade show" is archived: it takes no new enrollments (the live ones finish). Unarchive it first, or pick another cadence.');
    expect(hasStackTrace(refused.stderr)).toBe(false);
    expect((await cli.ok('cadence', 'unarchive', 'Trade show')).trim()).toBe('"Trade show" takes enrollments again.');
    await cli.ok('enroll', 'bea@acme.example', '--cadence', 'Trade show');
  });

  it('delete: only a cadence nobody was enrolled in', async () => {
    expect((await cli.ok('cadence', 'delete', 'Trade show EU')).trim()).toBe('Deleted cadence "Trade show EU".');
    const used = await cli.run('cadence', 'delete', 'Trade show');
    expect(used.code).toBe(1);
    expect(used.stderr).toContain('"Trade show" cannot be deleted: 2 prospects were enrolled in it (2 still live), and their touches count in the reports. Archive it instead');
  });

  it('restore: an old version becomes the next one', async () => {
    expect((await cli.ok('cadence', 'restore', 'Trade show', 'v1')).trim()).toBe('Restored v1 of "Trade show" as new version v3.');
    const r = await cli.run('cadence', 'restore', 'Trade show', 'latest');
    expect(r.code).toBe(2);
  });

  it('stats: sent, reply, meeting, opt-out and bounce rates, whole and per step', async () => {
    await cli.ok('log', 'ada@acme.example', '--channel', 'email', '--outcome', 'sent');
    await cli.ok('log', 'bea@acme.example', '--channel', 'email', '--outcome', 'sent');
    await cli.ok('log', 'ada@acme.example', '--channel', 'email', '--outcome', 'replied');
    const json = await cli.json<{ enrolled: number; cadence: { sent: number; replies: number }; steps: { sent: number; replies: number }[] }>('cadence', 'stats', 'Trade show', '--version', '2');
    expect(json.enrolled).toBe(2);
    expect(json.cadence).toMatchObject({ sent: 2, replies: 1 });
    expect(json.steps[0]).toMatchObject({ sent: 2, replies: 1 });
    expect((await cli.json<{ steps: { sent: number }[] }>('cadence', 'stats', 'Trade show')).steps[0]!.sent).toBe(0); // v3: nobody on it yet
    const text = await cli.ok('cadence', 'stats', 'Trade show', '--version', '2');
    expect(text).toMatch(/SENT\s+REPLY\s+MEETING\s+OPT-OUT\s+BOUNCE/);
    expect(text).toMatch(/Whole cadence \(per prospect\)\s+2\s+50%\s+0%\s+0%\s+0%/);
  });
});
