import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { TouchCheckInput } from '../../src/core/guardrails.ts';
import { DEFAULT_GUARDRAIL_SETTINGS, checkTouch, earliestAllowed, ordinal, parseGuardrailSettings } from '../../src/core/guardrails.ts';
import { defaultScheduleRules, isInWindow } from '../../src/core/schedule.ts';
import { DAY, channelArb, historyArb, instantArb, rulesArb } from './arbitraries.ts';

const BERLIN = 'Europe/Berlin';
const at = (iso: string, zone = BERLIN): number => DateTime.fromISO(iso, { zone }).toMillis();
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function input(overrides: Partial<TouchCheckInput> = {}): TouchCheckInput {
  return {
    at: at('2024-05-15T10:00'), // Wednesday
    channel: 'email',
    prospect: { name: 'Dana', rules: defaultScheduleRules(BERLIN) },
    touches: [],
    ...overrides,
  };
}

describe('checkTouch explanations', () => {
  it('allows a touch that breaks no rule', () => {
    expect(checkTouch(input())).toEqual({ allowed: true, holds: [] });
  });

  it('minimum gap', () => {
    const v = checkTouch(input({ touches: [at('2024-05-14T16:00')] }));
    expect(v.allowed).toBe(false);
    expect(v.holds).toEqual([{ rule: 'min_gap', explanation: 'held: last touch to Dana 1 business day ago (minimum 2)', until: at('2024-05-16T00:00') }]);
  });

  it('counts the gap in business days: Friday → Monday is 1', () => {
    const v = checkTouch(input({ at: at('2024-05-20T10:00'), touches: [at('2024-05-17T10:00')] }));
    expect(v.holds.map((h) => h.explanation)).toEqual(['held: last touch to Dana 1 business day ago (minimum 2)']);
    expect(iso(v.holds[0]?.until ?? null)).toBe(iso(at('2024-05-21T00:00')));
  });

  it('rolling 7 days', () => {
    const touches = [at('2024-05-09T10:00'), at('2024-05-10T10:00'), at('2024-05-13T10:00')];
    const v = checkTouch(input({ touches, settings: { ...DEFAULT_GUARDRAIL_SETTINGS, minGapBusinessDays: 0 } }));
    expect(v.holds).toEqual([{ rule: 'person_7_days', explanation: 'held: 3 touches to Dana in the last 7 days (max 3)', until: at('2024-05-16T10:00') }]);
  });

  it('rolling 30 days', () => {
    const touches = Array.from({ length: 8 }, (_, i) => at('2024-04-22T10:00') + i * 2 * DAY);
    const v = checkTouch(input({ touches, settings: { ...DEFAULT_GUARDRAIL_SETTINGS, minGapBusinessDays: 0, maxTouchesPerPerson7Days: 50 } }));
    expect(v.holds).toEqual([{ rule: 'person_30_days', explanation: 'held: 8 touches to Dana in the last 30 days (max 8)', until: at('2024-05-22T10:00') }]);
  });

  it('company per local day', () => {
    const company = { name: 'Acme', touches: [at('2024-05-15T08:10'), at('2024-05-15T09:00'), at('2024-05-15T09:30'), at('2024-05-14T09:30')] };
    const v = checkTouch(input({ company }));
    expect(v.holds).toEqual([{ rule: 'company_per_day', explanation: 'held: 3rd touch to Acme today', until: at('2024-05-16T00:00') }]);
    const later = checkTouch(input({ company, now: at('2024-05-13T09:00') }));
    expect(later.holds[0]?.explanation).toBe('held: 3rd touch to Acme on Wed 2024-05-15');
  });

  it('quiet hours in the prospect’s zone, on top of the window', () => {
    const rules = { ...defaultScheduleRules(BERLIN), windows: { ...defaultScheduleRules().windows, email: { start: '07:00', end: '23:00' } } };
    const v = checkTouch(input({ at: at('2024-05-15T21:40'), prospect: { name: 'Dana', rules } }));
    expect(v.holds).toEqual([{ rule: 'quiet_hours', explanation: 'held: quiet hours in Europe/Berlin (21:40 local)', until: at('2024-05-16T08:00') }]);
  });

  it('sending window and working days', () => {
    expect(checkTouch(input({ channel: 'call', at: at('2024-05-15T18:10') })).holds).toEqual([
      { rule: 'sending_window', explanation: 'held: outside the call window in Europe/Berlin (18:10 local; window 09:00–17:00)', until: at('2024-05-16T09:00') },
    ]);
    expect(checkTouch(input({ at: at('2024-05-18T10:00') })).holds[0]).toEqual({
      rule: 'working_day',
      explanation: 'held: Saturday is not a working day in Europe/Berlin',
      until: at('2024-05-20T07:00'),
    });
    const holiday = { ...defaultScheduleRules(BERLIN), holidays: ['2024-05-15'] };
    expect(checkTouch(input({ prospect: { name: 'Dana', rules: holiday } })).holds[0]?.explanation).toBe('held: 2024-05-15 is a holiday in Europe/Berlin');
  });

  it('opt-out, do-not-contact and bad email never lift', () => {
    expect(checkTouch(input({ prospect: { name: 'Dana', rules: defaultScheduleRules(BERLIN), flags: { optedOut: true } } })).holds).toEqual([
      { rule: 'opted_out', explanation: 'never: Dana opted out', until: null },
    ]);
    expect(checkTouch(input({ prospect: { name: 'Dana', rules: defaultScheduleRules(BERLIN), flags: { doNotContact: true } } })).holds).toEqual([
      { rule: 'do_not_contact', explanation: 'never: Dana is marked do not contact', until: null },
    ]);
    const badEmail = { name: 'Dana', rules: defaultScheduleRules(BERLIN), flags: { emailBad: true } };
    expect(checkTouch(input({ prospect: badEmail })).holds).toEqual([
      { rule: 'bad_email', explanation: "never by email: Dana's email address is marked bad", until: null },
    ]);
    expect(checkTouch(input({ prospect: badEmail, channel: 'call' })).allowed).toBe(true);
  });

  it('words ordinals', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']);
  });
});

