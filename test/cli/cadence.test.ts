import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEFAULT_CADENCE_NAME, DEFAULT_CADENCES } from '../../src/core/default-cadences.ts';
import type { CadenceListing, StoredCadence } from '../../src/app/cadences.ts';
import type { ProspectView } from '../../src/app/prospects.ts';
import { hasStackTrace, TallyCli } from '../helpers/cli.ts';
import { count } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();

const V1_YAML = `# Our partner cadence
name: Partner intro
description: Three touches for partner referrals
steps:
  - channel: email
    delay: 0
    name: Warm intro
    subject: "{{referrer}} suggested we talk"
    value_item: the referrer's reason for the intro
    talking_points:
      - Name the referrer in the first line
  - channel: call
    delay: 2 business days
    name: Intro call
    value_item: a benchmark from the referrer's company
  - channel: linkedin
    delay: 3d
    name: LinkedIn note
    value_item: a short note with a relevant post
`;

const V2_YAML = V1_YAML.replace('name: Intro call', 'name: Discovery call').replace('delay: 3d', 'delay: 4h');

const JSON_CADENCE = JSON.stringify(
  {
    name: 'Event follow-up',
    steps: [
      { channel: 'email', delay: '2h', value_item: 'the slides from the talk', talking_points: ['Mention the booth'] },
      { channel: 'sms', delay: 1, value_item: 'a link to book 15 minutes' },
    ],
  },
  null,
  2,
);

let cli: TallyCli;

beforeAll(async () => {
  cli = new TallyCli(join(dir, 'cadence.db'));
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', 'email,name,company\nada@acme.example,Ada Byron,Acme\nbea@acme.example,Bea Smith,Acme\n'));
});

