import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cadenceSpanBusinessDays, cadenceToFile, formatDelay, parseDelay, validateCadence } from '../../src/core/cadence.ts';
import { DEFAULT_CADENCES, DEFAULT_CADENCE_NAME } from '../../src/core/default-cadences.ts';
import { channelIds } from '../../src/core/channels/index.ts';

const good = () => ({
  name: 'Outbound',
  description: 'three touches',
  steps: [
    { channel: 'email', delay: 0, value_item: 'an insight', talking_points: ['one', 'two'], subject: 'Hi', template: 'Hello {{first_name}}' },
    { channel: 'call', delay: '2 business days', name: 'Call', value_item: 'a benchmark' },
    { channel: 'email', delay: '4h', value_item: 'a case study', new_thread: true },
  ],
});

function issues(input: unknown) {
  const r = validateCadence(input);
  if (r.ok) throw new Error('expected the cadence to be invalid');
  return r.issues;
}

describe('parseDelay', () => {
  it.each([
    [0, { amount: 0, unit: 'business_days' }],
    [3, { amount: 3, unit: 'business_days' }],
    ['3 business days', { amount: 3, unit: 'business_days' }],
    ['1 business day', { amount: 1, unit: 'business_days' }],
    ['2d', { amount: 2, unit: 'business_days' }],
    ['2 days', { amount: 2, unit: 'business_days' }],
    ['5 BD', { amount: 5, unit: 'business_days' }],
    ['4h', { amount: 4, unit: 'hours' }],
    ['1.5 hours', { amount: 1.5, unit: 'hours' }],
    [' 12 hrs ', { amount: 12, unit: 'hours' }],
    [{ amount: 6, unit: 'hours' }, { amount: 6, unit: 'hours' }],
  ])('reads %j', (input, expected) => {
    expect(parseDelay(input)).toEqual(expected);
  });

  it.each([
    [-1, /the delay must be a number of days or hours, e.g. 2d or 4h \(found -1\)/],
    [1.5, /whole number/],
    ['1.5 days', /whole number/],
    ['soon', /the delay must be a number of days or hours, e.g. 2d or 4h \(found "soon"\)/],
    ['3 weeks', /number of days or hours/],
    ['-2d', /number of days or hours/],
    ['', /number of days or hours/],
    [null, /required/],
    [undefined, /required/],
    [true, /required/],
    [{ amount: -1, unit: 'hours' }, /number of days or hours/],
    [{ amount: 1, unit: 'minutes' }, /unit/],
    [{ amount: 1.5, unit: 'business_days' }, /whole number/],
  ])('rejects %j with a message', (input, message) => {
    const r = parseDelay(input);
    expect(typeof r).toBe('string');
    expect(r).toMatch(message);
  });

  it('formatDelay output reads back as the same delay', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({ amount: fc.integer({ min: 0, max: 60 }), unit: fc.constant('business_days' as const) }),
          fc.record({ amount: fc.integer({ min: 0, max: 500 }), unit: fc.constant('hours' as const) }),
        ),
        (d) => {
          expect(parseDelay(formatDelay(d))).toEqual(d);
        },
      ),
    );
  });
});

describe('validateCadence', () => {
  it('turns a valid file into the domain shape with defaults filled in', () => {
    const r = validateCadence(good());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.name).toBe('Outbound');
    expect(r.value.steps).toHaveLength(3);
    expect(r.value.steps[0]).toEqual({
      channel: 'email',
      delay: { amount: 0, unit: 'business_days' },
      name: 'Step 1: email',
      reason: 'an insight',
      talkingPoints: ['one', 'two'],
      subject: 'Hi',
      template: 'Hello {{first_name}}',
    });
    expect(r.value.steps[1]).toMatchObject({ name: 'Call', delay: { amount: 2, unit: 'business_days' }, talkingPoints: [] });
    expect(r.value.steps[2]).toMatchObject({ delay: { amount: 4, unit: 'hours' }, newThread: true });
  });

  it('round-trips through cadenceToFile', () => {
    const r = validateCadence(good());
    if (!r.ok) throw new Error('invalid');
    const again = validateCadence(cadenceToFile(r.value));
    expect(again).toEqual(r);
  });

  it('rejects an unknown channel, naming the step and the channels', () => {
    const c = good();
    c.steps[1]!.channel = 'fax';
    const [issue] = issues(c);
    expect(issue!.path).toEqual(['steps', 1, 'channel']);
    expect(issue!.message).toContain(channelIds().join(', '));
  });

  it('requires a value item on every step', () => {
    const c = good() as { steps: Record<string, unknown>[] };
    delete c.steps[2]!.value_item;
    expect(issues(c)).toEqual([expect.objectContaining({ path: ['steps', 2, 'reason'] })]);
  });

  it('rejects an empty value item', () => {
    const c = good();
    c.steps[0]!.value_item = '   ';
    expect(issues(c)[0]).toMatchObject({ path: ['steps', 0, 'value_item'], message: 'value_item must not be empty' });
  });

  it.each(['next week', '2 weeks', '1.5d', -3])('rejects the delay %j on its step', (delay) => {
    const c = good() as { steps: Record<string, unknown>[] };
    c.steps[1]!.delay = delay;
    const list = issues(c);
    expect(list).toHaveLength(1);
    expect(list[0]!.path).toEqual(['steps', 1, 'delay']);
  });

  it('rejects a missing delay', () => {
    const c = good() as { steps: Record<string, unknown>[] };
    delete c.steps[0]!.delay;
    expect(issues(c)[0]).toMatchObject({ path: ['steps', 0, 'delay'], message: expect.stringMatching(/required/) });
  });

  it('rejects extra fields on a step and at the top level', () => {
    const c = good() as Record<string, unknown> & { steps: Record<string, unknown>[] };
    c.steps[0]!.valueItem = 'camelCase typo';
    c.owner = 'sam';
    const list = issues(c);
    expect(list).toEqual(
      expect.arrayContaining([
        { path: ['steps', 0, 'valueItem'], message: 'unknown field "valueItem"' },
        { path: ['owner'], message: 'unknown field "owner"' },
      ]),
    );
  });

  it('reports every bad field, not only the first', () => {
    const c = { name: '', steps: [{ channel: 'pigeon', delay: 'later' }] };
    const paths = issues(c).map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['name', 'steps.0.channel', 'steps.0.delay', 'steps.0.reason']));
  });

  it.each([
    ['no steps', { name: 'x', steps: [] }, ['steps']],
    ['steps not a list', { name: 'x', steps: 'email' }, ['steps']],
    ['no name', { steps: good().steps }, ['name']],
    ['talking points not a list', { name: 'x', steps: [{ channel: 'email', delay: 0, value_item: 'v', talking_points: 'say hi' }] }, ['steps', 0, 'talking_points']],
    ['new_thread not boolean', { name: 'x', steps: [{ channel: 'email', delay: 0, value_item: 'v', new_thread: 'yes' }] }, ['steps', 0, 'new_thread']],
  ])('rejects %s', (_name, input, path) => {
    expect(issues(input)[0]!.path).toEqual(path);
  });

  it.each([null, 'a string', 42, []])('rejects %j as a whole', (input) => {
    expect(validateCadence(input).ok).toBe(false);
  });
});

