// Integration tests of workspace settings (and how they change scheduling), nurture proposals and
// the "gave up too early" count, through the CLI against real SQLite files with a pinned clock.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EnrollReport } from '../../src/app/enrollments.ts';
import type { NurtureProposal, NurtureResult } from '../../src/app/nurture.ts';
import type { Queue } from '../../src/app/queue.ts';
import type { StatsReport } from '../../src/app/stats.ts';
import type { SettingsView } from '../../src/app/workspace-settings.ts';
import { NURTURE_CADENCE_NAME } from '../../src/core/default-cadences.ts';
import { GUARDRAIL_RULES } from '../../src/core/guardrails/index.ts';
import { hasStackTrace, TallyCli } from '../helpers/cli.ts';
import { count, query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();
const ms = (iso: string) => Date.parse(iso);

async function workspace(name: string, now: string, people: string, cadences: string[] = []): Promise<TallyCli> {
  const cli = new TallyCli(join(dir, `${name}.db`), now);
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example', '--user-name', 'Me');
  await cli.ok('import', 'prospects', writeFile(dir, `${name}.csv`, people));
  for (const [i, c] of cadences.entries()) await cli.ok('cadence', 'add', writeFile(dir, `${name}-${i}.yaml`, c));
  return cli;
}

function ids(cli: TallyCli): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of query<{ id: number; email: string }>(cli.db, 'select id, email from prospects')) out[r.email.split('@')[0]!] = r.id;
  return out;
}

const storedSettings = (cli: TallyCli) => query<{ settings: string; timezone: string }>(cli.db, 'select settings, timezone from workspaces')[0]!;

