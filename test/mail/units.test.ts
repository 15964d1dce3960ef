// The pure parts of the email channel: templates, threading, unsubscribe tokens, what inbound mail
// does, and the secret box.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideInbound, referencedMessageIds, subjectAddress } from '../../src/core/inbound/apply.ts';
import type { BounceInfo, Classification } from '../../src/core/inbound/classify.ts';
import { bounceEffect, isAddressLevel } from '../../src/core/inbound/reasons.ts';
import type { BounceReason } from '../../src/core/inbound/types.ts';
import { defaultScheduleRules } from '../../src/core/schedule.ts';
import { makeMessageId, planThread, replySubject } from '../../src/core/threading.ts';
import { listUnsubscribeHeaders, unsubscribeLinks, unsubscribeToken, verifyUnsubscribeToken } from '../../src/core/unsubscribe-token.ts';
import { decryptSecret, encryptSecret, keyFilePath, workspaceKey } from '../../src/store/secrets.ts';
import { composeMail, templateVars } from '../../src/core/mail-template.ts';
import { tempDir } from '../helpers/tmp.ts';

const links = unsubscribeLinks('w1.p2.abcdefghijklmnopqrstuv', 'rep@x.example', 'https://t.example/u');
const compose = (subject: string, body: string, fields: Record<string, string>) => composeMail({ subject, body, vars: { fields, value: {} }, fills: new Map(), unsubscribe: links });

describe('templates', () => {
  it('fills variables; the text part is plain, HTML (escaped) only for formatted templates', () => {
    const r = compose('For {{company}}', 'Hi {{first_name}} & team,\n\n{{plan}}', { first_name: 'Dana', company: 'A&B <Co>', plan: '<b>50%</b> off' });
    expect(r.subject).toBe('For A&B <Co>');
    expect(r.text).toMatch(/^Hi Dana & team,\n\n<b>50%<\/b> off\n\n--\nNot the right time\? Reply "unsubscribe" or open https:\/\/t\.example\/u\?token=/);
    expect(r.html).toBeNull();
    const f = compose('x', 'Hi {{first_name}} & **team**,\n\n{{plan}}', { first_name: 'Dana', plan: '<b>50%</b> off' });
    expect(f.html).toContain('<p>Hi Dana &amp; <strong>team</strong>,</p>');
    expect(f.html).toContain('&lt;b&gt;50%&lt;/b&gt; off');
  });

  it('a missing variable is a need naming the variable, shown in the draft, never an empty string', () => {
    expect(compose('Hi', 'About {{title}}', { first_name: 'Dana' }).needs).toEqual([{ kind: 'variable', label: 'title', key: '{{title}}' }]);
    expect(compose('{{nope}}', 'x', {}).subject).toBe('[[{{nope}}]]');
  });

  it('null and empty prospect fields are missing, custom fields are variables', () => {
    const vars = templateVars({ first_name: 'Dana', last_name: null, email: 'd@x', title: ' ', company: null, custom: '{"plan":"Pro","empty":""}' }, null, { name: 'Sam', email: 's@x' });
    expect(vars).toEqual({ fields: { first_name: 'Dana', email: 'd@x', plan: 'Pro', sender_name: 'Sam', sender_email: 's@x', sender_signature: 'Sam' }, value: {} });
  });

  it('the rep\'s signature goes below the text, as written (never read as a template), unless the template places it', () => {
    const signature = 'Sam Rivera | {{not a variable}} [[nor a slot]]\n**Acme**';
    const vars = templateVars({ first_name: 'Dana', last_name: null, email: 'd@x', title: null, company: null, custom: '{}' }, null, { name: 'Sam', email: 's@x', signature });
    const mail = (body: string) => composeMail({ subject: 'Hi', body, vars, fills: new Map(), unsubscribe: links, signature });
    const below = mail('Hi {{first_name}},\n\nWorth a look?\n\n{{sender_name}}');
    expect(below.text).toMatch(/^Hi Dana,\n\nWorth a look\?\n\nSam\n\nSam Rivera \| \{\{not a variable\}\} \[\[nor a slot\]\]\nAcme\n\n--\n/);
    expect(below.needs).toEqual([]);
    const placed = mail('Hi {{first_name}},\n\n{{sender_signature}}\n\nP.S. one more thing');
    expect(placed.text.match(/Sam Rivera/g)).toHaveLength(1);
    expect(placed.text).toMatch(/Sam Rivera[^]*P\.S\. one more thing\n\n--/);
    // Without a signature nothing is added, and a template that places one reads the name.
    const plain = templateVars({ first_name: 'Dana', last_name: null, email: 'd@x', title: null, company: null, custom: '{}' }, null, { name: 'Sam', email: 's@x' });
    expect(composeMail({ subject: 'Hi', body: 'Thanks,\n{{sender_signature}}', vars: plain, fills: new Map(), unsubscribe: links }).text).toMatch(/^Thanks,\nSam\n\n--/);
  });
});

