// The settings pages' API (issue 18): profile and signature, follow-up blocks, the private calendar
// feed read by ical.js, the workspace settings from the guardrail registry, the mailbox form, and
// invitations mailed through the workspace's mailbox without duplicates. Who may call what is
// walked for every route in access.test.ts; here, what each does and whom it refuses.
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUARDRAIL_RULES } from '../../src/core/guardrails/index.ts';
import { hashSecret } from '../../src/app/secrets-hash.ts';
import { startSmtp, type SmtpCapture } from '../helpers/smtp.ts';
import { Client, demoWorld, PASSWORD, type World } from './harness.ts';

let w: World;
let smtp: SmtpCapture;

beforeAll(async () => {
  w = await demoWorld();
  smtp = await startSmtp({ user: 'you@demo.tally', password: 'smtp-secret' });
});
afterAll(async () => smtp.stop());

/** The raw mail with quoted-printable soft line breaks joined, so a long link reads whole. */
const unfold = (raw: string) => raw.replace(/=\r?\n/g, '');

const mailboxBody = () => ({
  smtpHost: smtp.host, smtpPort: smtp.port, smtpTls: 'none', user: 'you@demo.tally', password: 'smtp-secret', fromName: 'Morgan at Acme', fromAddress: 'you@demo.tally', dailyLimit: 150, minSpacingSeconds: 20,
});

describe('my profile', () => {
  it('changes the name, zone and signature, and says which field is wrong in words', async () => {
    const before = await w.sam.get('/api/settings/profile');
    expect(before.body).toMatchObject({ email: 'sam@demo.tally', timezone: 'America/Chicago', workspaceTimezone: 'America/New_York', signature: null });
    const saved = await w.sam.req('PUT', '/api/settings/profile', { body: { name: 'Sam Rivera', timezone: 'Europe/Lisbon', signature: 'Sam Rivera\nAccount Executive, Acme\n+1 555 0100\r\n\n' } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ name: 'Sam Rivera', timezone: 'Europe/Lisbon', signature: 'Sam Rivera\nAccount Executive, Acme\n+1 555 0100' });
    expect((await w.sam.get('/api/auth/me')).body.user).toMatchObject({ name: 'Sam Rivera', timezone: 'Europe/Lisbon' });

    const zone = await w.sam.req('PUT', '/api/settings/profile', { body: { name: 'Sam', timezone: 'Mars/Olympus', signature: null } });
    expect(zone.status).toBe(400);
    expect(zone.body.error).toMatchObject({ field: 'timezone', message: expect.stringMatching(/unknown time zone "Mars\/Olympus"/) });
    const empty = await w.sam.req('PUT', '/api/settings/profile', { body: { name: '  ', timezone: null, signature: null } });
    expect(empty.body.error.field).toBe('name');
    // Nothing of a refused change was kept; priya's profile is her own.
    expect((await w.sam.get('/api/settings/profile')).body.name).toBe('Sam Rivera');
    expect((await w.priya.get('/api/settings/profile')).body.signature).toBeNull();
  });

  it('signs the emails the rep sends: each email of a cadence, as it would go out, ends with the signature', async () => {
    const messages = await w.sam.post('/api/cadences/messages', { cadence: 'Tally default outbound' });
    expect(messages.status, messages.text).toBe(200);
    const first = messages.body.steps.find((s: { draft: unknown }) => s.draft);
    expect(first.draft.text).toMatch(/\n\nSam Rivera\nAccount Executive, Acme\n\+1 555 0100\n\n--\nNot the right time\?/);
  });
});

