import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { ProspectView } from '../../src/app/prospects.ts';
import type { StatsReport } from '../../src/app/stats.ts';
import { TallyCli } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();
const ms = (iso: string) => Date.parse(iso);

const CADENCE = `name: Three step
steps:
  - { channel: email, delay: 0, name: Opening email, value_item: an insight }
  - { channel: call, delay: 1, name: Call, value_item: a benchmark }
  - { channel: email, delay: 1, name: Last email, value_item: a resource }
`;

const PEOPLE = `email,name,company,title,Segment,Notes
p1@acme.example,Pia One,Acme,CEO,enterprise,
p2@acme.example,Paul Two,Acme,"Head of Ops, EMEA",smb,"said ""call me in May"""
p3@globex.example,Pat Three,Globex,CTO,,
p4@globex.example,Peg Four,Globex,,enterprise,
p5@initech.example,Pam Five,Initech,COO,,"line one
line two"
p6@initech.example,Pip Six,Initech,,,
`;

let cli: TallyCli;

/** Logs touches one hour apart from `start`. */
async function touches(who: string, start: string, list: [string, string][]): Promise<void> {
  let t = ms(start);
  for (const [channel, outcome] of list) {
    cli.at(new Date(t).toISOString());
    await cli.ok('log', who, '--channel', channel, '--outcome', outcome, '--note', `${channel} ${outcome}`);
    t += 3_600_000;
  }
}

beforeAll(async () => {
  cli = new TallyCli(join(dir, 'stats.db'), '2026-03-02T09:00:00Z');
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example', '--user-name', 'Me');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', PEOPLE));
  await cli.ok('cadence', 'add', writeFile(dir, 'three.yaml', CADENCE));
  await cli.ok('enroll', 'p1@acme.example', 'p2@acme.example', 'p3@globex.example', 'p4@globex.example', '--cadence', 'Three step');
  // p1: one touch, then taken out: gave up too early.
  await touches('p1@acme.example', '2026-03-02T10:00:00Z', [['email', 'sent']]);
  cli.at('2026-03-02T12:00:00Z');
  await cli.ok('unenroll', 'p1@acme.example');
  // p2: replied on the second touch.
  await touches('p2@acme.example', '2026-03-02T10:00:00Z', [['email', 'sent'], ['call', 'replied']]);
  // p3: two touches, still in the cadence.
  await touches('p3@globex.example', '2026-03-02T10:00:00Z', [['email', 'sent'], ['call', 'no_answer']]);
  // p4: enrolled, never touched. p5: seven touches outside any cadence. p6: booked a meeting on the first.
  await touches('p5@initech.example', '2026-03-03T09:00:00Z', [
    ['email', 'sent'], ['call', 'no_answer'], ['linkedin', 'sent'], ['call', 'left_voicemail'], ['email', 'sent'], ['sms', 'sent'], ['call', 'no_answer'],
  ]);
  await touches('p6@initech.example', '2026-03-03T09:00:00Z', [['call', 'meeting_booked']]);
  cli.at('2026-03-04T09:00:00Z');
});

describe('tally stats', () => {
  it('--json numbers match the hand-computed scenario', async () => {
    const s = await cli.json<StatsReport>('stats');
    expect(s).toEqual({
      scope: 'Me',
      industryFollowUpRate: 0.25,
      prospects: 6,
      touched: 5,
      followedUp: 3, // p2, p3, p5
      followUpRate: 0.6,
      totalTouches: 13,
      touchesPerProspect: { mean: 13 / 5, median: 2, histogram: { '1': 2, '2': 2, '7': 1 } },
      replies: 2,
      touchesUntilReply: { mean: 1.5, median: 1.5, histogram: { '1': 1, '2': 1 } },
      droppedBeforeFive: 1, // p1 (p3 is still live; p5 got 7)
    });
  });

  it('prints the follow-up rate against the industry figure', async () => {
    const text = await cli.ok('stats');
    expect(text).toContain('Follow-up stats for Me: 6 prospects, 5 touched, 13 touches.');
    expect(text).toContain('Follow-up rate: 60.0% of touched prospects got a second touch (industry: 25.0% — above).');
    expect(text).toContain('Touches per touched prospect: mean 2.6, median 2');
    expect(text).toContain('Replies: 2; touches until first reply: mean 1.5, median 1.5');
    expect(text).toContain('Gave up too early: 1 prospects');
  });

  it('--team is the same for a manager of a one-person team', async () => {
    const s = await cli.json<StatsReport>('stats', '--team');
    expect(s).toMatchObject({ scope: 'team', prospects: 6, totalTouches: 13 });
  });
});

