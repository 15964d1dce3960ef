import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { EnrollReport, Transition } from '../../src/app/enrollments.ts';
import type { ProspectView } from '../../src/app/prospects.ts';
import type { Queue } from '../../src/app/queue.ts';
import type { LogTouchResult } from '../../src/app/touches.ts';
import { DEFAULT_CADENCE_NAME } from '../../src/core/default-cadences.ts';
import { outcomesAllowed } from '../../src/core/channels/index.ts';
import { hasStackTrace, TallyCli } from '../helpers/cli.ts';
import { count, query } from '../helpers/db.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();
const ms = (iso: string) => Date.parse(iso);

const CADENCE = `name: Three step
steps:
  - channel: email
    delay: 0
    name: Opening email
    value_item: a benchmark of their team against peers
    talking_points: [Lead with their problem, Ask one question]
  - channel: call
    delay: 2 business days
    name: Follow-up call
    value_item: the benchmark walked through in five minutes
    talking_points: [Permission opener]
  - channel: email
    delay: 1
    name: Break-up email
    value_item: a polite close with a resource
`;

const CALL_FIRST = `name: Call first
steps:
  - channel: call
    delay: 0
    name: Cold call
    value_item: a question about their hiring plans
  - channel: email
    delay: 1
    name: Recap
    value_item: a recap of the call
`;

const PEOPLE = `email,first_name,last_name,company,title,priority,phone
amy@acme.example,Amy,Adams,Acme,VP Sales,0,+1 555 0101
ben@acme.example,Ben,Brown,Acme,CFO,2,+1 555 0102
cal@globex.example,Cal,Cole,Globex,CTO,0,+1 555 0103
dee@globex.example,Dee,Diaz,Globex,COO,0,
eli@initech.example,Eli,Evans,Initech,Founder,1,
fay@initech.example,Fay,Ford,Initech,Analyst,0,
gil@umbrella.example,Gil,Gray,Umbrella,CEO,0,
`;

let cli: TallyCli;
const id: Record<string, number> = {};

beforeAll(async () => {
  // Monday 2 March 2026, 10:00 in the workspace's zone (UTC).
  cli = new TallyCli(join(dir, 'queue.db'), '2026-03-02T10:00:00Z');
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example', '--user-name', 'Me');
  await cli.ok('import', 'prospects', writeFile(dir, 'people.csv', PEOPLE));
  await cli.ok('cadence', 'add', writeFile(dir, 'three.yaml', CADENCE));
  await cli.ok('cadence', 'add', writeFile(dir, 'call-first.yaml', CALL_FIRST));
  for (const r of query<{ id: number; email: string }>(cli.db, 'select id, email from prospects')) id[r.email.split('@')[0]!] = r.id;
});

