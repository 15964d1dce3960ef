import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/core/inbound/classify.ts';
import { newText } from '../../../src/core/inbound/reply-text.ts';

const msg = (headers: string, body: string): string => `${headers.trim()}\n\n${body}`;
const reply = (body: string, extra = ''): string =>
  msg(`From: Jane Park <Jane.Park@Northwind.example>\nTo: sam@tally-demo.example\nSubject: Re: Quick question\nMessage-ID: <r1@northwind.example>\nIn-Reply-To: <t1@tally-demo.example>\nReferences: <t0@tally-demo.example> <t1@tally-demo.example>\n${extra}`, body);
const FOOTER = "Not the right time? Reply 'unsubscribe' or click https://tally-demo.example/u/1";

describe('classify: envelope fields', () => {
  it('fills ids, sender and subject for every class', () => {
    const c = classify(reply('Sounds good.'));
    expect(c).toMatchObject({
      class: 'human_reply',
      messageId: '<r1@northwind.example>',
      inReplyTo: '<t1@tally-demo.example>',
      references: ['<t0@tally-demo.example>', '<t1@tally-demo.example>'],
      from: 'jane.park@northwind.example',
      subject: 'Re: Quick question',
      text: 'Sounds good.',
    });
  });
});

describe('classify: auto replies', () => {
  it('Auto-Submitted other than "no" is an auto reply', () => {
    expect(classify(reply('Hello', 'Auto-Submitted: auto-replied (vacation)')).class).toBe('auto_reply');
    expect(classify(reply('Hello', 'Auto-Submitted: auto-generated')).class).toBe('auto_reply');
    expect(classify(reply('Hello', 'Auto-Submitted: no')).class).toBe('human_reply');
  });

  it('X-Auto-Response-Suppress alone is not evidence; Precedence bulk alone is not enough', () => {
    expect(classify(reply('Sure, call me.', 'X-Auto-Response-Suppress: All')).class).toBe('human_reply');
    expect(classify(reply('Sure, call me.', 'Precedence: bulk')).class).toBe('human_reply');
  });

  it('a single out-of-office phrase in a person\'s reply stays a human reply', () => {
    expect(classify(reply("I'll be out of office next week, can we talk on the 20th?")).class).toBe('human_reply');
  });

  it('an out-of-office subject counts only at the start', () => {
    expect(classify(msg('From: a@b.example\nSubject: Out of Office: Re: hello', 'Away.')).class).toBe('auto_reply');
    expect(classify(msg('From: a@b.example\nSubject: [Auto-Reply] hello', 'Away.')).class).toBe('auto_reply');
    expect(classify(reply('Here is the quote.').replace('Subject: Re: Quick question', 'Subject: Re: Out of office furniture quote')).class).toBe('human_reply');
  });

  it('reports the return date with evidence', () => {
    const c = classify(reply('I am out of the office until January 15.', 'X-Autoreply: yes'), { now: new Date('2026-12-15T00:00:00Z') });
    expect(c.autoReply).toEqual({ kind: 'out_of_office', returnDate: '2027-01-16', returnDateStated: true });
    expect(c.evidence).toContainEqual({ source: 'header', detail: 'X-Autoreply: yes' });
  });
});

describe('classify: unsubscribe', () => {
  it.each([
    'Please unsubscribe me.',
    'Remove me from your list.',
    'Take me off your mailing list',
    'Stop emailing me.',
    'Not interested, please stop.',
    'Please do not contact me again.',
    'Bitte abmelden.',
    'Merci de me désinscrire.',
    'Quiero darme de baja.',
    'Graag afmelden.',
  ])('%s', (text) => {
    expect(classify(reply(`${text}\n\nOn Mon, Dec 14, 2026 at 9:12 AM Sam <sam@tally-demo.example> wrote:\n> Hi\n> ${FOOTER}\n`)).class).toBe('unsubscribe');
  });

  it('quoting our footer is not an unsubscribe, quoted or not', () => {
    expect(classify(reply(`Tuesday works.\n\nOn Mon, Dec 14, 2026 at 9:12 AM Sam <sam@tally-demo.example> wrote:\n> ${FOOTER}\n`)).class).toBe('human_reply');
    expect(classify(reply(`Tuesday works.\n\n${FOOTER}\n`)).class).toBe('human_reply');
    expect(classify(reply(`Tuesday works.\n\n-----Original Message-----\nFrom: Sam\nSent: Monday\n\n${FOOTER}\n`)).class).toBe('human_reply');
  });

  it("'don't email me the deck' is not a request to stop", () => {
    expect(classify(reply("Please don't email me the deck, share a link instead.")).class).toBe('human_reply');
  });
});

describe('classify: other', () => {
  it('newsletters with List-Unsubscribe are other, even though they say unsubscribe', () => {
    expect(classify(msg('From: news@x.example\nSubject: Weekly\nList-Unsubscribe: <mailto:u@x.example>\nPrecedence: bulk', 'News. Unsubscribe here.')).class).toBe('other');
  });

  it('empty input and bare headers are other', () => {
    expect(classify('').class).toBe('other');
    expect(classify(Buffer.alloc(0)).class).toBe('other');
    expect(classify('Subject: hi\n').class).toBe('other');
  });
});

describe('newText (quoted history stripping)', () => {
  it.each([
    ['Yes.\n\nOn Mon, Jan 5, 2027 at 10:12 AM Jane <jane@x.example> wrote:\n> old', 'Yes.'],
    ['Yes.\n\nOn Mon, Jan 5, 2027 at 10:12 AM Jane <\njane@x.example> wrote:\n\n> old', 'Yes.'],
    ['Ja.\n\nAm 05.01.2027 um 10:12 schrieb Jane <jane@x.example>:\n> alt', 'Ja.'],
    ['Oui.\n\nLe lun. 5 janv. 2027 à 10:12, Jane <jane@x.example> a écrit :\n> vieux', 'Oui.'],
    ['Sí.\n\nEl lun, 5 ene 2027 a las 10:12, Jane (<jane@x.example>) escribió:\n> viejo', 'Sí.'],
    ['Ja.\n\nOp ma 5 jan. 2027 om 10:12 schreef Jane <jane@x.example>:\n> oud', 'Ja.'],
    ['Sim.\n\nEm seg., 5 de jan. de 2027 às 10:12, Jane <jane@x.example> escreveu:\n> velho', 'Sim.'],
    ['Yes.\n\n-----Original Message-----\nFrom: Jane', 'Yes.'],
    ['Ja.\n\n________________________________\nVon: Jane\nGesendet: Montag\nAn: Sam\nBetreff: x\n\nalt', 'Ja.'],
    ['Yes.\n\nSent from my iPhone\n\n> On Jan 5 Jane wrote:', 'Yes.'],
    ['Yes.\n-- \nJane Doe\nCEO', 'Yes.'],
    ['はい。\n\n2027年1月5日(火) 10:12 Jane <jane@x.example>:\n> 古い', 'はい。'],
    ['> quoted first\nanswer below', 'answer below'],
  ])('%j', (text, want) => {
    expect(newText(text)).toBe(want);
  });
});