describe('earliestAllowed', () => {
  it('walks past several rules and reports the holds that moved it', () => {
    // Last touch Thursday; Friday evening call → gap lifts Monday 00:00 → call window Monday 09:00.
    const result = earliestAllowed(input({ channel: 'call', at: at('2024-05-17T18:00'), touches: [at('2024-05-16T10:00')] }));
    expect(iso(result.at)).toBe(iso(at('2024-05-20T09:00')));
    expect(result.holds.map((h) => h.rule)).toEqual(['sending_window', 'min_gap']);
  });

  it('lands after quiet hours when the window opens inside them', () => {
    const result = earliestAllowed(input({ at: at('2024-05-15T06:00') }));
    expect(iso(result.at)).toBe(iso(at('2024-05-15T08:00')));
    expect(result.holds.map((h) => h.rule)).toEqual(['sending_window', 'quiet_hours']);
  });

  it('returns null with the reason for an opted-out prospect', () => {
    const result = earliestAllowed(input({ prospect: { name: 'Dana', rules: defaultScheduleRules(BERLIN), flags: { optedOut: true } } }));
    expect(result).toEqual({ at: null, holds: [{ rule: 'opted_out', explanation: 'never: Dana opted out', until: null }] });
  });

  it('validates: never earlier, in the window on a business day, and every guardrail passes', () => {
    fc.assert(
      fc.property(
        instantArb.chain((t) => fc.tuple(fc.constant(t), historyArb(t), historyArb(t))),
        channelArb,
        rulesArb,
        fc.record({
          minGapBusinessDays: fc.integer({ min: 0, max: 4 }),
          maxTouchesPerPerson7Days: fc.integer({ min: 1, max: 5 }),
          maxTouchesPerPerson30Days: fc.integer({ min: 1, max: 12 }),
          maxTouchesPerCompanyPerDay: fc.integer({ min: 1, max: 4 }),
          quietHours: fc.constantFrom(null, { start: '20:00', end: '08:00' }, { start: '12:00', end: '13:00' }),
        }),
        ([proposed, touches, others], channel, rules, settings) => {
          const request: TouchCheckInput = {
            at: proposed,
            channel,
            prospect: { name: 'Dana', rules },
            touches,
            company: { name: 'Acme', touches: [...touches, ...others] },
            settings,
          };
          const result = earliestAllowed(request);
          expect(result.at).not.toBeNull();
          const found = result.at ?? 0;
          expect(found).toBeGreaterThanOrEqual(proposed);
          expect(isInWindow(found, channel, rules)).toBe(true);
          expect(checkTouch({ ...request, at: found })).toEqual({ allowed: true, holds: [] });
          if (found === proposed) expect(result.holds).toEqual([]);
          else expect(result.holds.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 700 },
    );
  });
});

describe('settings', () => {
  it('fills defaults', () => {
    expect(parseGuardrailSettings({})).toEqual({ ok: true, settings: DEFAULT_GUARDRAIL_SETTINGS });
    expect(parseGuardrailSettings({ quietHours: null, minGapBusinessDays: 3 })).toEqual({
      ok: true,
      settings: { ...DEFAULT_GUARDRAIL_SETTINGS, quietHours: null, minGapBusinessDays: 3 },
    });
  });

  it('names the field path of each error', () => {
    const result = parseGuardrailSettings({ minGapBusinessDays: -1, quietHours: { start: '25:00', end: '08:00' }, extra: true });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.some((e) => e.startsWith('minGapBusinessDays: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('quietHours.start: expected a local time'))).toBe(true);
    expect(errors.some((e) => e.includes('extra'))).toBe(true);
  });
});
