// Webhook event shapes and the retry schedule.
import { describe, expect, it } from 'vitest';
import {
  enrollmentFinishedEvent, eventBody, JITTER, touchEvents, MAX_ATTEMPTS, nextAttemptAt, parseEventList, replyReceivedEvent, RETRY_DELAYS_MS, touchLoggedEvent, WEBHOOK_EVENTS,
} from '../../src/core/webhook-events.ts';
import { OUTCOME_INFO, OUTCOMES } from '../../src/core/outcomes.ts';
import type { EnrollmentState } from '../../src/core/types.ts';

const AT = Date.parse('2026-03-02T10:00:00Z');
const prospect = { id: 7, email: 'amy@acme.example', firstName: 'Amy', lastName: null, ownerId: 2 };
const state = (status: EnrollmentState['status']): EnrollmentState => ({ status, stepIndex: 2, dueAt: null, reason: status === 'replied' ? 'replied' : null, touches: 3, lastTouchAt: AT, startedAt: AT - 1e9, endedAt: status === 'active' ? null : AT });

describe('event shapes', () => {
  it('touch.logged carries the touch (1-based step), the prospect and the tally', () => {
    const e = touchLoggedEvent({ touchId: 11, prospect, userId: 2, channel: 'call', outcome: 'no_answer', note: null, at: AT, enrollmentId: 5, stepIndex: 0, tally: 4 });
    expect(e).toEqual({
      type: 'touch.logged',
      data: {
        touch: { id: 11, channel: 'call', outcome: 'no_answer', note: null, occurred_at: '2026-03-02T10:00:00.000Z', user_id: 2, enrollment_id: 5, step: 1 },
        prospect: { id: 7, email: 'amy@acme.example', first_name: 'Amy', last_name: null, owner_id: 2 },
        tally: 4,
      },
    });
  });

  it('reply.received says where the reply came from', () => {
    const e = replyReceivedEvent({ prospect, source: 'email', channel: 'email', outcome: 'replied', at: AT, touchId: 3, enrollmentId: null, subject: 'Re: hi' });
    expect(e.type).toBe('reply.received');
    expect(e.data).toMatchObject({ source: 'email', subject: 'Re: hi', received_at: '2026-03-02T10:00:00.000Z', touch_id: 3 });
    expect('subject' in replyReceivedEvent({ prospect, source: 'logged', channel: 'call', outcome: 'replied', at: AT, touchId: 3, enrollmentId: 1 }).data).toBe(false);
  });

  it('enrollment.finished fires on every live → terminal change, and only then', () => {
    for (const end of ['finished', 'replied', 'bounced', 'opted_out'] as const) {
      for (const from of ['active', 'paused', 'snoozed'] as const) {
        const e = enrollmentFinishedEvent({ enrollmentId: 5, cadence: 'Quick', prospect, before: state(from), after: state(end), at: AT });
        expect(e?.data.enrollment).toMatchObject({ id: 5, cadence: 'Quick', status: end, touches: 3, ended_at: '2026-03-02T10:00:00.000Z' });
      }
    }
    expect(enrollmentFinishedEvent({ enrollmentId: 5, cadence: 'Q', prospect, before: state('active'), after: state('paused'), at: AT })).toBeNull();
    expect(enrollmentFinishedEvent({ enrollmentId: 5, cadence: 'Q', prospect, before: state('finished'), after: state('finished'), at: AT })).toBeNull();
  });

  it('the body wraps the data with the event id, type and time', () => {
    const body = JSON.parse(eventBody('evt_1', { type: 'touch.logged', data: { a: 1 } }, AT));
    expect(body).toEqual({ id: 'evt_1', type: 'touch.logged', created_at: '2026-03-02T10:00:00.000Z', data: { a: 1 } });
  });

  it('parses event lists, naming a wrong one', () => {
    expect(parseEventList([])).toEqual({ events: [...WEBHOOK_EVENTS] });
    expect(parseEventList(['*'])).toEqual({ events: [...WEBHOOK_EVENTS] });
    expect(parseEventList(['reply.received, touch.logged'])).toEqual({ events: ['touch.logged', 'reply.received'] });
    expect(parseEventList(['touch.logged', 'touch.deleted'])).toEqual({ error: expect.stringContaining('"touch.deleted"') });
  });
});

describe('retry schedule', () => {
  it('is 1 min, 5 min, 30 min, 2 h, 12 h, then gives up', () => {
    expect(RETRY_DELAYS_MS).toEqual([60_000, 300_000, 1_800_000, 7_200_000, 43_200_000]);
    expect(MAX_ATTEMPTS).toBe(6);
    RETRY_DELAYS_MS.forEach((d, i) => expect(nextAttemptAt(i + 1, AT, 0)).toBe(AT + d));
    expect(nextAttemptAt(MAX_ATTEMPTS, AT, 0)).toBeNull();
    expect(nextAttemptAt(1, AT, 0, 1)).toBeNull();
  });

  it('adds jitter of at most 10%, never less than the schedule', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      const next = nextAttemptAt(2, AT, r)! - AT;
      expect(next).toBeGreaterThanOrEqual(300_000);
      expect(next).toBeLessThanOrEqual(300_000 * (1 + JITTER));
    }
  });
});

describe('touchEvents', () => {
  const touch = { touchId: 11, prospect, userId: 2, source: 'logged' as const, note: null, at: Date.UTC(2026, 2, 2, 10), enrollmentId: 5, stepIndex: 0, tally: 4 };
  it('adds reply.received exactly for the outcomes the outcome list counts as replies', () => {
    for (const outcome of OUTCOMES) {
      const types = touchEvents({ ...touch, channel: 'call', outcome }).map((e) => e.type);
      expect(types).toEqual(OUTCOME_INFO[outcome].reply ? ['touch.logged', 'reply.received'] : ['touch.logged']);
    }
    const [, reply] = touchEvents({ ...touch, channel: 'linkedin', outcome: 'replied' });
    expect(reply!.data).toMatchObject({ source: 'logged', channel: 'linkedin', outcome: 'replied', touch_id: 11, enrollment_id: 5 });
    expect('subject' in reply!.data).toBe(false);
    const [, read] = touchEvents({ ...touch, source: 'email', subject: 'Re: hi', channel: 'email', outcome: 'replied' });
    expect(read!.data).toMatchObject({ source: 'email', subject: 'Re: hi' });
  });
});
