// Property tests: the classifier answers for any input, never throws, and stays self-consistent.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classify, INBOUND_CLASSES } from '../../../src/core/inbound/classify.ts';
import type { Classification } from '../../../src/core/inbound/classify.ts';
import { BOUNCE_REASONS } from '../../../src/core/inbound/types.ts';

function valid(c: Classification): void {
  expect(INBOUND_CLASSES).toContain(c.class);
  expect(Array.isArray(c.evidence)).toBe(true);
  expect(Array.isArray(c.references)).toBe(true);
  if (c.class !== 'other') expect(c.evidence.length).toBeGreaterThan(0);
  expect(['certain', 'likely', 'unsure']).toContain(c.confidence);
  if (c.class === 'bounce') {
    expect(BOUNCE_REASONS).toContain(c.bounce?.reason);
    expect(c.bounce!.addressBad).toBe(c.bounce!.recipients.some((r) => r.addressBad));
    if (c.bounce!.delayed) expect(c.bounce!.addressBad).toBe(false);
  }
  if (c.autoReply?.returnDate !== undefined) expect(c.autoReply.returnDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
}

const headerNames = ['From', 'To', 'Subject', 'Content-Type', 'Content-Transfer-Encoding', 'Auto-Submitted', 'Precedence', 'X-Autoreply', 'Return-Path', 'Message-ID', 'In-Reply-To', 'References', 'List-Id', 'X-Failed-Recipients'];
const headerValues = [
  'multipart/report; report-type=delivery-status; boundary=b', 'multipart/mixed; boundary="b"', 'multipart/report; report-type=feedback-report; boundary=b',
  'message/delivery-status', 'message/rfc822', 'text/plain; charset=iso-2022-jp', 'text/html; charset=utf-8', 'base64', 'quoted-printable',
  'auto-replied', 'no', 'bulk', '<>', 'MAILER-DAEMON@x', '=?UTF-8?B?w6k=?=', '=?bogus?Q?=ZZ?=', '<a@b> <c@d>', 'Undeliverable: x', 'Automatic reply: x',
];
const bodyLines = ['--b', '--b--', 'Final-Recipient: rfc822; x@y', 'Action: failed', 'Status: 5.1.1', 'Status: 4.4.7', '', '=C3=A9=', 'w6k=', '> quoted', 'unsubscribe', 'I am out of the office until 12/31', '550 5.1.1 user unknown', 'Feedback-Type: abuse', '\x1b$B', '<blockquote>'];

const soup = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...headerNames), fc.oneof(fc.constantFrom(...headerValues), fc.string())), { maxLength: 12 }),
    fc.array(fc.oneof(fc.constantFrom(...bodyLines), fc.string({ maxLength: 40 })), { maxLength: 40 }),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([hs, body, eol]) => [...hs.map(([n, v]) => `${n}: ${v}`), '', ...body].join(eol));

describe('classify properties', () => {
  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => valid(classify(Buffer.from(bytes)))), { numRuns: 500 });
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000, unit: 'binary' }), (s) => valid(classify(s))), { numRuns: 500 });
  });

  it('never throws on header-and-MIME soup, and is deterministic', () => {
    const now = new Date('2026-12-15T12:00:00Z');
    fc.assert(
      fc.property(soup, (raw) => {
        const a = classify(raw, { now });
        valid(a);
        expect(classify(Buffer.from(raw, 'utf8'), { now })).toEqual(a);
      }),
      { numRuns: 1000 },
    );
  });

  it('stays fast on hostile large inputs (no quadratic regexes)', () => {
    const hostile = [
      `Content-Type: text/html\n\n${'<style>'.repeat(50_000)}`,
      `From: a@b.example\n\n${'word '.repeat(400_000)}`,
      `From: MAILER-DAEMON@x\nSubject: failure notice\n\n${'1.2.3.4 550 a@'.repeat(100_000)}`,
      `From: a@b.example\n\n${'On x\n'.repeat(100_000)}`,
    ];
    for (const raw of hostile) {
      const t = performance.now();
      valid(classify(raw));
      expect(performance.now() - t).toBeLessThan(3000);
    }
  });

  it('handles deep nesting and huge part counts within limits', () => {
    const deep = 'Content-Type: multipart/mixed; boundary=b\n\n--b\n'.repeat(200) + 'hello';
    valid(classify(deep));
    const many = `Content-Type: multipart/mixed; boundary=b\n\n${'--b\n\npart\n'.repeat(5000)}--b--\n`;
    valid(classify(many));
  });
});

// ---------------------------------------------------------------- a bounce is never a person

const dsnMessage = (text: string, blocks: string, subject: string, from: string): string =>
  [
    `From: ${from}`,
    'To: sam@tally-demo.example',
    `Subject: ${subject}`,
    'In-Reply-To: <tally.1@mail.tally-demo.example>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="rpt"',
    '',
    '--rpt',
    'Content-Type: text/plain; charset=utf-8',
    '',
    text,
    '--rpt',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.example',
    '',
    blocks,
    '--rpt--',
    '',
  ].join('\n');

