import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { TouchCheckInput } from '../../src/core/guardrails/index.ts';
import {
  DEFAULT_GUARDRAIL_SETTINGS,
  GUARDRAIL_RULES,
  checkTouch,
  describeGuardrails,
  earliestAllowed,
  guardrailSettingFromText,
  guardrailSettingsSchema,
  guardrailSummary,
  liftsLast,
  ordinal,
  parseGuardrailSettings,
} from '../../src/core/guardrails/index.ts';
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
          // Without words (the scheduler tick): the same instant, the same rules and lift times, no explanations.
          const unworded = earliestAllowed({ ...request, words: false });
          expect(unworded).toEqual({ at: result.at, holds: result.holds.map((h) => ({ ...h, explanation: '' })) });
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

describe('liftsLast: one plain reason per held touch', () => {
  it('is null when the touch may happen as proposed', () => {
    expect(liftsLast(input())).toBeNull();
  });

  it('names the rule that lifts last and when the touch may happen, not every rule met on the way', () => {
    // 06:00: the email window opens at 07:00 but quiet hours last until 08:00.
    expect(liftsLast(input({ at: at('2024-05-15T06:00') }))).toEqual({
      rule: 'quiet_hours',
      explanation: 'held: quiet hours in Europe/Berlin (06:00 local)',
      until: at('2024-05-15T08:00'),
    });
    // Friday 18:00 call, last touch Thursday: the gap is the reason; the call window sets the hour.
    const friday = input({ channel: 'call', at: at('2024-05-17T18:00'), touches: [at('2024-05-16T10:00')] });
    expect(liftsLast(friday)).toEqual({ rule: 'min_gap', explanation: 'held: last touch to Dana 1 business day ago (minimum 2)', until: at('2024-05-20T09:00') });
    expect(earliestAllowed(friday).at).toBe(at('2024-05-20T09:00'));
  });

  it('words the reason at the moment that rule was the one holding; the calendar only sets the hour', () => {
    // Monday 10:00, last touch Friday: the gap moves it to Tuesday 00:00, where three Acme touches
    // already fill Tuesday; Wednesday 00:00 then waits for the morning.
    const company = { name: 'Acme', touches: [at('2024-05-14T09:00'), at('2024-05-14T09:30'), at('2024-05-14T10:00')] };
    const request = input({ at: at('2024-05-13T10:00'), touches: [at('2024-05-10T10:00')], company, now: at('2024-05-13T10:00') });
    const result = earliestAllowed(request);
    expect(result.at).toBe(at('2024-05-15T08:00'));
    expect(result.holds.map((h) => h.rule)).toEqual(['min_gap', 'sending_window', 'quiet_hours', 'company_per_day']);
    expect(liftsLast(request)).toEqual({ rule: 'company_per_day', explanation: 'held: 3rd touch to Acme on Tue 2024-05-14', until: at('2024-05-15T08:00') });
  });

  it('gives the hold that never lifts', () => {
    const optedOut = { name: 'Dana', rules: defaultScheduleRules(BERLIN), flags: { optedOut: true, doNotContact: true } };
    expect(liftsLast(input({ prospect: optedOut }))).toEqual({ rule: 'opted_out', explanation: 'never: Dana opted out', until: null });
  });

  it('always agrees with earliestAllowed on when the touch may happen', () => {
    fc.assert(
      fc.property(instantArb.chain((t) => fc.tuple(fc.constant(t), historyArb(t), historyArb(t))), channelArb, rulesArb, ([proposed, touches, others], channel, rules) => {
        const request: TouchCheckInput = { at: proposed, channel, prospect: { name: 'Dana', rules }, touches, company: { name: 'Acme', touches: [...touches, ...others] } };
        const found = earliestAllowed(request);
        const last = liftsLast(request);
        if (found.at === proposed) expect(last).toBeNull();
        else {
          expect(last?.until).toBe(found.at);
          expect(found.holds.map((h) => h.rule)).toContain(last?.rule);
          // A calendar rule is the reason only when no other rule held on the way.
          if (['sending_window', 'quiet_hours', 'working_day'].includes(last!.rule)) {
            expect(found.holds.every((h) => ['sending_window', 'quiet_hours', 'working_day'].includes(h.rule))).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the rule registry', () => {
  it('lists each rule once, and the settings schema is made of the rules’ settings', () => {
    const ids = GUARDRAIL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = GUARDRAIL_RULES.flatMap((r) => Object.keys(r.settings)).sort();
    expect(Object.keys(guardrailSettingsSchema.shape).sort()).toEqual(keys);
    expect(Object.keys(DEFAULT_GUARDRAIL_SETTINGS).sort()).toEqual(keys);
  });

  it('summarises the settings from the rules', () => {
    expect(guardrailSummary(DEFAULT_GUARDRAIL_SETTINGS)).toBe(
      'quiet hours 20:00–08:00; at least 2 business days between touches to one person; at most 3 per person per 7 days; at most 8 per person per 30 days; at most 3 per company per day',
    );
    expect(guardrailSummary({ ...DEFAULT_GUARDRAIL_SETTINGS, quietHours: null })).toContain('quiet hours off');
  });

  it('explains every rule in plain words, with its settings', () => {
    const described = describeGuardrails({ ...DEFAULT_GUARDRAIL_SETTINGS, minGapBusinessDays: 4 });
    expect(described.map((d) => d.id)).toEqual(GUARDRAIL_RULES.map((r) => r.id));
    for (const d of described) expect(d.explanation.length).toBeGreaterThan(20);
    expect(described.find((d) => d.id === 'min_gap')).toMatchObject({ settings: { minGapBusinessDays: 4 }, summary: 'at least 4 business days between touches to one person' });
    expect(described.find((d) => d.id === 'opted_out')).toMatchObject({ permanent: true, settings: {}, summary: null });
  });

  it('reads a setting the rule’s way', () => {
    expect(guardrailSettingFromText('quietHours', '21:00-06:30')).toEqual({ start: '21:00', end: '06:30' });
    expect(guardrailSettingFromText('quietHours', 'null')).toBeUndefined();
    expect(guardrailSettingFromText('minGapBusinessDays', '3')).toBeUndefined();
  });
});