describe('tally show', () => {
  it('shows the timeline and the tally line', async () => {
    const text = await cli.ok('show', 'p2@acme.example');
    expect(text).toContain('Paul Two, Head of Ops, EMEA @ Acme');
    expect(text).toContain('Tally: ||  2');
    expect(text).toContain('Cadence Three step v1: replied (replied), step 2/3');
    expect(text).toContain('Segment: smb');
    const timeline = text.slice(text.indexOf('Timeline:')).split('\n').slice(1).filter(Boolean).map((l) => l.trim());
    expect(timeline).toEqual([
      'Mon 2 Mar 09:00  enrolled in Three step v1',
      'Mon 2 Mar 10:00  email → sent — email sent',
      'Mon 2 Mar 11:00  call → replied — call replied',
      'Mon 2 Mar 11:00  Three step: replied (replied)',
    ]);
  });

  it('draws seven touches as ||||/ ||', async () => {
    const text = await cli.ok('show', 'p5@initech.example');
    expect(text).toContain('Tally: ||||/ ||  7');
    const v = await cli.json<ProspectView>('show', 'p5@initech.example');
    expect(v.tally).toEqual({ count: 7, line: '||||/ ||  7' });
    expect(v.enrollments).toEqual([]);
    expect(v.timeline).toHaveLength(7);
    expect(v.timeline.every((t) => t.kind === 'touch' && t.step === null)).toBe(true);
  });

  it('--json has the prospect, custom fields, enrollments and timeline', async () => {
    const v = await cli.json<ProspectView>('show', 'p3@globex.example');
    expect(v.prospect).toMatchObject({ email: 'p3@globex.example', first_name: 'Pat', last_name: 'Three', company: 'Globex', owner: 'Me', custom_fields: {} });
    expect(v.tally).toEqual({ count: 2, line: '||  2' });
    expect(v.enrollments).toEqual([
      { id: expect.any(Number), cadence: 'Three step', version: 1, status: 'active', reason: null, step: 3, steps: 3, nextStep: 'Last email', dueAt: expect.any(Number) },
    ]);
    expect(v.enrollments[0]!.dueAt).toBeGreaterThan(ms('2026-03-02T11:00:00Z'));
    expect(v.timeline.map((t) => [t.kind, t.step ?? null])).toEqual([
      ['enrolled', null],
      ['touch', 1],
      ['touch', 2],
    ]);
    const byId = await cli.json<ProspectView>('show', String(v.prospect.id));
    expect(byId.prospect.email).toBe('p3@globex.example');
  });

  it('a prospect with no touches says so', async () => {
    expect(await cli.ok('show', 'p4@globex.example')).toContain('Tally: no touches yet');
  });

  it('an unknown prospect: exit 1', async () => {
    const r = await cli.run('show', 'nobody@x.example');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown prospect "nobody@x\.example"/);
  });
});

