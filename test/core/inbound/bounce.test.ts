import { describe, expect, it } from 'vitest';
import { bounceKind, parseDeliveryStatus } from '../../../src/core/inbound/bounce.ts';
import { classify } from '../../../src/core/inbound/classify.ts';

describe('bounceKind (hard vs soft)', () => {
  it.each([
    [{ status: '5.1.1' }, 'hard'],
    [{ status: '5.1.10', smtpCode: 550 }, 'hard'],
    [{ status: '5.4.4' }, 'hard'],
    [{ status: '5.2.1', diagnostic: 'mailbox disabled' }, 'hard'],
    [{ status: '5.2.2' }, 'soft'],
    [{ status: '5.0.0', diagnostic: '552 Mailbox full' }, 'soft'],
    [{ status: '4.4.1' }, 'soft'],
    [{ status: '4.7.1', diagnostic: 'Greylisted, please try again later' }, 'soft'],
    [{ action: 'delayed', status: '5.1.1' }, 'soft'],
    [{ smtpCode: 550, diagnostic: 'User unknown' }, 'hard'],
    [{ smtpCode: 552, diagnostic: 'Requested mail action aborted, mailbox full' }, 'soft'],
    [{ smtpCode: 452 }, 'soft'],
    [{ smtpCode: 554, diagnostic: "This user doesn't have an account" }, 'hard'],
    [{ diagnostic: 'User jsmith not listed in Domino Directory' }, 'hard'],
    [{ diagnostic: 'The users mailfolder is over the allowed quota' }, 'soft'],
    [{}, 'hard'],
  ] as const)('%j → %s', (input, kind) => {
    expect(bounceKind(input)).toBe(kind);
  });
});

describe('parseDeliveryStatus', () => {
  it('reads per-recipient blocks with folded fields', () => {
    const r = parseDeliveryStatus(
      'Reporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; <A@B.example>\nAction: Failed\nStatus: 5.1.1 (bad mailbox)\nDiagnostic-Code: smtp; 550 5.1.1 no\n such user\n\nFinal-Recipient: rfc822;c@d.example\nAction: delayed\nStatus: 4.4.7\n',
    );
    expect(r).toEqual([
      { finalRecipient: 'a@b.example', originalRecipient: undefined, action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 no such user' },
      { finalRecipient: 'c@d.example', originalRecipient: undefined, action: 'delayed', status: '4.4.7', diagnostic: undefined },
    ]);
  });
});

describe('bounce detection heuristics', () => {
  const dsn = (action: string, status: string): string =>
    `From: MAILER-DAEMON@mx.example\nTo: sam@tally-demo.example\nSubject: Delivery Status Notification\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nReport.\n--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example\n\nFinal-Recipient: rfc822; x@y.example\nAction: ${action}\nStatus: ${status}\n--b--\n`;

  it('a delayed DSN is a soft bounce, never hard', () => {
    const c = classify(dsn('delayed', '4.4.7'));
    expect(c.class).toBe('bounce');
    expect(c.bounce).toMatchObject({ kind: 'soft', status: '4.4.7', recipient: 'x@y.example' });
  });

  it('a DSN wins over Auto-Submitted', () => {
    const c = classify(`Auto-Submitted: auto-replied\n${dsn('failed', '5.1.1')}`);
    expect(c.class).toBe('bounce');
    expect(c.bounce?.kind).toBe('hard');
  });

  it('a person quoting NDR wording is not a bounce', () => {
    const c = classify('From: Jane <jane@x.example>\nSubject: Re: hi\n\nThe mail system said: Delivery has failed to these recipients. 550 5.1.1 user unknown\n');
    expect(c.class).toBe('human_reply');
  });

  it('a forwarded NDR ("Fwd: Undeliverable") from a person is not a bounce', () => {
    const c = classify('From: Jane <jane@x.example>\nSubject: Fwd: Undeliverable: hello\n\nFYI, see below.\n\n---------- Forwarded message ---------\nDelivery has failed to these recipients or groups:\n');
    expect(c.class).toBe('human_reply');
  });
});
