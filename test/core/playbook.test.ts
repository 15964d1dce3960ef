import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cadenceToFile, validateCadence } from '../../src/core/cadence.ts';
import {
  KEY_MAX, KEY_PATTERN, objectionInput, objectionsForStep, playbookRefIssues, playbookUsage, slugify, uniqueKey, valueItemInput, type Objection, type PlaybookIndex,
} from '../../src/core/playbook.ts';
import type { CadenceDefinition } from '../../src/core/types.ts';

const obj = (key: string, tags: string[] = [], extra: Partial<Objection> = {}): Objection => ({ id: 0, key, objection: key, answer: 'a', tags, channel: null, archived: false, ...extra });

function valid(input: unknown): CadenceDefinition {
  const r = validateCadence(input);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}

describe('slugs and keys', () => {
  it.each([
    ["We're happy with our CRM!", 'were-happy-with-our-crm'],
    ['  Trop cher, déjà équipé ', 'trop-cher-deja-equipe'],
    ['Send me an email.', 'send-me-an-email'],
    ['!!!', 'entry'],
  ])('slugify(%j) = %j', (text, slug) => expect(slugify(text)).toBe(slug));

  it('always gives a valid key of at most KEY_MAX characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
      const k = slugify(s);
      expect(k).toMatch(KEY_PATTERN);
      expect(k.length).toBeLessThanOrEqual(KEY_MAX);
    }));
  });

  it('finds the first free key, still valid when the base is long', () => {
    expect(uniqueKey('pricing', new Set())).toBe('pricing');
    expect(uniqueKey('pricing', new Set(['pricing', 'pricing-2']))).toBe('pricing-3');
    const long = 'a'.repeat(KEY_MAX);
    const k = uniqueKey(long, new Set([long]));
    expect(k).toMatch(KEY_PATTERN);
    expect(k.length).toBeLessThanOrEqual(KEY_MAX);
    expect(k.endsWith('-2')).toBe(true);
  });
});

describe('entry validation', () => {
  it('normalises tags and defaults the optional fields', () => {
    const r = objectionInput.parse({ objection: ' Too expensive ', answer: 'Compared with what?', tags: ['Pricing ', 'pricing', 'timing'] });
    expect(r).toEqual({ objection: 'Too expensive', answer: 'Compared with what?', tags: ['pricing', 'timing'], channel: null });
  });

  it('names the bad field', () => {
    const path = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => r.error?.issues[0]?.path.join('.');
    expect(path(objectionInput.safeParse({ objection: '', answer: 'x' }))).toBe('objection');
    expect(path(objectionInput.safeParse({ objection: 'x', answer: 'y', channel: 'fax' }))).toBe('channel');
    expect(path(objectionInput.safeParse({ objection: 'x', answer: 'y', key: 'Not A Key' }))).toBe('key');
    const url = valueItemInput.safeParse({ kind: 'link', title: 't', summary: 's', url: 'javascript:alert(1)' });
    expect(path(url)).toBe('url');
    expect(url.error?.issues[0]?.message).toMatch(/http\(s\)/);
    expect(path(valueItemInput.safeParse({ kind: 'video', title: 't', summary: 's' }))).toBe('kind');
  });
});

describe('cadence steps with playbook references', () => {
  const file = {
    name: 'With playbook',
    steps: [
      { channel: 'email', delay: 0, value_item_key: 'northwind-case-study' },
      { channel: 'call', delay: 2, value_item: 'a benchmark', objections: ['too-expensive', 'too-expensive'], objection_tags: ['Timing'] },
    ],
  };

  it('accepts a value item key instead of the free text, and round-trips through the file form', () => {
    const def = valid(file);
    expect(def.steps[0]).toMatchObject({ reason: '', valueItemKey: 'northwind-case-study' });
    expect(def.steps[1]).toMatchObject({ objections: ['too-expensive'], objectionTags: ['timing'] });
    expect(valid(cadenceToFile(def))).toEqual(def);
  });

  it('needs a value line or a value item key, and well-formed keys', () => {
    const r = validateCadence({ name: 'x', steps: [{ channel: 'call', delay: 1 }, { channel: 'call', delay: 1, value_item: 'v', objections: ['Bad Key'] }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path.join('.'))).toEqual(['steps.0.reason', 'steps.1.objections.0']);
    expect(r.issues[0]!.message).toMatch(/value_item_key/);
  });

  it('reports every unknown or archived key with its step', () => {
    const index: PlaybookIndex = {
      valueItems: new Map([['northwind-case-study', { archived: true }]]),
      objections: new Map([['too-expensive', { archived: false, tags: ['pricing'] }]]),
    };
    const def = valid({ ...file, steps: [...file.steps, { channel: 'call', delay: 1, value_item: 'v', objections: ['nope'] }] });
    const issues = playbookRefIssues(def, index);
    expect(issues.map((i) => i.path.join('.'))).toEqual(['steps.0.value_item_key', 'steps.1.objection_tags.0', 'steps.2.objections.0']);
    expect(issues[0]!.message).toBe('step 1 ("Step 1: email"): value item "northwind-case-study" is archived');
    expect(issues[2]!.message).toContain('unknown objection "nope"');
    expect(issues[1]!.message).toContain('tagged "timing"');
  });
});

describe('objections shown on a step', () => {
  const all = [obj('too-expensive', ['pricing']), obj('no-time'), obj('wrong-person'), obj('later', ['timing']), obj('gone', [], { archived: true }), obj('who-gave-you-my-number', [], { channel: 'call' })];

  it('shows the named ones in order, then the tagged ones, never archived or other-channel ones', () => {
    const keys = (o: Objection[]) => o.map((x) => x.key);
    expect(keys(objectionsForStep({ channel: 'email', objections: ['later', 'gone', 'who-gave-you-my-number', 'no-time'], objectionTags: ['pricing'] }, all))).toEqual(['later', 'no-time', 'too-expensive']);
  });

  it('falls back to general (untagged) objections, most used first', () => {
    const usage = new Map([['wrong-person', 3], ['too-expensive', 9]]);
    expect(objectionsForStep({ channel: 'call' }, all, usage).map((o) => o.key)).toEqual(['wrong-person', 'no-time', 'who-gave-you-my-number']);
    expect(objectionsForStep({ channel: 'email' }, all, usage, 5).map((o) => o.key)).toEqual(['wrong-person', 'no-time', 'too-expensive', 'later']);
  });

  it('knows which steps use each entry, by key or through a tag', () => {
    const def = valid({ name: 'C', steps: [{ channel: 'call', delay: 0, value_item_key: 'case', objections: ['too-expensive'], objection_tags: ['pricing'] }, { channel: 'call', delay: 1, value_item: 'x', objection_tags: ['timing'] }] });
    const used = playbookUsage([{ cadenceId: 7, cadence: 'C', version: 2, def }], all);
    expect(used.get('value_item:case')).toEqual([{ cadenceId: 7, cadence: 'C', version: 2, step: 1, stepName: 'Step 1: call', via: 'key' }]);
    expect(used.get('objection:too-expensive')).toHaveLength(1);
    expect(used.get('objection:later')?.[0]).toMatchObject({ step: 2, via: 'tag' });
    expect(used.has('objection:no-time')).toBe(false);
  });
});