describe('tally export', () => {
  type Row = Record<string, string>;
  const columns = ['id', 'email', 'first_name', 'last_name', 'phone', 'title', 'linkedin_url', 'company', 'timezone', 'owner', 'priority', 'touches', 'cadence', 'status', 'next_due', 'opted_out', 'email_status', 'Segment', 'Notes'];

  function check(rows: Row[]): void {
    expect(Object.keys(rows[0]!)).toEqual(columns);
    expect(rows.map((r) => [r.email, r.touches, r.cadence, r.status])).toEqual([
      ['p1@acme.example', '1', 'Three step', 'finished'],
      ['p2@acme.example', '2', 'Three step', 'replied'],
      ['p3@globex.example', '2', 'Three step', 'active'],
      ['p4@globex.example', '0', 'Three step', 'active'],
      ['p5@initech.example', '7', '', ''],
      ['p6@initech.example', '1', '', ''],
    ]);
    const p2 = rows[1]!;
    expect(p2).toMatchObject({ title: 'Head of Ops, EMEA', Segment: 'smb', Notes: 'said "call me in May"', next_due: '', owner: 'me@tally.example' });
    expect(rows[4]!.Notes).toBe('line one\nline two');
    expect(new Date(rows[3]!.next_due!).getTime()).toBe(ms('2026-03-02T09:00:00Z'));
  }

  it('writes CSV to stdout that parses back, with custom fields and touch counts', async () => {
    const out = await cli.ok('export');
    check(parse(out, { columns: true }) as Row[]);
  });

  it('--out writes a file and says so on stderr', async () => {
    const file = join(dir, 'export.csv');
    const r = await cli.run('export', '--out', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`Exported 6 prospects to ${file}.`);
    check(parse(readFileSync(file, 'utf8'), { columns: true }) as Row[]);
  });

  it('an exported file imports back as updates of the same prospects', async () => {
    const file = join(dir, 'export-again.csv');
    await cli.ok('export', '--out', file);
    const before = query(cli.db, 'select id, email, first_name, title, custom from prospects order by id');
    const r = await cli.json<{ inserted: number; updated: number; rejected: unknown[] }>(
      'import', 'prospects', file,
      ...['id', 'touches', 'cadence', 'status', 'next_due', 'opted_out', 'email_status'].flatMap((c) => ['--map', `${c}=ignore`]),
    );
    expect(r).toMatchObject({ inserted: 0, updated: 6, rejected: [] });
    expect(query(cli.db, 'select id, email, first_name, title, custom from prospects order by id')).toEqual(before);
  });
});

describe('tally note', () => {
  it('adds, edits and deletes a note on the timeline without a touch: the tally and the stats stay as they were', async () => {
    const before = await cli.json<StatsReport>('stats');
    cli.at('2026-03-04T10:00:00Z');
    expect(await cli.ok('note', 'p4@globex.example', 'Gatekeeper says', 'she is back on Monday.')).toMatch(/^Added note \d+ on #\d+'s timeline \(not a touch/);
    const added = await cli.json<ProspectView>('show', 'p4@globex.example');
    const note = added.timeline.find((t) => t.kind === 'note')!;
    expect(note).toMatchObject({ by: 'Me', note: 'Gatekeeper says she is back on Monday.', canChange: true, at: ms('2026-03-04T10:00:00Z') });
    expect(added.tally.count).toBe(0);
    cli.at('2026-03-04T11:00:00Z');
    await cli.ok('note', 'p4@globex.example', '--edit', String(note.noteId), 'Back on Tuesday.');
    const text = await cli.ok('show', 'p4@globex.example');
    expect(text).toContain(`Wed 4 Mar 10:00  note ${note.noteId} by Me (edited): Back on Tuesday.`);
    expect(await cli.json<StatsReport>('stats')).toEqual(before);

    const bad = await cli.run('note', 'p4@globex.example', '--delete', 'first');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--delete takes a note\'s number (tally show p4@globex.example lists them), not "first"');
    const empty = await cli.run('note', 'p4@globex.example');
    expect(empty.stderr).toContain('the note is empty: write something to keep');
    await cli.ok('note', 'p4@globex.example', '--delete', String(note.noteId));
    expect(await cli.ok('show', 'p4@globex.example')).toContain('Wed 4 Mar 11:00  Me deleted a note: Back on Tuesday.');
  });
});
