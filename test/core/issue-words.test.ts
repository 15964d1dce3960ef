// Errors people read name the step and the field in words, never "steps[1].delay".
import { describe, expect, it } from 'vitest';
import { issueInWords } from '../../src/core/validation.ts';
import { validateCadence } from '../../src/core/cadence.ts';

const words = (input: unknown) => {
  const r = validateCadence(input);
  if (r.ok) throw new Error('expected problems');
  return r.issues.map((i) => issueInWords(i.path, i.message));
};
const step = { channel: 'email', delay: 0, reason: 'a benchmark' };

describe('issueInWords', () => {
  it('names the step and the field', () => {
    expect(words({ name: 'X', steps: [step, { ...step, delay: 'next tuesday' }] })).toEqual(['Step 2: the delay must be a number of days or hours, e.g. 2d or 4h (found "next tuesday")']);
    expect(words({ name: 'X', steps: [step, { ...step, delay: { amount: null, unit: 'business_days' } }] })).toEqual(['Step 2: the delay must be a number of days or hours, e.g. 2d or 4h']);
    expect(words({ name: 'X', steps: [{ ...step, channel: 'fax' }] })[0]).toMatch(/^Step 1: the channel must be one of email, call/);
    expect(words({ name: 'X', steps: [{ channel: 'call', delay: 1 }] })[0]).toMatch(/^Step 1: the reason is required/);
    expect(words({ name: 'X', steps: [{ ...step, priority: 'high' }] })).toEqual(['Step 1: unknown field "priority"']);
    expect(words({ name: 'X', steps: [{ ...step, channel: 'call', subject: 'Hi' }] })[0]).toMatch(/^Step 1: Call steps have no subject/);
  });

  it('says how long a name is and how long it may be', () => {
    expect(words({ name: 'n'.repeat(300), steps: [step] })).toEqual(['The name is too long: 300 characters, at most 120']);
    expect(words({ name: '  ', steps: [step] })).toEqual(['The name must not be empty']);
  });

  it('words paths outside a step', () => {
    expect(issueInWords(['steps'], 'a cadence needs at least one step')).toBe('A cadence needs at least one step');
    expect(issueInWords(['steps', 3, 'talking_points', 1], 'each talking point must be text')).toBe('Step 4: each talking point must be text');
  });
});