describe('tally enroll', () => {
  it('by ids and emails, with a --json report', async () => {
    cli.at('2026-03-02T10:00:00Z');
    const r = await cli.json<EnrollReport>('enroll', String(id.amy), 'CAL@globex.example', '--cadence', 'Three step');
    expect(r).toMatchObject({ cadence: 'Three step', version: 1, skipped: [] });
    expect(r.enrolled.map((e) => [e.prospectId, e.dueAt])).toEqual([
      [id.amy, ms('2026-03-02T10:00:00Z')],
      [id.cal, ms('2026-03-02T10:00:00Z')],
    ]);
  });

  it('by --where company=… (any case), skipping those already enrolled', async () => {
    cli.at('2026-03-03T07:30:00Z'); // Tuesday, before the call window opens
    const out = await cli.ok('enroll', '--where', 'company=ACME', '--cadence', 'Three step');
    expect(out).toContain('Enrolled 1 of 2 in "Three step" v1.');
    expect(out).toContain('Skipped 1: already in cadence "Three step"');
    expect(count(cli.db, 'enrollments', 'prospect_id = ?', id.ben)).toBe(1);
    expect(count(cli.db, 'enrollments', 'prospect_id = ?', id.amy)).toBe(1);
  });

  it('by --csv, warning about unknown rows', async () => {
    cli.at('2026-03-03T07:30:00Z');
    const f = writeFile(dir, 'enroll.csv', 'Email\ndee@globex.example\nELI@INITECH.EXAMPLE\nnobody@nowhere.example\n');
    const r = await cli.run('--json', 'enroll', '--csv', f, '--cadence', 'Call first');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/enroll\.csv:4: unknown prospect "nobody@nowhere\.example" \(skipped\)/);
    const report = JSON.parse(r.stdout) as EnrollReport;
    expect(report.enrolled.map((e) => e.prospectId)).toEqual([id.dee, id.eli]);
    // A first call is due when the call window opens, 09:00 in the prospect's zone.
    expect(report.enrolled[0]!.dueAt).toBe(ms('2026-03-03T09:00:00Z'));
  });

  it('skips opted-out prospects', async () => {
    await cli.ok('log', 'gil@umbrella.example', '--channel', 'email', '--outcome', 'opted_out');
    const r = await cli.json<EnrollReport>('enroll', 'gil@umbrella.example');
    expect(r.enrolled).toEqual([]);
    expect(r.skipped).toEqual([{ prospectId: id.gil, reason: 'opted out' }]);
  });

  it.each([
    [[], 2, /say who to enroll/],
    [['amy@acme.example', '--where', 'company=Acme'], 2, /one of them/],
    [['--where', 'colour=blue'], 2, /unknown field "colour"/],
    [['--where', 'company'], 2, /bad filter "company"/],
    [['--where', 'company=Nobody Inc'], 1, /no prospects match/],
    [['fay@initech.example', '--cadence', 'No such cadence'], 1, /unknown cadence "No such cadence"/],
    [['nobody@nowhere.example'], 1, /unknown prospect "nobody@nowhere\.example"/],
  ])('enroll %j → exit %i', async (args, code, message) => {
    const before = count(cli.db, 'enrollments');
    const r = await cli.run('enroll', ...args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(count(cli.db, 'enrollments')).toBe(before);
  });
});

describe('tally today', () => {
  it('puts overdue touches first (hottest first), then today in time order, with value items and talking points', async () => {
    cli.at('2026-03-03T08:30:00Z'); // Tuesday 08:30
    const q = await cli.json<Queue>('today');
    // Overdue: amy and cal since Monday 10:00, ben since 07:30 (priority 2). Due today: dee, eli at 09:00 (eli priority 1).
    expect(q.items.map((i) => [i.email, i.overdue])).toEqual([
      ['ben@acme.example', true],
      ['amy@acme.example', true],
      ['cal@globex.example', true],
      ['eli@initech.example', false],
      ['dee@globex.example', false],
    ]);
    expect(q).toMatchObject({ owner: 'Me', total: 5, overdue: 3, until: ms('2026-03-03T23:59:59.999Z') });
    expect(q.items[1]).toMatchObject({
      enrollmentId: expect.any(Number),
      prospectId: id.amy,
      name: 'Amy Adams',
      email: 'amy@acme.example',
      phone: '+1 555 0101',
      title: 'VP Sales',
      company: 'Acme',
      timezone: null,
      priority: 0,
      cadence: 'Three step',
      step: 1,
      steps: 3,
      stepName: 'Opening email',
      channel: 'email',
      dueAt: ms('2026-03-02T10:00:00Z'),
      overdue: true,
      status: 'active',
      reason: 'a benchmark of their team against peers',
      talkingPoints: ['Lead with their problem', 'Ask one question'],
      subject: null,
      touches: 0,
    });
    expect(q.items[3]).toMatchObject({ channel: 'call', stepName: 'Cold call', reason: 'a question about their hiring plans', dueAt: ms('2026-03-03T09:00:00Z') });

    const text = await cli.ok('today');
    expect(text).toContain('5 touches due for Me (3 overdue).');
    expect(text).toContain('Why it helps: a benchmark of their team against peers');
    expect(text).toContain('• Lead with their problem');
    expect(text).toMatch(/due Mon 2 Mar 10:00 \(22h overdue\)/);
    expect(text.indexOf('ben@acme.example')).toBeLessThan(text.indexOf('amy@acme.example'));
    expect(text.indexOf('cal@globex.example')).toBeLessThan(text.indexOf('eli@initech.example'));
  });

  it('--limit shows fewer but counts all', async () => {
    cli.at('2026-03-03T08:30:00Z');
    const q = await cli.json<Queue>('today', '--limit', '2');
    expect(q.items).toHaveLength(2);
    expect(q.total).toBe(5);
    expect(await cli.ok('today', '--limit', '2')).toContain('5 touches due for Me (3 overdue); showing 2.');
  });
});

