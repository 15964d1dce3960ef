// The built-in cadences' emails, drafted for sample prospects: what a prospect reads is the
// playbook's words and the prospect's own, never the rep's notes, an unfilled slot or a blank.
import { describe, expect, it } from 'vitest';
import { validateCadence } from '../../src/core/cadence.ts';
import { DEFAULT_CADENCES } from '../../src/core/default-cadences.ts';
import { DEFAULT_VALUE_ITEMS } from '../../src/core/default-playbook.ts';
import { composeMail, slotsIn, templateVars, type ProspectFields } from '../../src/core/mail-template.ts';
import { copyWarnings } from '../../src/core/step-copy.ts';
import { sendingMode, HAND_SENT_BEFORE_AUTOMATIC } from '../../src/core/step-sending.ts';
import { unsubscribeLinks } from '../../src/core/unsubscribe-token.ts';

const PROSPECTS: ProspectFields[] = [
  { first_name: 'Dana', last_name: 'Scully', email: 'dana@acme.example', title: 'VP Sales', company: 'Acme Corp', custom: '{}' },
  { first_name: 'José', last_name: 'Núñez', email: 'jose@kestrel.example', title: null, company: 'Kestrel Health & Co', custom: '{"plan":"Pro"}' },
  { first_name: 'Li', last_name: null, email: 'li@x.example', title: 'CTO', company: 'X', custom: '' },
];
const links = unsubscribeLinks('w1.p2.abcdefghijklmnopqrstuv', 'rep@tally.example', null);
const SENDER = { name: 'Sam Rivera', email: 'sam@tally.example' };
const items = new Map(DEFAULT_VALUE_ITEMS.map((v) => [v.key, { title: v.title, summary: v.summary, url: v.url ?? null }]));

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