describe('tally settings', () => {
  const EMAIL_FIRST = `name: Email first
steps:
  - { channel: email, delay: 0, name: Hello, value_item: a benchmark }
  - { channel: email, delay: 1, name: Follow-up, value_item: a resource }
`;
  const CALL_FIRST = `name: Call first
steps:
  - { channel: call, delay: 0, name: Cold call, value_item: a question about their plans }
  - { channel: email, delay: 1, name: Recap, value_item: a recap of the call }
`;
  const PEOPLE = 'email,name\np1@x.example,Pia One\np2@x.example,Paul Two\np3@x.example,Pat Three\np4@x.example,Peg Four\n';
  let cli: TallyCli;

  it('shows the defaults, as text and --json', async () => {
    cli = await workspace('settings', '2026-03-02T10:00:00Z', PEOPLE, [EMAIL_FIRST, CALL_FIRST]);
    const v = await cli.json<SettingsView>('settings');
    expect(v).toEqual({
      timezone: 'UTC',
      settings: {
        workdays: [1, 2, 3, 4, 5],
        holidays: [],
        windows: {},
        minutesPerChannel: {},
        guardrails: {
          minGapBusinessDays: 2,
          maxTouchesPerPerson7Days: 3,
          maxTouchesPerPerson30Days: 8,
          maxTouchesPerCompanyPerDay: 3,
          quietHours: { start: '20:00', end: '08:00' },
        },
        webhooks: { allowHosts: [] },
        inbound: { addressMatchDays: 30, roleAddresses: ['info@', 'sales@', 'support@', 'noreply@', 'no-reply@', 'billing@'], senderFailuresToPause: 5, senderFailureWindowHours: 24, complaintsToPause: 3, complaintRateToPause: 0.003, autoReplyDefaultBusinessDays: 5, companyWideStop: false },
        mail: { unsubscribeUrl: null },
      },
    });
    const text = await cli.ok('settings', 'show');
    expect(text).toContain('ended within 30 days; never for role addresses (info@, sales@, support@, noreply@, no-reply@, billing@)');
    await cli.ok('settings', 'set', 'inbound.roleAddresses', 'info@,desk@acme.example');
    expect((await cli.json<SettingsView>('settings')).settings.inbound.roleAddresses).toEqual(['info@', 'desk@acme.example']);
    expect((await cli.run('settings', 'set', 'inbound.roleAddresses', 'not an address')).stderr).toContain('a role address is "info@"');
    await cli.ok('settings', 'set', 'inbound.roleAddresses', 'info@,sales@,support@,noreply@,no-reply@,billing@');
    expect(text).toContain('Time zone: UTC');
    expect(text).toContain('Unsubscribe link: none: mail carries a mailto link only');
    await cli.ok('settings', 'set', 'mail.unsubscribeUrl', 'https://tally.acme.example/unsubscribe');
    expect(await cli.ok('settings', 'show')).toContain('Unsubscribe link: https://tally.acme.example/unsubscribe');
    expect((await cli.run('settings', 'set', 'mail.unsubscribeUrl', 'http://tally.acme.example/unsubscribe')).stderr).toContain('must be an https:// link');
    await cli.ok('settings', 'set', 'mail.unsubscribeUrl', 'null');
    expect(text).toContain('Holidays: none');
    expect(text).toContain('at least 2 business days between touches to one person');
    expect(text).toContain('quiet hours 20:00–08:00');
  });

  it('rules: every guardrail in plain words with its setting, from the rule registry', async () => {
    const text = await cli.ok('settings', 'rules');
    for (const rule of GUARDRAIL_RULES) expect(text).toContain(`${rule.id}`);
    expect(text).toContain('min_gap: at least 2 business days between touches to one person');
    expect(text).toContain('tally settings set guardrails.quietHours {"start":"20:00","end":"08:00"}');
    expect(text).toContain('opted_out (always on, never lifts)');
    const json = await cli.json<{ id: string; explanation: string }[]>('settings', 'rules');
    expect(json.map((r) => r.id)).toEqual(GUARDRAIL_RULES.map((r) => r.id));
  });

  it('set: a holiday is skipped by due dates and holds what falls on it', async () => {
    cli.at('2026-03-02T20:00:00Z'); // Monday evening, after the email window
    const before = await cli.json<EnrollReport>('enroll', 'p1@x.example', '--cadence', 'Email first');
    expect(before.enrolled[0]!.dueAt).toBe(ms('2026-03-03T07:00:00Z')); // Tuesday morning
    expect(await cli.ok('settings', 'set', 'holidays', '2026-03-03, 2026-12-25')).toBe('Set holidays = 2026-03-03, 2026-12-25.\n');
    expect(JSON.parse(storedSettings(cli).settings).holidays).toEqual(['2026-03-03', '2026-12-25']);
    expect(await cli.ok('settings')).toContain('Holidays: 2026-03-03, 2026-12-25');
    const after = await cli.json<EnrollReport>('enroll', 'p2@x.example', '--cadence', 'Email first');
    expect(after.enrolled[0]!.dueAt).toBe(ms('2026-03-04T07:00:00Z')); // Wednesday: Tuesday is a holiday

    cli.at('2026-03-03T10:00:00Z');
    const p1 = (await cli.json<Queue>('today')).items.find((i) => i.email === 'p1@x.example')!;
    expect(p1.held).toEqual({ until: ms('2026-03-04T08:00:00Z'), reasons: ['held: 2026-03-03 is a holiday in UTC', 'held: quiet hours in UTC (07:00 local)'] });
    // A touch logged on Monday: "one business day later" skips the holiday too.
    cli.at('2026-03-02T18:00:00Z');
    const log = await cli.json<{ enrollment: { after: { dueAt: number } } }>('log', 'p1@x.example', '--channel', 'email', '--outcome', 'sent');
    expect(log.enrollment.after.dueAt).toBe(ms('2026-03-04T18:00:00Z'));
  });

  it('set: a call window change moves a call', async () => {
    cli.at('2026-03-02T10:00:00Z');
    const early = await cli.json<EnrollReport>('enroll', 'p3@x.example', '--cadence', 'Call first');
    expect(early.enrolled[0]!.dueAt).toBe(ms('2026-03-02T10:00:00Z'));
    await cli.ok('settings', 'set', 'windows.call', '13:00-17:00');
    expect((await cli.json<SettingsView>('settings')).settings.windows).toEqual({ call: { start: '13:00', end: '17:00' } });
    const late = await cli.json<EnrollReport>('enroll', 'p4@x.example', '--cadence', 'Call first');
    expect(late.enrolled[0]!.dueAt).toBe(ms('2026-03-02T13:00:00Z'));
    const p3 = (await cli.json<Queue>('today')).items.find((i) => i.email === 'p3@x.example')!;
    expect(p3.held).toEqual({ until: ms('2026-03-02T13:00:00Z'), reasons: ['held: outside the call window in UTC (10:00 local; window 13:00–17:00)'] });
  });

  it('set: guardrails, minutes per channel, workdays, quiet hours and the time zone', async () => {
    await cli.ok('settings', 'set', 'guardrails.minGapBusinessDays', '3');
    await cli.ok('settings', 'set', 'guardrails.maxTouchesPerPerson7Days', '2');
    await cli.ok('settings', 'set', 'minutesPerChannel.call', '8');
    await cli.ok('settings', 'set', 'workdays', '1,2,3,4');
    await cli.ok('settings', 'set', 'guardrails.quietHours', 'null');
    const v = await cli.json<SettingsView>('settings', 'set', 'timezone', 'Europe/Paris');
    expect(v.timezone).toBe('Europe/Paris');
    const s = (await cli.json<SettingsView>('settings')).settings;
    expect(s).toMatchObject({ workdays: [1, 2, 3, 4], minutesPerChannel: { call: 8 } });
    expect(s.guardrails).toMatchObject({ minGapBusinessDays: 3, maxTouchesPerPerson7Days: 2, quietHours: null });
    expect(storedSettings(cli).timezone).toBe('Europe/Paris');
    const text = await cli.ok('settings');
    expect(text).toContain('Time zone: Europe/Paris');
    expect(text).toContain('at least 3 business days between touches to one person; at most 2 per person per 7 days');
    expect(text).toContain('quiet hours off');
  });

  it.each([
    [['foo', '3'], /field foo: unknown setting "foo"/],
    [['toString', '3'], /field toString: unknown setting "toString"/],
    [['guardrails.bogus', '3'], /field guardrails: invalid value for guardrails\.bogus: .*"bogus"/],
    [['windows.fax', '09:00-10:00'], /field windows: invalid value for windows\.fax: .*"fax"/],
    [['windows.call', '25:00-26:00'], /field windows\.call\.start: invalid value for windows\.call: time must be HH:mm/],
    [['windows.call', '24:30-24:45'], /field windows\.call\.start: invalid value for windows\.call: time must be HH:mm/],
    [['windows.call', 'nine-five'], /field windows\.call: invalid value for windows\.call/],
    [['windows.call', '17:00-09:00'], /field windows\.call\.end: invalid value for windows\.call: a sending window must end after it starts/],
    [['guardrails.quietHours', '22:00-7:00'], /field guardrails\.quietHours\.end: invalid value for guardrails\.quietHours: expected a local time "HH:mm"/],
    [['guardrails.minGapBusinessDays', 'abc'], /field guardrails\.minGapBusinessDays: invalid value/],
    [['guardrails.minGapBusinessDays', '-1'], /field guardrails\.minGapBusinessDays: invalid value/],
    [['holidays', '2026-13-01x'], /field holidays\.0: invalid value for holidays: holiday must be YYYY-MM-DD/],
    [['workdays', '1,9'], /field workdays\.1: invalid value for workdays/],
    [['minutesPerChannel.call', '0'], /field minutesPerChannel\.call: invalid value/],
    [['timezone', 'Mars/Olympus'], /field timezone: unknown time zone "Mars\/Olympus"/],
  ])('set %j → exit 2 naming the field, nothing changed', async (args, message) => {
    const before = storedSettings(cli);
    const r = await cli.run('settings', 'set', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(storedSettings(cli)).toEqual(before);
    // The workspace still works afterwards.
    expect((await cli.run('today')).code).toBe(0);
  });
});

describe('settings stored before a rule got stricter', () => {
  it('fall back to the default for the bad value instead of locking the workspace out', async () => {
    const cli = await workspace('stored', '2026-03-02T10:00:00Z', 'email\nq@x.example\n');
    const conn = new Database(cli.db);
    try {
      const bad = { windows: { call: { start: '24:30', end: '24:45' }, email: { start: '08:00', end: '18:00' } }, guardrails: { minGapBusinessDays: 3 } };
      conn.prepare('update workspaces set settings = ?').run(JSON.stringify(bad));
    } finally {
      conn.close();
    }
    const v = await cli.json<SettingsView>('settings');
    expect(v.settings.windows).toEqual({ email: { start: '08:00', end: '18:00' } });
    expect(v.settings.guardrails.minGapBusinessDays).toBe(3);
    expect((await cli.run('today')).code).toBe(0);
    await cli.ok('settings', 'set', 'windows.call', '10:00-16:00');
    expect((await cli.json<SettingsView>('settings')).settings.windows).toEqual({ email: { start: '08:00', end: '18:00' }, call: { start: '10:00', end: '16:00' } });
  });
});

describe('tally nurture', () => {
  const TWO_STEP = `name: Two step
nurture: ${NURTURE_CADENCE_NAME}
steps:
  - { channel: email, delay: 0, name: Hello, value_item: a benchmark }
  - { channel: call, delay: 2, name: Call, value_item: the benchmark walked through }
`;
  const PEOPLE = 'email,name,company\namy@a.example,Amy Adams,Acme\nben@b.example,Ben Brown,Bolt\ncal@c.example,Cal Cole,Core\n';
  let cli: TallyCli;
  let id: Record<string, number>;
  const enrollmentId = (prospect: number) => query<{ id: number }>(cli.db, 'select id from enrollments where prospect_id = ? order by id limit 1', prospect)[0]!.id;

  it('proposes a nurture when a cadence ends with no reply, and none after a reply', async () => {
    cli = await workspace('nurture', '2026-03-02T10:00:00Z', PEOPLE, [TWO_STEP]);
    id = ids(cli);
    await cli.ok('enroll', 'amy@a.example', 'ben@b.example', 'cal@c.example', '--cadence', 'Two step');
    for (const who of ['amy@a.example', 'ben@b.example', 'cal@c.example']) await cli.ok('log', who, '--channel', 'email', '--outcome', 'sent');
    expect(await cli.json<NurtureProposal[]>('nurture')).toEqual([]); // nobody finished yet
    cli.at('2026-03-04T10:00:00Z');
    await cli.ok('log', 'amy@a.example', '--channel', 'call', '--outcome', 'no_answer');
    await cli.ok('log', 'ben@b.example', '--channel', 'call', '--outcome', 'replied');
    await cli.ok('log', 'cal@c.example', '--channel', 'call', '--outcome', 'no_answer');
    expect(query(cli.db, 'select prospect_id, status from enrollments order by prospect_id')).toEqual([
      { prospect_id: id.amy, status: 'finished' },
      { prospect_id: id.ben, status: 'replied' },
      { prospect_id: id.cal, status: 'finished' },
    ]);

    const proposals = await cli.json<NurtureProposal[]>('nurture');
    const start = ms('2026-03-18T10:00:00Z'); // ten business days after the last touch
    expect(proposals).toEqual(
      ['amy', 'cal'].map((who) => ({
        enrollmentId: enrollmentId(id[who]!),
        prospectId: id[who],
        name: who === 'amy' ? 'Amy Adams' : 'Cal Cole',
        finishedCadence: 'Two step',
        touches: 2,
        endedAt: ms('2026-03-04T10:00:00Z'),
        decision: {
          propose: true,
          cadence: NURTURE_CADENCE_NAME,
          startAt: start,
          message: `${who === 'amy' ? 'Amy Adams' : 'Cal Cole'} finished Two step after 2 touches with no reply: move them to ${NURTURE_CADENCE_NAME} in 10 business days instead of dropping them`,
        },
      })),
    );
    const text = await cli.ok('nurture');
    expect(text).toContain(`enrollment #${enrollmentId(id.amy!)}: Amy Adams finished Two step after 2 touches with no reply: move them to Tally nurture in 10 business days instead of dropping them (from Wed 18 Mar 10:00)`);
    expect(text).not.toContain('Ben Brown');
  });

  it('counts them as given up too early until they are nurtured', async () => {
    expect((await cli.json<StatsReport>('stats')).droppedBeforeFive).toBe(2);
  });

  it('--accept enrolls them in the nurture cadence from the proposed start; stats no longer count them as dropped', async () => {
    const amy = enrollmentId(id.amy!);
    const r = await cli.json<NurtureResult>('nurture', '--accept', String(amy));
    expect(r.declined).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(r.accepted).toHaveLength(1);
    const accepted = r.accepted[0]!;
    expect(accepted).toMatchObject({ enrollmentId: amy, prospectId: id.amy, cadence: NURTURE_CADENCE_NAME, startAt: ms('2026-03-18T10:00:00Z') });

    const rows = query<{ id: number; cadence: string; status: string; due_at: number; follows_enrollment_id: number | null }>(
      cli.db,
      'select e.id, c.name as cadence, e.status, e.due_at, e.follows_enrollment_id from enrollments e join cadences c on c.id = e.cadence_id where e.prospect_id = ? and e.status = ?',
      id.amy,
      'active',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cadence: NURTURE_CADENCE_NAME, status: 'active', follows_enrollment_id: amy });
    expect(rows[0]!.due_at).toBeGreaterThanOrEqual(accepted.startAt);
    expect(accepted.dueAt).toBe(rows[0]!.due_at);
    expect(query(cli.db, 'select nurture from enrollments where id = ?', amy)).toEqual([{ nurture: 'accepted' }]);

    expect((await cli.json<StatsReport>('stats')).droppedBeforeFive).toBe(1); // only Cal now
    expect((await cli.json<NurtureProposal[]>('nurture')).map((p) => p.prospectId)).toEqual([id.cal]);
    // Accepting again does nothing.
    const again = await cli.json<NurtureResult>('nurture', '--accept', String(amy));
    expect(again).toEqual({ accepted: [], declined: [], skipped: [{ enrollmentId: amy, reason: 'no open nurture proposal for this enrollment' }] });
    expect(count(cli.db, 'enrollments', 'prospect_id = ?', id.amy)).toBe(2);
  });

  it('the text output says when the nurture starts and when its first touch is due', async () => {
    // A fresh finished prospect, accepted through the text output.
    const c2 = await workspace('nurture-text', '2026-03-02T10:00:00Z', PEOPLE, [TWO_STEP]);
    await c2.ok('enroll', 'amy@a.example', '--cadence', 'Two step');
    await c2.ok('log', 'amy@a.example', '--channel', 'email', '--outcome', 'sent');
    c2.at('2026-03-04T10:00:00Z');
    await c2.ok('log', 'amy@a.example', '--channel', 'call', '--outcome', 'no_answer');
    const out = await c2.ok('nurture', '--accept', '--all');
    const due = query<{ due_at: number }>(c2.db, "select due_at from enrollments where status = 'active'")[0]!.due_at;
    expect(due).toBe(ms('2026-03-18T10:00:00Z')); // the nurture's first touch is due when it starts
    expect(out).toBe('#1 → Tally nurture from Wed 18 Mar 10:00\n');
  });

  it('--decline removes the proposal and leaves the prospect out of any cadence', async () => {
    const cal = enrollmentId(id.cal!);
    expect(await cli.ok('nurture', '--decline', String(cal))).toBe('Declined 1 proposal(s).\n');
    expect(query(cli.db, 'select nurture from enrollments where id = ?', cal)).toEqual([{ nurture: 'declined' }]);
    expect(await cli.json<NurtureProposal[]>('nurture')).toEqual([]);
    expect(await cli.ok('nurture')).toContain('No open nurture proposals');
    expect(count(cli.db, 'enrollments', 'prospect_id = ?', id.cal)).toBe(1);
    expect((await cli.json<StatsReport>('stats')).droppedBeforeFive).toBe(1);
  });

  it.each([
    [['--accept'], /name the enrollment ids, or use --all/],
    [['--accept', '--decline', '1'], /choose --accept or --decline, not both/],
    [['--accept', 'abc'], /enrollment ids are whole numbers, got "abc"/],
  ])('nurture %j → exit 2', async (args, message) => {
    const before = count(cli.db, 'enrollments');
    const r = await cli.run('nurture', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(count(cli.db, 'enrollments')).toBe(before);
  });
});

describe('stats: gave up too early', () => {
  it('counts prospects with 1–4 touches, no answer of any kind and no live enrollment', async () => {
    const QUICK = `name: Quick
steps:
  - { channel: email, delay: 0, name: One, value_item: a benchmark }
  - { channel: email, delay: 1, name: Two, value_item: a resource }
  - { channel: email, delay: 1, name: Three, value_item: a case study }
`;
    const people = ['email,name', ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((x) => `${x}@p.example,${x.toUpperCase()} Person`)].join('\n');
    const cli = await workspace('dropped', '2026-03-02T09:00:00Z', `${people}\n`, [QUICK]);
    await cli.ok('enroll', 'a@p.example', 'b@p.example', 'e@p.example', 'f@p.example', 'g@p.example', '--cadence', 'Quick');
    const log = async (who: string, outcomes: string[]) => {
      for (const [i, outcome] of outcomes.entries()) {
        cli.at(new Date(ms('2026-03-02T09:00:00Z') + i * 3_600_000).toISOString());
        await cli.ok('log', `${who}@p.example`, '--channel', 'email', '--outcome', outcome);
      }
    };
    await log('a', ['sent']); // a: one touch, then unenrolled → dropped
    cli.at('2026-03-02T12:00:00Z');
    await cli.ok('unenroll', 'a@p.example');
    await log('b', ['sent', 'sent', 'sent']); // b: ran the whole cadence, 3 touches, no reply → dropped
    await log('c', ['sent', 'no_answer', 'sent', 'left_voicemail']); // c: four touches outside any cadence → dropped
    await log('d', ['sent', 'no_answer', 'sent', 'no_answer', 'sent']); // d: five touches → persistent, not dropped
    await log('e', ['sent', 'sent']); // e: still live → not dropped
    await log('f', ['sent', 'not_interested']); // f: answered → not dropped
    await log('g', ['replied']); // g: replied → not dropped
    // h: never touched → not dropped.
    const s = await cli.json<StatsReport>('stats');
    expect(s).toMatchObject({ prospects: 8, touched: 7, replies: 1, droppedBeforeFive: 3 });
    expect(query(cli.db, "select count(*) as n from enrollments where status in ('active', 'paused', 'snoozed')")).toEqual([{ n: 1 }]);
  });
});
