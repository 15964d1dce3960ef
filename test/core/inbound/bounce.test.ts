import { describe, expect, it } from 'vitest';
import { parseDeliveryStatus } from '../../../src/core/inbound/bounce.ts';
import { classify } from '../../../src/core/inbound/classify.ts';
import { decideReason, reasonFromStatus, reasonFromText } from '../../../src/core/inbound/reason-rules.ts';
import { bounceEffect, isAddressLevel } from '../../../src/core/inbound/reasons.ts';
import { BOUNCE_REASONS } from '../../../src/core/inbound/types.ts';

describe('reasons from what servers say', () => {
  it.each([
    ['550 5.1.1 <a@b.example>: Recipient address rejected: User unknown in local recipient table', 'user_unknown'],
    ['550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking', 'user_unknown'],
    ['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'user_unknown'],
    ['550 5.4.1 Recipient address rejected: Access denied. AS(201806281)', 'user_unknown'],
    ["554 delivery error: dd This user doesn't have a yahoo.com account (x@yahoo.com) [0]", 'user_unknown'],
    ['User jsmith (jsmith@corp.example) not listed in Domino Directory', 'user_unknown'],
    ['550 Adresse destinataire invalide. Invalid recipient.', 'user_unknown'],
    ['Empfänger unbekannt', 'user_unknown'],
    ['DNS lookup failure: host cx.example.org not found', 'host_unknown'],
    ['Host or domain name not found. Name service error for name=x.example type=MX: Host not found', 'host_unknown'],
    ["Sorry, I couldn't find any host named nowhere.example. (#5.1.2)", 'host_unknown'],
    ['550 5.1.6 recipient no longer on server: a@b.example', 'has_moved'],
    ["Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)", 'not_accept'],
    ['556 5.1.10 Recipient address has null MX', 'not_accept'],
    ['552 5.2.2 <a@b.example>: Recipient address rejected: Mailbox full', 'mailbox_full'],
    ["552-5.2.2 The recipient's inbox is out of storage space and inactive.", 'mailbox_full'],
    ['550-5.2.1 The email account that you tried to reach is disabled.', 'suspended'],
    ['550 Mailbox is frozen.', 'suspended'],
    ['550 5.7.26 Unauthenticated email from example.org is not accepted due to domain\'s DMARC policy', 'auth_failure'],
    ["550 5.7.509 Access denied, sending domain [X.EXAMPLE] does not pass DMARC verification", 'auth_failure'],
    ["550 5.1.0 192.0.2.1 is not allowed to send from <example.net> per it's SPF Record", 'auth_failure'],
    ['550-5.7.25 The IP address sending this message does not have a PTR record setup', 'require_ptr'],
    ['550 5.7.606 Access denied, banned sending IP [192.0.2.1].', 'blocked'],
    ['554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org', 'blocked'],
    ['550-5.7.1 Our system has detected that this message is likely suspicious due to the very low reputation of the sending IP', 'blocked'],
    ['554 5.6.0 This message has been scored as spam with a probability of more than 90%', 'spam_detected'],
    ['550 Virus Detected; Content Rejected', 'content_error'],
    ['550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject headers.', 'not_rfc_compliant'],
    ['554 5.7.9 Message not accepted for policy reasons.', 'policy_violation'],
    ['553 5.1.8 <root@x.example>... Domain of sender address root@x.example does not exist', 'rejected_sender'],
    ['501 Rcpt-To validation failed: 5.7.1 This system is not configured to relay mail', 'no_relaying'],
    ['452 4.3.2 Connection rate limit exceeded.', 'rate_limited'],
    ['550 Ip frequency limited', 'rate_limited'],
    ['552 5.3.4 Message too big for system', 'message_too_big'],
    ['Could not deliver for the last 432000 seconds. Giving up.', 'expired'],
    ['connect to mx.example.org[192.0.2.1]:25: Connection timed out', 'system_error'],
    ['Recipient address rejected: Greylisted, please try again in 300 seconds', 'system_error'],
    ['550 Recipient address rejected: On hold', 'on_hold'],
  ] as const)('%s → %s', (text, reason) => {
    expect(reasonFromText(text)?.reason).toBe(reason);
  });

  it('falls back on the status code, then the reply code', () => {
    expect(decideReason({ texts: ['550 something odd'], status: '5.1.1' })).toMatchObject({ reason: 'user_unknown', basis: 'status' });
    expect(decideReason({ texts: [], smtpCode: 552 })).toMatchObject({ reason: 'mailbox_full', basis: 'code' });
    expect(decideReason({ texts: ['550 no'], smtpCode: 550 })).toMatchObject({ reason: 'undefined', basis: 'none' });
    expect(reasonFromStatus('5.7.26')).toBe('auth_failure');
    expect(reasonFromStatus('5.4.316')).toBe('expired');
    expect(reasonFromStatus('5.0.0')).toBeUndefined();
  });

  it('reads the SMTP stage: user unknown after DATA is a filter; nothing said at MAIL FROM is about the recipient', () => {
    expect(decideReason({ texts: ['550 Unknown user'], stage: 'data' }).reason).toBe('filtered');
    expect(decideReason({ texts: ['550 Unknown user'], stage: 'data', addressStatus: true }).reason).toBe('user_unknown');
    expect(decideReason({ texts: ['550 Unknown user'], stage: 'rcpt_to' }).reason).toBe('user_unknown');
    expect(decideReason({ texts: ['550 5.1.1 user unknown'], stage: 'mail_from' }).reason).toBe('rejected_sender');
  });

  it('only address-level reasons make the address bad; every reason has one effect', () => {
    expect(BOUNCE_REASONS.filter(isAddressLevel)).toEqual(['user_unknown', 'host_unknown', 'has_moved', 'not_accept']);
    expect(bounceEffect('mailbox_full')).toBe('mailbox_state');
    expect(bounceEffect('suspended')).toBe('mailbox_state');
    expect(bounceEffect('expired')).toBe('mailbox_state');
    for (const r of ['blocked', 'spam_detected', 'policy_violation', 'auth_failure', 'require_ptr', 'rate_limited', 'content_error'] as const) expect(bounceEffect(r)).toBe('sender_side');
    expect(bounceEffect('system_error')).toBe('undetermined');
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

  it('a delay warning is not a failure: never address bad', () => {
    const c = classify(dsn('delayed', '4.4.7'));
    expect(c.class).toBe('bounce');
    expect(c.bounce).toMatchObject({ delayed: true, addressBad: false, reason: 'expired', status: '4.4.7', recipient: 'x@y.example' });
  });

  it('a DSN wins over Auto-Submitted', () => {
    const c = classify(`Auto-Submitted: auto-replied\n${dsn('failed', '5.1.1')}`);
    expect(c.class).toBe('bounce');
    expect(c.bounce).toMatchObject({ reason: 'user_unknown', addressBad: true, effect: 'address_bad' });
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