describe('tally log', () => {
  it('advances to the next step and schedules it in the future, in the step\'s window', async () => {
    cli.at('2026-03-03T08:30:00Z');
    const r = await cli.json<LogTouchResult>('log', 'amy@acme.example', '--channel', 'email', '--outcome', 'sent', '--note', 'sent the benchmark');
    expect(r.prospectId).toBe(id.amy);
    expect(r.tally).toBe(1);
    const t = r.enrollment!;
    expect(t.before).toMatchObject({ stepIndex: 0, status: 'active' });
    expect(t.after).toMatchObject({ stepIndex: 1, status: 'active', touches: 1, lastTouchAt: ms('2026-03-03T08:30:00Z') });
    // Two business days after Tuesday 08:30 is Thursday 08:30; calls start at 09:00.
    expect(t.after.dueAt).toBe(ms('2026-03-05T09:00:00Z'));
    expect(t.nextStep).toMatchObject({ name: 'Follow-up call', channel: 'call' });

    const text = await cli.ok('log', 'cal@globex.example', '--channel', 'email', '--outcome', 'sent');
    expect(text).toContain(`Logged email → sent for #${id.cal}.  |  1`);
    expect(text).toContain('Three step: active; next step 2: Follow-up call [call] due Thu 5 Mar 09:00.');

    const q = await cli.json<Queue>('today');
    expect(q.items.map((i) => i.email)).not.toContain('amy@acme.example');
    expect(q.total).toBe(3);
  });

  it('the last step without a reply finishes the cadence', async () => {
    cli.at('2026-03-05T09:30:00Z');
    await cli.ok('log', 'amy@acme.example', '--channel', 'call', '--outcome', 'no_answer');
    cli.at('2026-03-06T10:00:00Z');
    const r = await cli.json<LogTouchResult>('log', 'amy@acme.example', '--channel', 'email', '--outcome', 'sent');
    expect(r.tally).toBe(3);
    expect(r.enrollment!.after).toMatchObject({ status: 'finished', stepIndex: 3, dueAt: null, endedAt: ms('2026-03-06T10:00:00Z') });
    expect(r.enrollment!.after.reason).toMatch(/no reply after 3 touches/);
  });

  it.each([
    ['replied', 'replied'],
    ['meeting_booked', 'replied'],
    ['not_interested', 'finished'],
    ['bad_contact', 'bounced'],
  ])('terminal outcome %s stops the enrollment (%s)', async (outcome, status) => {
    // A fresh prospect each time: import, enroll, log.
    cli.at('2026-03-09T10:00:00Z');
    const email = `t-${outcome}@stop.example`;
    await cli.ok('import', 'prospects', writeFile(dir, `${outcome}.csv`, `email\n${email}\n`));
    await cli.ok('enroll', email, '--cadence', 'Three step');
    const r = await cli.json<LogTouchResult>('log', email, '--channel', 'email', '--outcome', outcome);
    expect(r.enrollment!.after).toMatchObject({ status, dueAt: null, endedAt: ms('2026-03-09T10:00:00Z') });
    const view = await cli.json<ProspectView>('show', email);
    expect(view.enrollments[0]).toMatchObject({ status, dueAt: null });
    expect((await cli.json<Queue>('today')).items.map((i) => i.email)).not.toContain(email);
    if (outcome === 'bad_contact') expect(view.prospect.email_status).toBe('bad');
  });

  it('opted_out opts the prospect out everywhere', async () => {
    cli.at('2026-03-09T11:00:00Z');
    const r = await cli.json<LogTouchResult>('log', 'cal@globex.example', '--channel', 'call', '--outcome', 'opted_out', '--note', 'asked to be removed');
    expect(r.enrollment!.after).toMatchObject({ status: 'opted_out', dueAt: null });
    expect(query(cli.db, 'select opted_out_at from prospects where id = ?', id.cal)).toEqual([{ opted_out_at: ms('2026-03-09T11:00:00Z') }]);
    expect(count(cli.db, 'enrollments', "prospect_id = ? and status in ('active','paused','snoozed')", id.cal)).toBe(0);
    const again = await cli.json<EnrollReport>('enroll', 'cal@globex.example', '--cadence', 'Call first');
    expect(again.skipped).toEqual([{ prospectId: id.cal, reason: 'opted out' }]);
    expect(await cli.ok('show', 'cal@globex.example')).toContain('OPTED OUT');
  });

  it('a touch to a prospect in no cadence goes in the tally only', async () => {
    const out = await cli.ok('log', 'fay@initech.example', '--channel', 'linkedin', '--outcome', 'sent');
    expect(out).toContain('Not in a cadence: logged in the tally only');
    expect(count(cli.db, 'touches', 'prospect_id = ? and enrollment_id is null', id.fay)).toBe(1);
  });

  it('--at logs a touch in the past; one in the future is refused', async () => {
    cli.at('2026-03-09T12:00:00Z');
    const r = await cli.json<LogTouchResult>('log', 'fay@initech.example', '--channel', 'call', '--outcome', 'no_answer', '--at', '2026-03-09T08:15');
    expect(query(cli.db, 'select occurred_at from touches where id = ?', r.touchId)).toEqual([{ occurred_at: ms('2026-03-09T08:15:00Z') }]);
    const future = await cli.run('log', 'fay@initech.example', '--channel', 'call', '--outcome', 'no_answer', '--at', '2026-03-10T08:00');
    expect(future.code).toBe(1);
    expect(future.stderr).toMatch(/cannot be logged in the future/);
  });

  it('an unknown outcome: exit 1 listing the outcomes, nothing written', async () => {
    const before = count(cli.db, 'touches');
    const r = await cli.run('log', 'eli@initech.example', '--channel', 'call', '--outcome', 'ghosted');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`unknown outcome "ghosted" (use one of: ${outcomesAllowed('call').join(', ')})`);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(count(cli.db, 'touches')).toBe(before);
  });

  it('outcomes are forgiving about case, spaces and dashes', async () => {
    cli.at('2026-03-09T12:00:00Z');
    const r = await cli.json<LogTouchResult>('log', 'eli@initech.example', '--channel', 'CALL', '--outcome', 'Left-Voicemail');
    expect(query(cli.db, 'select channel, outcome from touches where id = ?', r.touchId)).toEqual([{ channel: 'call', outcome: 'left_voicemail' }]);
  });

  it('an unknown channel or prospect: exit 1', async () => {
    const ch = await cli.run('log', 'eli@initech.example', '--channel', 'fax', '--outcome', 'sent');
    expect(ch.code).toBe(1);
    expect(ch.stderr).toMatch(/unknown channel "fax" \(use one of: email, call, linkedin, sms, task\)/);
    for (const ref of ['nobody@nowhere.example', '99999']) {
      const r = await cli.run('log', ref, '--channel', 'email', '--outcome', 'sent');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`unknown prospect "${ref}"`);
    }
  });

  it('missing --channel or --outcome: exit 2', async () => {
    expect((await cli.run('log', 'eli@initech.example', '--outcome', 'sent')).code).toBe(2);
    expect((await cli.run('log', 'eli@initech.example', '--channel', 'email')).code).toBe(2);
  });
});