describe('the built-in cadences send words a rep could send unchanged', () => {
  for (const cadence of DEFAULT_CADENCES) {
    cadence.steps.forEach((step, i) => {
      if (step.channel !== 'email') return;
      it(`${cadence.name}, step ${i + 1} (${step.name})`, () => {
        expect(step.valueItemKey === undefined || items.has(step.valueItemKey)).toBe(true);
        expect(copyWarnings(step)).toEqual([]);
        for (const p of PROSPECTS) {
          const vars = templateVars(p, step.valueItemKey ? items.get(step.valueItemKey)! : null, SENDER);
          const mail = composeMail({ subject: step.subject!, body: step.template!, vars, fills: new Map(), unsubscribe: links });
          const body = mail.text.split('\n\n--\n')[0]!;
          expect(mail.needs).toEqual([]);
          // No rep-facing reason, no slot, no blank variable, no template syntax left over.
          for (const note of [step.reason, ...step.talkingPoints]) expect(mail.text.toLowerCase()).not.toContain(note.toLowerCase());
          expect(mail.text).not.toMatch(/\[\[|\]\]|\{\{|\}\}|undefined|null/);
          expect(mail.subject).not.toMatch(/\[\[|\{\{|undefined|^\s*$/);
          expect(body).not.toMatch(/ {2,}|\n{3,}| [.,]|:\s*\n/);
          expect(body.startsWith(`Hi ${p.first_name},`)).toBe(true);
          expect(body.trimEnd().endsWith(SENDER.name)).toBe(true);
          expect(words(body)).toBeLessThan(90);
          expect(body.split('?').length - 1).toBe(1);
          expect(body).not.toMatch(/!|guarantee|revolutionary|game.?changer|synergy|just checking in|touch base/i);
          // Plain text for one-to-one mail, with the opt-out line.
          expect(mail.html).toBeNull();
          expect(mail.text).toContain('Not the right time? Reply "unsubscribe" or open mailto:');
        }
      });
    });
  }

  it('every built-in value item is written for the prospect, in a sentence or two', () => {
    for (const v of DEFAULT_VALUE_ITEMS) {
      expect(words(v.summary)).toBeLessThan(40);
      expect(v.summary).toMatch(/^[A-Z].*\.$/);
      expect(slotsIn(v.summary)).toEqual([]);
    }
  });

  it('the first email steps wait for review until a few were sent by hand; later ones go on schedule', () => {
    const steps = DEFAULT_CADENCES[0]!.steps;
    expect(sendingMode(steps, 0, 0)).toMatchObject({ mode: 'manual', explicit: false });
    expect(sendingMode(steps, 3, HAND_SENT_BEFORE_AUTOMATIC - 1).mode).toBe('manual');
    expect(sendingMode(steps, 3, HAND_SENT_BEFORE_AUTOMATIC).mode).toBe('automatic');
    expect(sendingMode(steps, 6, 0).mode).toBe('automatic');
    expect(sendingMode([{ channel: 'email', sending: 'automatic' }], 0, 0)).toMatchObject({ mode: 'automatic', explicit: true });
    expect(sendingMode([{ channel: 'email', sending: 'manual' }, { channel: 'email', sending: 'manual' }, { channel: 'email', sending: 'manual' }], 2, 99).mode).toBe('manual');
  });
});

describe('templates', () => {
  const vars = templateVars(PROSPECTS[0]!, { title: 'A <b>write-up</b>', summary: 'Numbers & names.', url: null }, SENDER);
  const compose = (subject: string, body: string, fills = new Map<string, string>()) => composeMail({ subject, body, vars, fills, unsubscribe: links });

  it('fills value item fields; a missing one and an unfilled slot are needs, shown as [[…]]', () => {
    const m = compose('For {{company}}', 'Hi {{first_name}}, {{value.title}}: {{value.summary}} {{value.link}}\n\n[[insight about their market]]');
    expect(m.text).toMatch(/^Hi Dana, A <b>write-up<\/b>: Numbers & names\. \[\[\{\{value\.link\}\}\]\]\n\n\[\[insight about their market\]\]\n\n--\n/);
    expect(m.needs).toEqual([
      { kind: 'variable', label: 'value.link', key: '{{value.link}}' },
      { kind: 'slot', label: 'insight about their market', key: 'insight about their market' },
    ]);
    const filled = compose('For {{company}}', 'x {{value.link}} [[Insight  about their market]]', new Map([['{{value.link}}', 'https://a.example'], ['insight about their market', 'Your churn fell.']]));
    expect(filled.needs).toEqual([]);
    expect(filled.text.startsWith('x https://a.example Your churn fell.')).toBe(true);
  });

  it('HTML only when the template uses formatting, escaped, with the opt-out line', () => {
    expect(compose('s', 'plain {{company}}').html).toBeNull();
    const m = compose('s', 'See **this** & [the page](https://a.example/x) for {{value.title}}');
    expect(m.text).toContain('See this & the page (https://a.example/x) for A <b>write-up</b>');
    expect(m.html).toContain('<p>See <strong>this</strong> &amp; <a href="https://a.example/x">the page</a> for A &lt;b&gt;write-up&lt;/b&gt;</p>');
    expect(m.html).toContain('unsubscribe here</a>');
  });

  it('{{value_item}} is refused on save, saying what to write instead', () => {
    const r = validateCadence({ name: 'Old', steps: [{ channel: 'email', delay: 0, subject: 'Hi', template: 'Hi {{first_name}}, {{value_item}}', value_item: 'a note' }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.issues[0]!.path).toEqual(['steps', 0, 'template']);
      expect(r.issues[0]!.message).toMatch(/\{\{value_item\}\} is no longer a template variable: it printed the step's reason.*\{\{value\.summary\}\}/);
    }
    const bad = validateCadence({ name: 'Old', steps: [{ channel: 'email', delay: 0, template: '{{value.body}}', reason: 'r' }] });
    expect(bad.ok || bad.issues[0]!.message).toMatch(/not a field of a value item/);
  });

  it('the editor flags rep notes and slots in prospect-facing fields', () => {
    const w = copyWarnings({ subject: 'Hi', template: 'Hi, a case study of a similar company. [[their goal]]', reason: 'a case study of a similar company', talkingPoints: [] });
    expect(w.map((x) => x.kind)).toEqual(['slot', 'rep_words']);
  });
});