describe('message fields come from the step’s channel', () => {
  const step = (channel: string, fields: Record<string, unknown>) => ({ name: 'x', steps: [{ channel, delay: 0, value_item: 'a reason', ...fields }] });

  it('email: subject and template (the body); a call: script; SMS and LinkedIn: message; a task: instructions', () => {
    for (const [channel, fields] of [
      ['email', { subject: 'Hi {{first_name}}', template: 'Hello' }],
      ['call', { script: 'Ask about their Q3 plans' }],
      ['sms', { message: 'Quick one, {{first_name}}' }],
      ['linkedin', { message: 'Loved your post' }],
      ['task', { instructions: 'Send the printed report' }],
    ] as const) {
      const r = validateCadence(step(channel, fields));
      if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.issues)}`);
      const [first] = r.value.steps;
      const text = Object.entries(fields).find(([k]) => k !== 'subject')![1];
      expect(first!.template).toBe(text);
      expect(cadenceToFile(r.value).steps).toEqual([expect.objectContaining(fields)]);
      expect(validateCadence(cadenceToFile(r.value))).toEqual(r);
    }
  });

  it('accepts template for any channel’s main text, as older files have it', () => {
    const r = validateCadence(step('call', { template: 'the script' }));
    expect(r.ok && r.value.steps[0]!.template).toBe('the script');
    expect(r.ok && cadenceToFile(r.value).steps).toEqual([expect.objectContaining({ script: 'the script' })]);
  });

  it('refuses a field the channel does not have, naming what it has', () => {
    expect(issues(step('call', { subject: 'Hello' }))).toEqual([{ path: ['steps', 0, 'subject'], message: 'Call steps have no subject (their message fields: script)' }]);
    expect(issues(step('email', { script: 'x' }))).toEqual([{ path: ['steps', 0, 'script'], message: 'Email steps have no script (their message fields: subject and template)' }]);
    expect(issues(step('sms', { message: '  ' }))).toEqual([{ path: ['steps', 0, 'message'], message: 'message must not be empty' }]);
    expect(issues(step('task', { instructions: 3 }))).toEqual([{ path: ['steps', 0, 'instructions'], message: 'instructions must be text' }]);
    expect(issues(step('call', { script: 'a', template: 'b' }))[0]).toMatchObject({ path: ['steps', 0, expect.any(String)], message: 'give the call script once: as script or as template' });
  });

  it('reports message-field problems together with the others', () => {
    const paths = issues({ name: 'x', steps: [{ channel: 'call', delay: 'soon', value_item: 'v', subject: 's' }] }).map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['steps.0.delay', 'steps.0.subject']));
  });
});

describe('built-in cadences', () => {
  it('are valid and follow up persistently', () => {
    const names = DEFAULT_CADENCES.map((c) => c.name);
    expect(names).toContain(DEFAULT_CADENCE_NAME);
    for (const def of DEFAULT_CADENCES) {
      expect(validateCadence(cadenceToFile(def))).toEqual({ ok: true, value: def });
      for (const s of def.steps) expect(s.reason.length).toBeGreaterThan(5);
    }
    const outbound = DEFAULT_CADENCES.find((c) => c.name === DEFAULT_CADENCE_NAME)!;
    expect(outbound.steps.length).toBeGreaterThanOrEqual(8);
    expect(new Set(outbound.steps.map((s) => s.channel)).size).toBeGreaterThanOrEqual(3);
    expect(cadenceSpanBusinessDays(outbound)).toBeGreaterThanOrEqual(14);
    if (outbound.nurture) expect(names).toContain(outbound.nurture);
  });
});