describe('tally snooze, pause, resume, unenroll', () => {
  it('snooze pushes the touch to the date; it comes back in the queue then', async () => {
    cli.at('2026-03-09T12:00:00Z'); // Monday
    const t = await cli.json<Transition>('snooze', 'dee@globex.example', '--until', '2026-03-16', '--reason', 'out of office');
    expect(t.after).toMatchObject({ status: 'snoozed', reason: 'snoozed: out of office', dueAt: ms('2026-03-16T09:00:00Z') });
    expect((await cli.json<Queue>('today')).items.map((i) => i.email)).not.toContain('dee@globex.example');
    const later = await cli.json<Queue>('today', '--days', '7');
    expect(later.items.find((i) => i.email === 'dee@globex.example')).toMatchObject({ status: 'snoozed', dueAt: ms('2026-03-16T09:00:00Z') });
    cli.at('2026-03-16T09:05:00Z');
    expect(await cli.ok('today')).toMatch(/due Mon 16 Mar 09:00 \(5m overdue\) · back from snooze/);
  });

  it('snooze understands relative dates and refuses bad ones', async () => {
    cli.at('2026-03-16T10:00:00Z');
    const t = await cli.json<Transition>('snooze', 'dee@globex.example', '--until', '3d');
    expect(t.after.dueAt).toBe(ms('2026-03-19T10:00:00Z'));
    const bad = await cli.run('snooze', 'dee@globex.example', '--until', 'someday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot read the date "someday"/);
    const past = await cli.run('snooze', 'dee@globex.example', '--until', '2026-03-01');
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/future/);
  });

  it('pause takes the prospect out of the queue until resume', async () => {
    cli.at('2026-03-20T10:00:00Z');
    expect((await cli.json<Queue>('today')).items.map((i) => i.email)).toContain('dee@globex.example');
    const p = await cli.json<Transition>('pause', 'dee@globex.example', '--reason', 'on parental leave');
    expect(p.after).toMatchObject({ status: 'paused', reason: 'paused: on parental leave' });
    expect((await cli.json<Queue>('today', '--days', '30')).items.map((i) => i.email)).not.toContain('dee@globex.example');
    expect(await cli.ok('show', 'dee@globex.example')).toContain('paused (paused: on parental leave)');

    const twice = await cli.run('pause', 'dee@globex.example');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/already paused/);

    cli.at('2026-03-23T10:00:00Z');
    const r = await cli.json<Transition>('resume', 'dee@globex.example');
    expect(r.after).toMatchObject({ status: 'active', reason: null });
    expect(r.after.dueAt).toBeGreaterThanOrEqual(ms('2026-03-23T10:00:00Z'));
    expect((await cli.json<Queue>('today')).items.map((i) => i.email)).toContain('dee@globex.example');

    const again = await cli.run('resume', 'dee@globex.example');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not paused or snoozed/);
  });

  it('unenroll ends the cadence; a second unenroll is refused', async () => {
    cli.at('2026-03-23T11:00:00Z');
    const out = await cli.ok('unenroll', 'dee@globex.example', '--reason', 'bought from a competitor');
    expect(out).toContain('Call first: finished (unenrolled: bought from a competitor).');
    expect((await cli.json<Queue>('today', '--days', '30')).items.map((i) => i.email)).not.toContain('dee@globex.example');
    const again = await cli.run('unenroll', 'dee@globex.example');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/not in a cadence/);
    // Once out, the prospect can be enrolled again.
    const re = await cli.json<EnrollReport>('enroll', 'dee@globex.example', '--cadence', DEFAULT_CADENCE_NAME);
    expect(re.enrolled).toHaveLength(1);
  });
});
