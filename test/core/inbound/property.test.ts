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