describe('my follow-up blocks', () => {
  it('are added, moved and removed by their rep only', async () => {
    const add = await w.priya.post('/api/settings/blocks', { weekday: 2, start: '09:30', minutes: 60 });
    expect(add.status, add.text).toBe(201);
    const id = add.body.id as number;
    const moved = await w.priya.req('PUT', `/api/settings/blocks/${id}`, { body: { weekday: 4, start: '14:00', minutes: 45 } });
    expect(moved.body).toEqual({ id, weekday: 4, start: '14:00', minutes: 45 });
    const list = await w.priya.get('/api/settings/blocks');
    expect(list.body.items).toContainEqual({ id, weekday: 4, start: '14:00', minutes: 45 });
    expect(list.body.zone).toBe('Europe/London');

    // Sam can neither move nor remove priya's block, nor see it.
    expect((await w.sam.req('PUT', `/api/settings/blocks/${id}`, { body: { weekday: 1, start: '08:00', minutes: 30 } })).status).toBe(404);
    expect((await w.sam.req('DELETE', `/api/settings/blocks/${id}`)).status).toBe(404);
    expect((await w.sam.get('/api/settings/blocks')).body.items.map((b: { id: number }) => b.id)).not.toContain(id);
    expect((await w.priya.get('/api/settings/blocks')).body.items).toContainEqual({ id, weekday: 4, start: '14:00', minutes: 45 });

    const bad = await w.priya.post('/api/settings/blocks', { weekday: 2, start: '25:00', minutes: 60 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('start');
    expect((await w.priya.req('DELETE', `/api/settings/blocks/${id}`)).status).toBe(204);
    expect((await w.priya.get('/api/settings/blocks')).body.items.map((b: { id: number }) => b.id)).not.toContain(id);
  });
});

describe('the calendar feed', () => {
  it('serves the rep\'s blocks and planned touches at a private URL without a session, until rotated or revoked', async () => {
    const add = await w.sam.post('/api/settings/blocks', { weekday: 3, start: '10:00', minutes: 90 });
    expect(add.status).toBe(201);
    expect((await w.sam.get('/api/settings/blocks')).body.feed).toEqual({ createdAt: null });
    const made = await w.sam.post('/api/settings/calendar-feed');
    expect(made.status).toBe(201);
    expect(made.body.path).toBe(`/calendar/${made.body.token}.ics`);
    expect(made.body.token).toMatch(/^cal_[\w-]{40,}$/);
    expect((await w.sam.get('/api/settings/blocks')).body.feed.createdAt).toBe(made.body.createdAt);
    // Stored as its hash only.
    const stored = await w.store.db.selectFrom('calendar_feeds').select(['user_id', 'token_hash']).execute();
    expect(stored).toEqual([{ user_id: w.ids.sam, token_hash: hashSecret(made.body.token) }]);

    const res = await fetch(w.base + made.body.path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    expect(cal.getFirstPropertyValue('x-wr-calname')).toBe('Tally follow-up blocks — Sam Rivera');
    const events = cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.length).toBeGreaterThanOrEqual(2); // Wednesdays 10:00 over the next two weeks
    for (const e of events) {
      expect(e.startDate.zone.tzid).toBe('Europe/Lisbon'); // the rep's zone, from the profile
      expect([e.startDate.hour, e.startDate.minute]).toEqual([10, 0]);
      expect(e.summary).toMatch(/^Follow-up block: \d+ touch(es)?$/);
    }
    expect(events.some((e) => / · (call|email|linkedin|sms|task) · /.test(e.description))).toBe(true);

    // A new URL kills the old one; revoking kills the new one; a made-up one was never there.
    const next = await w.sam.post('/api/settings/calendar-feed');
    expect((await fetch(w.base + made.body.path)).status).toBe(404);
    expect((await fetch(w.base + next.body.path)).status).toBe(200);
    expect((await w.sam.req('DELETE', '/api/settings/calendar-feed')).status).toBe(204);
    const gone = await fetch(w.base + next.body.path);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('not_found');
    expect((await fetch(`${w.base}/calendar/cal_${'x'.repeat(43)}.ics`)).status).toBe(404);
    expect((await fetch(`${w.base}/calendar/${next.body.token}`)).status).toBe(404);
  });

  it('stops for a deactivated rep', async () => {
    const made = await w.priya.post('/api/settings/calendar-feed');
    expect((await fetch(w.base + made.body.path)).status).toBe(200);
    expect((await w.manager.post(`/api/team/members/${w.ids.priya}/deactivate`, { reassignTo: w.ids.manager })).status).toBe(200);
    expect((await fetch(w.base + made.body.path)).status).toBe(404);
    expect((await w.manager.post(`/api/team/members/${w.ids.priya}/reactivate`)).status).toBe(200);
    expect((await w.priya.post('/api/auth/login', { email: 'priya@demo.tally', password: PASSWORD })).status).toBe(200);
  });
});

describe('the workspace settings', () => {
  it('describe every guardrail from the registry, with its settings, units and bounds', async () => {
    const view = await w.manager.get('/api/settings/workspace');
    expect(view.status).toBe(200);
    expect(view.body.guardrails.map((g: { id: string }) => g.id)).toEqual(GUARDRAIL_RULES.map((r) => r.id));
    const gap = view.body.guardrails.find((g: { id: string }) => g.id === 'min_gap');
    expect(gap.fields).toEqual([{ key: 'minGapBusinessDays', label: 'Least time between two touches to one person', unitLabel: 'business days', kind: 'count', min: 0, max: 60, nullable: false, default: 2 }]);
    const quiet = view.body.guardrails.find((g: { id: string }) => g.id === 'quiet_hours');
    expect(quiet.fields[0]).toMatchObject({ key: 'quietHours', kind: 'time_range', nullable: true, default: { start: '20:00', end: '08:00' } });
    expect(view.body.windows.find((x: { channel: string }) => x.channel === 'call')).toEqual({ channel: 'call', label: 'Call', window: null, defaultWindow: { start: '09:00', end: '17:00' } });
  });

  it('are saved whole by a manager, checked before anything changes, and refused to a rep', async () => {
    const saved = await w.manager.req('PUT', '/api/settings/workspace', {
      body: { timezone: 'Europe/Paris', workdays: [1, 2, 3, 4], holidays: ['2026-12-25', '2026-12-24'], windows: { call: { start: '10:00', end: '16:00' } }, guardrails: { minGapBusinessDays: 3, quietHours: null } },
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ timezone: 'Europe/Paris', workdays: [1, 2, 3, 4], holidays: ['2026-12-24', '2026-12-25'] });
    expect(saved.body.windows.find((x: { channel: string }) => x.channel === 'call').window).toEqual({ start: '10:00', end: '16:00' });
    expect(saved.body.guardrails.find((g: { id: string }) => g.id === 'min_gap').settings).toEqual({ minGapBusinessDays: 3 });

    const backwards = await w.manager.req('PUT', '/api/settings/workspace', { body: { timezone: 'Asia/Tokyo', windows: { email: { start: '18:00', end: '08:00' } } } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error).toMatchObject({ field: 'windows.email.end', message: 'Sending window (email end): a sending window must end after it starts' });
    const tooMany = await w.manager.req('PUT', '/api/settings/workspace', { body: { guardrails: { maxTouchesPerPerson7Days: 0 } } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.field).toBe('guardrails.maxTouchesPerPerson7Days');
    // Neither refused change touched anything (the zone was in the first).
    const now = await w.manager.get('/api/settings/workspace');
    expect(now.body.timezone).toBe('Europe/Paris');
    expect(now.body.windows.find((x: { channel: string }) => x.channel === 'email').window).toBeNull();

    // A channel set back to null takes its default again.
    const reset = await w.manager.req('PUT', '/api/settings/workspace', { body: { windows: { call: null }, guardrails: { quietHours: { start: '21:00', end: '07:30' } } } });
    expect(reset.body.windows.find((x: { channel: string }) => x.channel === 'call').window).toBeNull();
    expect(reset.body.guardrails.find((g: { id: string }) => g.id === 'quiet_hours').summary).toBe('quiet hours 21:00–07:30');

    expect((await w.sam.get('/api/settings/workspace')).status).toBe(403);
    expect((await w.sam.req('PUT', '/api/settings/workspace', { body: { holidays: [] } })).body.error.code).toBe('forbidden');
  });

  it('include what Tally does with answers: the company-wide stop (off by default), out-of-office and sender-side pauses', async () => {
    const before = await w.manager.get('/api/settings/workspace');
    expect(before.body.answers).toEqual({ companyWideStop: false, autoReplyDefaultBusinessDays: 5, senderFailuresToPause: 5, senderFailureWindowHours: 24 });
    const on = await w.manager.req('PUT', '/api/settings/workspace', { body: { answers: { companyWideStop: true, autoReplyDefaultBusinessDays: 3 } } });
    expect(on.status, on.text).toBe(200);
    expect(on.body.answers).toMatchObject({ companyWideStop: true, autoReplyDefaultBusinessDays: 3, senderFailuresToPause: 5 });
    // The same setting the CLI's `tally settings` and the inbound effects read.
    const cli = await w.manager.get('/api/settings/workspace');
    expect(cli.body.answers.companyWideStop).toBe(true);
    const zero = await w.manager.req('PUT', '/api/settings/workspace', { body: { answers: { senderFailuresToPause: 0 } } });
    expect(zero.status).toBe(400);
    expect(zero.body.error.field).toBe('answers.senderFailuresToPause');
    const off = await w.manager.req('PUT', '/api/settings/workspace', { body: { answers: { companyWideStop: false } } });
    expect(off.body.answers.companyWideStop).toBe(false);
  });
});

describe('the mailbox form', () => {
  it('connects, shows the settings back without the password, keeps it on later saves, tests, pauses and resumes', async () => {
    const saved = await w.manager.req('PUT', '/api/mailbox', { body: mailboxBody() });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.mailbox.connection).toEqual({
      smtpHost: smtp.host, smtpPort: smtp.port, smtpTls: 'none', smtpUser: 'you@demo.tally', imapHost: null, imapPort: null, imapTls: null, imapUser: null, fromName: 'Morgan at Acme', fromAddress: 'you@demo.tally',
    });
    expect(saved.text).not.toContain('smtp-secret');
    const again = await w.manager.req('PUT', '/api/mailbox', { body: { ...mailboxBody(), password: undefined, dailyLimit: 90 } });
    expect(again.body.mailbox.dailyLimit).toBe(90);
    const test = await w.manager.post('/api/mailbox/test');
    expect(test.body).toEqual({ smtp: { ok: true, detail: `connected to ${smtp.host}:${smtp.port} and logged in as you@demo.tally` }, imap: null });
    expect(smtp.logins.at(-1)).toEqual({ user: 'you@demo.tally', password: 'smtp-secret' });

    const paused = await w.manager.post('/api/mailbox/pause');
    expect(paused.body.mailbox.paused.reason).toBe('paused by Morgan Manager.');
    expect((await w.manager.post('/api/mailbox/pause')).status).toBe(409);
    expect((await w.manager.post('/api/mailbox/resume')).body.mailbox.paused).toBeNull();

    const bad = await w.sam.req('PUT', '/api/mailbox', { body: { ...mailboxBody(), fromAddress: 'not an address' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('from');
    const noPassword = await w.sam.req('PUT', '/api/mailbox', { body: { ...mailboxBody(), password: undefined } });
    expect(noPassword.body.error.field).toBe('password');
    expect((await w.sam.get('/api/mailbox')).body.mailbox).toBeNull();
  });
});

describe('invitations', () => {
  it('are mailed through the workspace mailbox, renewed instead of duplicated, and resent with a new link', async () => {
    const sent = smtp.mails.length;
    const first = await w.manager.post('/api/auth/invites', { email: 'Kim@Example.com', name: 'Kim Park', role: 'rep' });
    expect(first.status, first.text).toBe(201);
    expect(first.body).toMatchObject({ email: 'kim@example.com', resent: false, mailed: true, mailError: null });
    expect(smtp.mails.length).toBe(sent + 1);
    const mail = { ...smtp.mails.at(-1)!, raw: unfold(smtp.mails.at(-1)!.raw) };
    expect(mail.to).toEqual(['kim@example.com']);
    expect(mail.raw).toMatch(/Subject: Morgan Manager invites you to Demo: Acme Sales on Tally/);
    expect(mail.raw).toContain(`http://127.0.0.1:3000/accept#${first.body.token}`);

    // The same address again: the open invitation gets a new link, no second one.
    const second = await w.manager.post('/api/auth/invites', { email: 'kim@example.com', name: 'Kim Park', role: 'manager' });
    expect(second.body).toMatchObject({ id: first.body.id, resent: true, mailed: true, role: 'manager' });
    expect(second.body.token).not.toBe(first.body.token);
    const open = (await w.manager.get('/api/team')).body.invites.filter((i: { email: string }) => i.email === 'kim@example.com');
    expect(open).toHaveLength(1);
    expect((await new Client(w.base).post('/api/auth/accept', { token: first.body.token, password: 'a long enough passphrase' })).status).toBe(400);

    const resent = await w.manager.post(`/api/auth/invites/${first.body.id}/resend`);
    expect(resent.body).toMatchObject({ id: first.body.id, resent: true, mailed: true });
    expect(smtp.mails.length).toBe(sent + 3);
    expect(unfold(smtp.mails.at(-1)!.raw)).toContain(resent.body.token);
    expect((await new Client(w.base).post('/api/auth/accept', { token: second.body.token, password: 'a long enough passphrase' })).status).toBe(400);
    const kim = new Client(w.base);
    const accepted = await kim.post('/api/auth/accept', { token: resent.body.token, password: 'a long enough passphrase' });
    expect(accepted.status, accepted.text).toBe(200);
    expect(accepted.body.user).toMatchObject({ email: 'kim@example.com', role: 'manager' });
    expect((await w.manager.post(`/api/auth/invites/${first.body.id}/resend`)).status).toBe(404);
  });
});
