// Human or automatic, meetings, confidence, and dates read against the message's own Date header.
import { describe, expect, it } from 'vitest';
import { classify } from '../../../src/core/inbound/classify.ts';
import { newText } from '../../../src/core/inbound/reply-text.ts';
import { extractReturnDate } from '../../../src/core/inbound/return-date.ts';

const msg = (headers: string, body: string): string => `${headers.trim()}\n\n${body}`;
const THREAD = 'In-Reply-To: <t1@tally-demo.example>\nReferences: <t1@tally-demo.example>';
const person = (body: string, extra = ''): string =>
  msg(`From: Jane Park <jane@northwind.example>\nTo: sam@tally-demo.example\nSubject: Re: Quick question\nDate: Tue, 15 Dec 2026 08:41:17 +0000\n${extra}`, body);

const ics = (method: string, lines: string): string =>
  `BEGIN:VCALENDAR\nVERSION:2.0\nMETHOD:${method}\nBEGIN:VEVENT\nDTSTART:20270112T150000Z\nSUMMARY:Intro call\n${lines}\nEND:VEVENT\nEND:VCALENDAR`;
const calendar = (from: string, method: string, lines: string, text = ''): string =>
  msg(
    `From: ${from}\nTo: sam@tally-demo.example\nSubject: Intro call\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="b"`,
    `--b\nContent-Type: text/plain\n\n${text}\n--b\nContent-Type: text/calendar; method=${method}\n\n${ics(method, lines)}\n--b--\n`,
  );

describe('meetings', () => {
  it('their invitation, or their acceptance of ours, books a meeting', () => {
    const invite = classify(calendar('jane@northwind.example', 'REQUEST', 'ORGANIZER:mailto:jane@northwind.example\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:sam@tally-demo.example'));
    expect(invite).toMatchObject({ class: 'meeting', confidence: 'certain', meeting: { method: 'REQUEST', start: '2027-01-12T15:00:00Z', summary: 'Intro call' } });
    const accepted = classify(calendar('jane@northwind.example', 'REPLY', 'ORGANIZER:mailto:sam@tally-demo.example\nATTENDEE;PARTSTAT=ACCEPTED:mailto:jane@northwind.example'));
    expect(accepted).toMatchObject({ class: 'meeting', confidence: 'certain', meeting: { partstat: 'ACCEPTED' } });
  });

  it('a decline or a tentative answer is a person answering; our own invitation coming back is no booking', () => {
    const declined = classify(calendar('jane@northwind.example', 'REPLY', 'ATTENDEE;PARTSTAT=DECLINED:mailto:jane@northwind.example', 'Not this week, sorry.'));
    expect(declined).toMatchObject({ class: 'human_reply', meeting: { partstat: 'DECLINED' } });
    const tentative = classify(calendar('jane@northwind.example', 'REPLY', 'ATTENDEE;PARTSTAT=TENTATIVE:mailto:jane@northwind.example'));
    expect(tentative).toMatchObject({ class: 'human_reply', meeting: { partstat: 'TENTATIVE' } });
    const ours = classify(calendar('jane@northwind.example', 'REQUEST', 'ORGANIZER:mailto:sam@tally-demo.example', 'Forwarding to my colleague.'));
    expect(ours.class).toBe('human_reply');
  });
});

describe('human or automatic', () => {
  it('a person may write the words software uses without being software', () => {
    expect(classify(person('We received your proposal, thanks. Let us talk on Thursday.', THREAD)).class).toBe('human_reply');
    expect(classify(person('Please verify that you are a human before sending me more decks, ha.', THREAD)).class).toBe('human_reply');
    expect(classify(person("I'm out of office tomorrow but Thursday works.", THREAD)).class).toBe('human_reply');
  });

  it('software: no-reply senders, inbox rules, ticket systems, challenge vendors', () => {
    expect(classify(msg('From: no-reply@vendor.example\nSubject: Re: Quick question', 'This address is not monitored.'))).toMatchObject({ class: 'auto_reply', autoReply: { kind: 'notification' } });
    expect(classify(person('Forwarded to the team.', 'X-MS-Exchange-Inbox-Rules-Loop: jane@northwind.example'))).toMatchObject({ class: 'auto_reply', confidence: 'certain', autoReply: { kind: 'notification' } });
    expect(classify(person('Your request (48213) has been received and is being reviewed by our support staff.', 'X-Zendesk-From-Account-Id: 1'))).toMatchObject({ class: 'auto_reply', autoReply: { kind: 'acknowledgement' } });
    expect(classify(msg('From: Jane <notify@boxbe.com>\nSubject: Request to join my Guest List', 'Click the link below to have your message delivered.'))).toMatchObject({ class: 'auto_reply', confidence: 'certain', autoReply: { kind: 'challenge' } });
  });

  it('an out-of-office subject wins over list headers; list mail without one is other', () => {
    expect(classify(person('I am away until Monday.', 'List-Id: <team.northwind.example>').replace('Re: Quick question', 'Automatic reply: Quick question')).class).toBe('auto_reply');
    expect(classify(msg('From: news@vendor.example\nSubject: December news\nList-Unsubscribe-Post: List-Unsubscribe=One-Click', 'Hello!')).class).toBe('other');
  });

  it('confidence of a human reply: threaded is certain, unthreaded likely, unthreaded with auto-reply words unsure', () => {
    expect(classify(person('Tuesday works.', THREAD)).confidence).toBe('certain');
    expect(classify(person('Tuesday works.')).confidence).toBe('likely');
    expect(classify(person('Out of office talk aside, Tuesday works.')).confidence).toBe('unsure');
  });
});