describe('threading', () => {
  it('replies under the first message, except newThread steps', () => {
    const start = { messageId: '<tally.1@x.example>', subject: 'Hello Dana' };
    expect(planThread(null, false, 'Hello {{first_name}}')).toEqual({ kind: 'start', subject: 'Hello {{first_name}}' });
    expect(planThread(start, false, 'ignored')).toEqual({ kind: 'reply', subject: 'Re: Hello Dana', inReplyTo: '<tally.1@x.example>', references: ['<tally.1@x.example>'] });
    expect(planThread(start, true, 'Fresh')).toEqual({ kind: 'start', subject: 'Fresh' });
    expect(replySubject('RE: Re: aw: Hello')).toBe('Re: Hello');
    expect(makeMessageId('abc', 'Rep@Mail.Example')).toBe('<tally.abc@mail.example>');
  });
});

describe('unsubscribe tokens', () => {
  const key = Buffer.alloc(32, 7);
  it('round-trips, and rejects forged or altered tokens', () => {
    const t = unsubscribeToken({ workspaceId: 3, prospectId: 42 }, key);
    expect(verifyUnsubscribeToken(t, key)).toEqual({ workspaceId: 3, prospectId: 42 });
    expect(verifyUnsubscribeToken(t.replace('p42', 'p43'), key)).toBeNull();
    expect(verifyUnsubscribeToken(t, Buffer.alloc(32, 8))).toBeNull();
    expect(verifyUnsubscribeToken('garbage', key)).toBeNull();
  });
  it('List-Unsubscribe-Post only with an https link (RFC 8058)', () => {
    expect(listUnsubscribeHeaders(links)).toEqual({
      'List-Unsubscribe': '<https://t.example/u?token=w1.p2.abcdefghijklmnopqrstuv>, <mailto:rep@x.example?subject=unsubscribe%20w1.p2.abcdefghijklmnopqrstuv>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(listUnsubscribeHeaders(unsubscribeLinks('t', 'a@b.c', null))).toEqual({ 'List-Unsubscribe': '<mailto:a@b.c?subject=unsubscribe%20t>' });
  });
});

describe('what inbound mail does', () => {
  const rules = defaultScheduleRules('Europe/Paris');
  const now = Date.parse('2026-03-02T10:00:00Z'); // Monday
  const c = (x: Partial<Classification>): Classification => ({ class: 'other', confidence: 'certain', evidence: [], references: [], ...x });
  const ooo = (returnDate?: string) => ({ kind: 'out_of_office' as const, returnDate, returnDateStated: returnDate !== undefined });
  const bounce = (reason: BounceReason, extra: Partial<BounceInfo> = {}): BounceInfo => ({
    reason, effect: bounceEffect(reason), addressBad: isAddressLevel(reason), delayed: false, recipients: [], ...extra,
  });

  it('a reply stops; an out-of-office snoozes to the business day after the return date, or 5 business days', () => {
    expect(decideInbound({ classification: c({ class: 'human_reply' }), now, rules, softBouncesBefore: 0 }).action).toBe('replied');
    // Back Friday 6 March → Monday 9 March, 00:00 in Paris.
    expect(decideInbound({ classification: c({ class: 'auto_reply', autoReply: ooo('2026-03-06') }), now, rules, softBouncesBefore: 0 })).toMatchObject({
      action: 'snoozed',
      until: Date.parse('2026-03-08T23:00:00Z'),
    });
    expect(decideInbound({ classification: c({ class: 'auto_reply', autoReply: ooo() }), now, rules, softBouncesBefore: 0 })).toMatchObject({ action: 'snoozed', until: Date.parse('2026-03-09T10:00:00Z') });
    // A return date already past: the default.
    expect(decideInbound({ classification: c({ class: 'auto_reply', autoReply: ooo('2026-01-02') }), now, rules, softBouncesBefore: 0 })).toMatchObject({ until: Date.parse('2026-03-09T10:00:00Z') });
  });

  it('bounces: only address-level reasons mark bad; mailbox states retry then stop without blame; sender-side never touches the prospect', () => {
    expect(decideInbound({ classification: c({ class: 'bounce', bounce: bounce('user_unknown', { status: '5.1.1' }) }), now, rules, softBouncesBefore: 0 })).toMatchObject({ action: 'bounced', markAddressBad: true });
    expect(decideInbound({ classification: c({ class: 'bounce', bounce: bounce('mailbox_full', { status: '4.2.2' }) }), now, rules, softBouncesBefore: 1 })).toMatchObject({
      action: 'soft_bounce',
      retryAt: Date.parse('2026-03-03T10:00:00Z'),
    });
    expect(decideInbound({ classification: c({ class: 'bounce', bounce: bounce('suspended') }), now, rules, softBouncesBefore: 2 })).toMatchObject({ action: 'bounced', markAddressBad: false });
    for (const r of ['auth_failure', 'blocked', 'spam_detected', 'policy_violation'] as const) {
      const d = decideInbound({ classification: c({ class: 'bounce', bounce: bounce(r, { status: '5.7.1' }) }), now, rules, softBouncesBefore: 5 });
      expect(d.action).toBe('sender_side');
      expect(d.action === 'sender_side' && d.warning).toMatch(/^Your mail to .+ is being rejected \(.+\): .+\.$/);
    }
    expect(decideInbound({ classification: c({ class: 'bounce', bounce: bounce('expired', { delayed: true }) }), now, rules, softBouncesBefore: 0 }).action).toBe('recorded');
  });

  it('automatic replies other than out of office do not snooze; a booked meeting stops like a reply', () => {
    expect(decideInbound({ classification: c({ class: 'auto_reply', autoReply: { kind: 'challenge', returnDateStated: false } }), now, rules, softBouncesBefore: 0 }).action).toBe('recorded');
    expect(decideInbound({ classification: c({ class: 'meeting', meeting: { method: 'REPLY', partstat: 'ACCEPTED' } }), now, rules, softBouncesBefore: 0 }).action).toBe('meeting_booked');
  });

  it('complaints and unsubscribes opt out; the rest is recorded', () => {
    expect(decideInbound({ classification: c({ class: 'feedback', feedback: { format: 'arf', feedbackType: 'abuse' } }), now, rules, softBouncesBefore: 0 }).action).toBe('opted_out');
    expect(decideInbound({ classification: c({ class: 'unsubscribe' }), now, rules, softBouncesBefore: 0 }).action).toBe('opted_out');
    expect(decideInbound({ classification: c({ class: 'other' }), now, rules, softBouncesBefore: 0 }).action).toBe('recorded');
  });

  it('matching keys: the bounced original first, then In-Reply-To, then the newest reference; the failed recipient over the sender', () => {
    const b = c({ class: 'bounce', from: 'mailer-daemon@x', inReplyTo: '<b>', references: ['<r1>', '<r2>'], bounce: bounce('user_unknown', { originalMessageId: '<o>', recipient: 'Dana@X.example' }) });
    expect(referencedMessageIds(b)).toEqual(['<o>', '<b>', '<r2>', '<r1>']);
    expect(subjectAddress(b)).toBe('dana@x.example');
    expect(subjectAddress(c({ class: 'bounce', from: 'mailer-daemon@x' }))).toBeNull();
    expect(subjectAddress(c({ class: 'human_reply', from: 'dana@x.example' }))).toBe('dana@x.example');
  });
});

describe('secrets', () => {
  it('AES-256-GCM round trip; a different key cannot read it; a key file with mode 0600', () => {
    const dir = tempDir();
    const db = join(dir, 'tally.db');
    const key = workspaceKey(db);
    expect(keyFilePath(db)).toBe(join(dir, 'tally.key'));
    expect(statSync(join(dir, 'tally.key')).mode & 0o777).toBe(0o600);
    expect(workspaceKey(db).equals(key)).toBe(true);
    const blob = encryptSecret('hunter2', key);
    expect(blob).not.toContain('hunter2');
    expect(encryptSecret('hunter2', key)).not.toBe(blob);
    expect(decryptSecret(blob, key)).toBe('hunter2');
    expect(() => decryptSecret(blob, Buffer.alloc(32))).toThrow(/workspace key changed/);
    // TALLY_SECRET_KEY, as the adapter hands it over, wins over the key file.
    expect(workspaceKey(db, 'ab'.repeat(32)).equals(Buffer.alloc(32, 0xab))).toBe(true);
  });
});