describe('tally cadence add', () => {
  it('adds a YAML cadence, then a changed file becomes v2 while running enrollments keep v1', async () => {
    const v1 = writeFile(dir, 'partner.yaml', V1_YAML);
    const added = await cli.run('cadence', 'add', v1);
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('Added cadence "Partner intro" (v1, 3 steps over 5 business days)');

    // Adding the same file again changes nothing.
    expect(await cli.json('cadence', 'add', v1)).toMatchObject({ change: 'unchanged', version: 1 });

    await cli.ok('enroll', 'ada@acme.example', '--cadence', 'Partner intro');
    const v2 = writeFile(dir, 'partner-v2.yaml', V2_YAML);
    expect(await cli.json('cadence', 'add', v2)).toMatchObject({ change: 'new_version', name: 'Partner intro', version: 2, steps: 3 });
    await cli.ok('enroll', 'bea@acme.example', '--cadence', 'partner INTRO');

    const ada = await cli.json<ProspectView>('show', 'ada@acme.example');
    const bea = await cli.json<ProspectView>('show', 'bea@acme.example');
    expect(ada.enrollments).toEqual([expect.objectContaining({ cadence: 'Partner intro', version: 1, step: 1, steps: 3 })]);
    expect(bea.enrollments).toEqual([expect.objectContaining({ cadence: 'Partner intro', version: 2, step: 1, steps: 3 })]);
    expect(await cli.ok('show', 'ada@acme.example')).toContain('Cadence Partner intro v1: active, step 1/3');

    // Logging a touch moves each along its own version's steps.
    await cli.ok('log', 'ada@acme.example', '--channel', 'email', '--outcome', 'sent');
    await cli.ok('log', 'bea@acme.example', '--channel', 'email', '--outcome', 'sent');
    expect((await cli.json<ProspectView>('show', 'ada@acme.example')).enrollments[0]!.nextStep).toBe('Intro call');
    expect((await cli.json<ProspectView>('show', 'bea@acme.example')).enrollments[0]!.nextStep).toBe('Discovery call');

    const current = await cli.json<StoredCadence>('cadence', 'show', 'Partner intro');
    expect(current).toMatchObject({ name: 'Partner intro', version: 2 });
    expect(current.definition.steps.map((s) => s.name)).toEqual(['Warm intro', 'Discovery call', 'LinkedIn note']);
    expect(current.definition.steps[2]!.delay).toEqual({ amount: 4, unit: 'hours' });
    const old = await cli.json<StoredCadence>('cadence', 'show', 'Partner intro', '--version', '1');
    expect(old.version).toBe(1);
    expect(old.definition.steps[1]!.name).toBe('Intro call');
    expect(old.definition.steps[0]).toMatchObject({ subject: '{{referrer}} suggested we talk', talkingPoints: ['Name the referrer in the first line'] });

    const list = await cli.json<CadenceListing[]>('cadence', 'list');
    expect(list.find((c) => c.name === 'Partner intro')).toMatchObject({ version: 2, steps: 3, live: 2, finished: 0 });
  });

  it('adds a JSON cadence', async () => {
    const r = await cli.run('cadence', 'add', writeFile(dir, 'event.json', JSON_CADENCE));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Added cadence "Event follow-up" (v1, 2 steps');
    const c = await cli.json<StoredCadence>('cadence', 'show', 'event follow-up');
    expect(c.definition.steps.map((s) => [s.channel, s.delay, s.name])).toEqual([
      ['email', { amount: 2, unit: 'hours' }, 'Step 1: email'],
      ['sms', { amount: 1, unit: 'business_days' }, 'Step 2: sms'],
    ]);
  });

  it.each([
    ['bad-channel.yaml', V1_YAML.replace('channel: call', 'channel: fax'), /bad-channel\.yaml:12: Step 2: the channel must be one of email, call, linkedin, sms, task/],
    ['no-value.yaml', V1_YAML.replace('    value_item: a short note with a relevant post\n', ''), /no-value\.yaml:16: Step 3: the reason is required/],
    ['bad-delay.yaml', V1_YAML.replace('delay: 2 business days', 'delay: next tuesday'), /bad-delay\.yaml:13: Step 2: the delay must be a number of days or hours, e\.g\. 2d or 4h \(found "next tuesday"\)/],
    ['extra.yaml', V1_YAML.replace('    name: LinkedIn note\n', '    name: LinkedIn note\n    priority: high\n'), /extra\.yaml:19: Step 3: unknown field "priority"/],
    ['syntax.yaml', 'name: Broken\nsteps:\n  - channel: email\n   delay: 0\n', /syntax\.yaml:\d: not valid YAML\/JSON/],
    ['bad.json', '{\n  "name": "Bad JSON",\n  "steps": [\n    { "channel": "email", "delay": "soon", "value_item": "x" }\n  ]\n}\n', /bad\.json:4: Step 1: the delay must be a number of days or hours, e\.g\. 2d or 4h \(found "soon"\)/],
    ['trailing-comma.json', '{\n  "name": "Bad",\n  "steps": [\n    { "channel": "email", }\n  ]\n}\n', /trailing-comma\.json:4: Step 1: the (delay|reason)/],
    ['empty.yaml', '', /empty\.yaml.*A cadence file needs a name and steps/],
  ])('%s: exit 1 with the line and the field, nothing saved', async (name, content, message) => {
    const before = count(cli.db, 'cadence_versions');
    const r = await cli.run('cadence', 'add', writeFile(dir, name, content));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.startsWith('tally: ')).toBe(true);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(count(cli.db, 'cadence_versions')).toBe(before);
  });

  it('lists every bad field of a file', async () => {
    const r = await cli.run('cadence', 'add', writeFile(dir, 'many.yaml', 'name: Many\nsteps:\n  - channel: pigeon\n    delay: later\n'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/many\.yaml:3: Step 1: the channel/);
    expect(r.stderr).toMatch(/many\.yaml:4: Step 1: the delay/);
    expect(r.stderr).toMatch(/Step 1: the reason is required/);
    expect(r.stderr).not.toMatch(/steps\[/);
  });

  it('a missing file: exit 1', async () => {
    const r = await cli.run('cadence', 'add', join(dir, 'nope.yaml'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*nope\.yaml/);
  });
});

describe('tally cadence list and show', () => {
  it('lists the built-in cadences with their step counts', async () => {
    const list = await cli.json<CadenceListing[]>('cadence', 'list');
    for (const def of DEFAULT_CADENCES) {
      expect(list).toContainEqual(expect.objectContaining({ name: def.name, version: 1, steps: def.steps.length }));
    }
    const text = await cli.ok('cadence', 'list');
    expect(text.split('\n')[0]).toMatch(/^ID\s+NAME\s+VERSION\s+STEPS\s+LIVE\s+ENDED$/);
    expect(text).toContain(DEFAULT_CADENCE_NAME);
  });

  it('shows the steps with their value items and talking points', async () => {
    const text = await cli.ok('cadence', 'show', DEFAULT_CADENCE_NAME);
    const def = DEFAULT_CADENCES.find((d) => d.name === DEFAULT_CADENCE_NAME)!;
    expect(text).toContain(`${DEFAULT_CADENCE_NAME} — v1, ${def.steps.length} steps`);
    for (const s of def.steps) {
      expect(text).toContain(`Reason (a note for you, never sent): ${s.reason}`);
      for (const t of s.talkingPoints) expect(text).toContain(`• ${t}`);
    }
    const byId = await cli.json<StoredCadence>('cadence', 'show', '1');
    expect(byId.name).toBe(DEFAULT_CADENCES[0]!.name);
    expect(byId.definition).toEqual(DEFAULT_CADENCES[0]);
  });

  it('--yaml prints a file that adds back unchanged', async () => {
    const yaml = await cli.ok('cadence', 'show', 'Partner intro', '--yaml');
    expect(yaml).toContain('name: Partner intro');
    expect(await cli.json('cadence', 'add', writeFile(dir, 'roundtrip.yaml', yaml))).toMatchObject({ change: 'unchanged', version: 2 });
  });

  it('unknown cadence or version: exit 1', async () => {
    const r = await cli.run('cadence', 'show', 'Nope');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown cadence "Nope"/);
    const v = await cli.run('cadence', 'show', 'Partner intro', '--version', '9');
    expect(v.code).toBe(1);
    expect(v.stderr).toMatch(/has no version 9 \(latest is 2\)/);
  });
});