describe('dates are read against the message, never the processing clock', () => {
  const ooo = (date: string, body: string): string => msg(`From: jane@northwind.example\nSubject: Automatic reply: hi\nAuto-Submitted: auto-replied\nDate: ${date}`, body);

  it('the Date header anchors the year, whatever `now` says', () => {
    const raw = ooo('Tue, 15 Dec 2026 08:41:17 +0000', 'I am out of the office until January 15.');
    expect(classify(raw, { now: new Date('2031-06-01T00:00:00Z') }).autoReply?.returnDate).toBe('2027-01-16');
    expect(classify(raw).autoReply?.returnDate).toBe('2027-01-16');
  });

  it("the writer's own day is the one in the header's offset", () => {
    // 23:30 on 31 December in New York is already 1 January in UTC: "back on Monday" is from the 31st.
    expect(classify(ooo('Thu, 31 Dec 2026 23:30:00 -0500', 'Back on Monday.')).autoReply?.returnDate).toBe('2027-01-04');
  });

  it('no date stated says so', () => {
    expect(classify(ooo('Tue, 15 Dec 2026 08:41:17 +0000', 'I am out of the office.')).autoReply).toEqual({ kind: 'out_of_office', returnDateStated: false });
  });

  it.each([
    ['Sarò fuori ufficio fino al 6 gennaio.', ['it'], '2027-01-07'],
    ['Rientrerò il 7 gennaio.', ['it'], '2027-01-07'],
    ['Jestem nieobecna do 8 stycznia.', ['pl'], '2027-01-09'],
    ['Wracam 11 stycznia.', ['pl'], '2027-01-11'],
    ['Jag är tillbaka den 11 januari.', ['sv'], '2027-01-11'],
    ['Jeg er tilbage den 11. januar.', ['da'], '2027-01-11'],
    ['Palaan toimistolle 11.1.2027.', ['fi'], '2027-01-11'],
    ['Vrátím se 11. ledna.', ['cs'], '2027-01-11'],
    ['11 Ocak tarihinde döneceğim.', ['tr'], '2027-01-11'],
    ['Вернусь 11 января.', ['ru'], '2027-01-11'],
    ['1月11日に戻ります。', ['ja'], '2027-01-11'],
    ['我将于1月11日返回。', ['ja'], '2027-01-11'],
    ['1월 11일에 복귀합니다.', ['ko'], '2027-01-11'],
    ['Je serai absent du 5 au 22 janvier.', ['fr'], '2027-01-23'],
    ['Ich bin vom 5. bis 22. Januar nicht erreichbar.', ['de'], '2027-01-23'],
    ['Estaré fuera del 5 al 22 de enero.', ['es'], '2027-01-23'],
  ] as const)('%s', (text, langs, want) => {
    expect(extractReturnDate(text, { y: 2026, m: 12, d: 15 }, { langs })?.date).toBe(want);
  });
});

describe('new text: above, below and between the quote', () => {
  it.each([
    ['On Mon, Dec 14, 2026 at 9:12 AM Sam <sam@x.example> wrote:\n> Hi\n> unsubscribe\n\nYes, Tuesday.', 'Yes, Tuesday.'],
    ['> Can you do Tuesday?\nNo.\n> Wednesday?\nYes.', 'No.\nYes.'],
    ['Le 14/12/2026 à 10:12, Sam a écrit :\n> Bonjour\n\nOui.', 'Oui.'],
    ['Am 14.12.2026 um 10:12 schrieb Sam Rivera:\n> Hallo\n\nJa.', 'Ja.'],
    ['Den tis 15 dec. 2026 kl 10:12 skrev Sam Rivera <sam@x.example>:\n> Hej\n\nJa.', 'Ja.'],
    ['Ja.\n\nOd: Sam Rivera\nWysłano: poniedziałek\nDo: Marek\nTemat: x\n\nstare', 'Ja.'],
    ['Да.\n\nОт: Sam Rivera\nОтправлено: 14 декабря 2026 г.\nКому: Анна\n\nстарое', 'Да.'],
    ['好的。\n\n发件人: Sam Rivera\n发送时间: 2026年12月14日\n收件人: 张伟\n\n旧', '好的。'],
    ['Yes.\n\n-----Ursprüngliche Nachricht-----\nVon: Sam', 'Yes.'],
    ['Sam Rivera <sam@x.example> 于2026年12月14日周一 17:12写道：\n> 旧\n\n可以。', '可以。'],
    ['Yes, see below.\n\nOn Mon Sam wrote:\nunmarked old text\nmore old text', 'Yes, see below.'],
  ])('%j', (text, want) => {
    expect(newText(text)).toBe(want);
  });
});
