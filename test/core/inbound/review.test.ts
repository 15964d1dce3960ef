// "Needs a look" (issue 15): the rep's decision does what the classifier reading the message so
// would do; the reading kept with a message; the headers a labelled example keeps.
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/core/inbound/classify.ts';
import { decideReviewed, needsLook, readingOf, REVIEW_CHOICES, reviewChoice, reviewMaterial, confirmKind } from '../../../src/core/inbound/review.ts';
import { defaultScheduleRules } from '../../../src/core/schedule.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z'); // a Monday
const facts = { now: NOW, writtenAt: NOW - 3_600_000, rules: defaultScheduleRules('UTC'), softBouncesBefore: 0 };

describe('the rep decides', () => {
  it('each decision has the effect of the class it stands for', () => {
    expect(decideReviewed('reply', facts)).toEqual({ action: 'replied', reason: "replied by email (the rep's decision)" });
    expect(decideReviewed('meeting', facts)).toMatchObject({ action: 'meeting_booked' });
    expect(decideReviewed('auto_reply', facts)).toMatchObject({ action: 'recorded' });
    expect(decideReviewed('bounce', facts)).toMatchObject({ action: 'bounced', markAddressBad: true });
    expect(decideReviewed('unsubscribe', facts)).toMatchObject({ action: 'opted_out' });
    expect(decideReviewed('not_related', facts)).toMatchObject({ action: 'recorded' });
  });

  it('out of office: back the business day after the date given, else the default business days', () => {
    // Back Friday 6 March: the first business day after is Monday 9 March.
    expect(decideReviewed('out_of_office', { ...facts, returnDate: '2026-03-06' })).toEqual({
      action: 'snoozed', until: Date.parse('2026-03-09T00:00:00Z'), reason: "snoozed: out of office until 2026-03-06 (the rep's decision)",
    });
    expect(decideReviewed('out_of_office', facts)).toMatchObject({ action: 'snoozed', reason: expect.stringContaining('no return date; 5 business days') });
    expect(() => decideReviewed('out_of_office', { ...facts, returnDate: 'next week' })).toThrow(RangeError);
  });

  it('every choice has its own key, found by id or key', () => {
    expect(new Set(REVIEW_CHOICES.map((c) => c.key)).size).toBe(REVIEW_CHOICES.length);
    expect(reviewChoice('o')?.id).toBe('out_of_office');
    expect(reviewChoice('bounce')?.labelClass).toBe('bounce');
    expect(reviewChoice('z')).toBeUndefined();
    expect([confirmKind('replied'), confirmKind('meeting_booked'), confirmKind('snoozed')]).toEqual(['reply', 'meeting', null]);
  });
});

describe('what is kept with a message', () => {
  const doubtful = 'From: Dee <dee@globex.example>\r\nTo: me@tally.example\r\nSubject: Back from vacation\r\nDate: Mon, 2 Mar 2026 09:00:00 +0000\r\nMessage-ID: <d1@x.example>\r\nX-Mailer: Thunderbird\r\n\r\nBack from vacation: yes, call me Thursday.\r\n\r\nOn Fri, 27 Feb 2026, Sam wrote:\r\n> Hello Dee\r\n';

  it('an unthreaded reply naming a vacation is unsure: it needs a look, with the reading and the new text', () => {
    const c = classify(doubtful);
    expect(needsLook(c)).toBe(true);
    expect(readingOf(c)).toMatchObject({ class: 'human_reply', confidence: 'unsure', summary: 'a reply from a person', suggested: 'reply' });
    const material = reviewMaterial(doubtful);
    expect(material.text).toBe('Back from vacation: yes, call me Thursday.');
    expect(material.headers).toEqual({
      from: 'Dee <dee@globex.example>', to: 'me@tally.example', subject: 'Back from vacation', date: 'Mon, 2 Mar 2026 09:00:00 +0000', 'message-id': '<d1@x.example>',
    });
  });

  it('the reading of an out-of-office names its return date and suggests "out of office"', () => {
    const ooo = 'From: a@b.example\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\nDate: Mon, 2 Mar 2026 09:00:00 +0000\r\n\r\nI am away until 10 March 2026.\r\n';
    expect(readingOf(classify(ooo))).toMatchObject({ class: 'auto_reply', confidence: 'certain', suggested: 'out_of_office', autoReply: { kind: 'out_of_office' } });
  });
});