const humanish = ['Thanks, Tuesday works for me.', 'Sure, call me on Thursday.', 'Re: your note', 'unsubscribe', 'I am out of the office until Monday.', 'On Mon, Dec 14, 2026 at 9:12 AM Sam <sam@x.example> wrote:', '> quoted line', 'Delivery has failed to these recipients', '550 5.1.1 user unknown', 'Your message could not be delivered.'];

describe('a message with a DSN part is never a human reply', () => {
  it('whatever its text, subject, sender and per-recipient fields say', () => {
    const field = fc.oneof(fc.constantFrom('failed', 'delayed', 'delivered', 'relayed', '5.1.1', '4.4.7', '5.7.1', '2.0.0', 'x@y.example', ''), fc.string({ maxLength: 30 }));
    const block = fc.tuple(field, field, field, fc.oneof(fc.constantFrom(...humanish), fc.string({ maxLength: 60 }))).map(
      ([rcpt, action, status, diag]) => `Final-Recipient: rfc822; ${rcpt}\nAction: ${action}\nStatus: ${status}\nDiagnostic-Code: smtp; ${diag}`,
    );
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...humanish), fc.string({ maxLength: 80 })), { maxLength: 12 }),
        fc.array(block, { maxLength: 4 }),
        fc.constantFrom('Re: Quick question', 'Undeliverable: hi', 'Automatic reply: x', 'hello'),
        fc.constantFrom('Jane Park <jane@northwind.example>', 'MAILER-DAEMON@mx.example', 'postmaster@x.example'),
        (lines, blocks, subject, from) => {
          const c = classify(dsnMessage(lines.join('\n'), blocks.join('\n\n'), subject, from));
          valid(c);
          expect(c.class).not.toBe('human_reply');
          expect(c.class).not.toBe('unsubscribe');
        },
      ),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------- quoted text never changes the class

const bases: { headers: string; body: string }[] = [
  { headers: 'From: Jane Park <jane@northwind.example>\nSubject: Re: Quick question\nIn-Reply-To: <t1@tally-demo.example>', body: 'Tuesday at 10 works, send an invite.' },
  { headers: 'From: Jane Park <jane@northwind.example>\nSubject: Re: Quick question\nIn-Reply-To: <t1@tally-demo.example>', body: 'Please take me off your list.' },
  { headers: 'From: Jane Park <jane@northwind.example>\nSubject: Automatic reply: Quick question\nAuto-Submitted: auto-replied', body: 'I am out of the office until January 15.' },
  { headers: 'From: Jane Park <jane@northwind.example>\nSubject: Re: Quick question', body: 'Nicht jetzt, vielleicht im Frühling.' },
  { headers: 'From: Jane Park <jane@northwind.example>\nSubject: Re: Quick question\nIn-Reply-To: <t1@tally-demo.example>', body: '' },
];
const attributions = [
  'On Mon, Dec 14, 2026 at 9:12 AM Sam Rivera <sam@tally-demo.example> wrote:',
  'Le lun. 14 déc. 2026 à 10:12, Sam Rivera <sam@tally-demo.example> a écrit :',
  'Am 14.12.2026 um 10:12 schrieb Sam Rivera <sam@tally-demo.example>:',
  'El lun, 14 dic 2026 a las 10:12, Sam Rivera (<sam@tally-demo.example>) escribió:',
  'Il giorno lun 14 dic 2026 alle ore 10:12 Sam Rivera <sam@tally-demo.example> ha scritto:',
  'Op 14-12-2026 om 10:12 schreef Sam Rivera:',
  'W dniu 14.12.2026 o 10:12, Sam Rivera pisze:',
  'Sam Rivera <sam@tally-demo.example> 于2026年12月14日周一 17:12写道：',
  '2026年12月14日(月) 10:12 Sam Rivera <sam@tally-demo.example>:',
];
const triggers = [
  'To unsubscribe from these emails, click here', 'unsubscribe', 'Please remove me from your list', 'I am out of the office until January 4',
  'Automatic reply', 'Delivery has failed to these recipients or groups', '550 5.1.1 User unknown', 'Feedback-Type: abuse', 'BEGIN:VCALENDAR',
  'Please verify that you are a human to have your message delivered', 'We have received your request #12345', '-- ', 'Sent from my iPhone',
];
const quoteLine = fc.oneof(fc.constantFrom(...triggers), fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' ')));

describe('quoted text never changes the class', () => {
  it('above, below or between the new text, in any language of quote header', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...bases),
        fc.constantFrom(...attributions),
        fc.array(quoteLine, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('below', 'above'),
        (base, attribution, lines, where) => {
          const plain = `${base.headers}\n\n${base.body}\n`;
          const quote = `${attribution}\n${lines.map((l) => `> ${l}`).join('\n')}`;
          const body = where === 'below' ? `${base.body}\n\n${quote}\n` : `${quote}\n\n${base.body}\n`;
          expect(classify(`${base.headers}\n\n${body}`).class).toBe(classify(plain).class);
        },
      ),
      { numRuns: 600 },
    );
  });
});
