import { describe, expect, it } from 'vitest';
import { findMentions } from '../../../src/core/inbound/date-mentions.ts';
import { extractReturnDate } from '../../../src/core/inbound/return-date.ts';

const day = { y: 2026, m: 12, d: 15 }; // a Tuesday
const rd = (text: string, order?: 'dmy' | 'mdy'): string | undefined => extractReturnDate(text, day, { order, langs: ['de', 'fr', 'es', 'nl', 'pt', 'ja'] })?.date;

describe('extractReturnDate', () => {
  it('"back / returning" dates are the return day itself', () => {
    expect(rd("I'm away. Back on Monday, January 11.")).toBe('2027-01-11');
    expect(rd('I will be back in the office on 4th January 2027.')).toBe('2027-01-04');
    expect(rd('I will return on Jan. 4th, 2027')).toBe('2027-01-04');
    expect(rd('Je serai de retour le 3 février.')).toBe('2027-02-03');
    expect(rd('Je serai de retour le 1er février.')).toBe('2027-02-01');
    expect(rd('Estaré de vuelta el 7 de enero de 2027.')).toBe('2027-01-07');
    expect(rd('Estou ausente do escritório com retorno em 12/01/2027.')).toBe('2027-01-12');
    expect(rd('Ab dem 11. Januar bin ich wieder im Büro.')).toBe('2027-01-11');
    expect(rd('Vanaf maandag 11 januari 2027 ben ik weer terug op kantoor.')).toBe('2027-01-11');
    expect(rd('Op 11 januari ben ik terug op kantoor.')).toBe('2027-01-11');
    expect(rd('1月5日より出社いたします。')).toBe('2027-01-05');
  });

  it('"until X" means absent through X: back the day after', () => {
    expect(rd('I am out of the office until Friday, January 15.')).toBe('2027-01-16');
    expect(rd('On annual leave until 2027-01-15.')).toBe('2027-01-16');
    expect(rd('Ich bin bis einschließlich 15.01.2027 nicht im Büro.')).toBe('2027-01-16');
    expect(rd("Je suis absent jusqu'au 8 janvier 2027 inclus.")).toBe('2027-01-09');
    expect(rd('Estoy fuera de la oficina hasta el 10 de enero.')).toBe('2027-01-11');
    expect(rd('Ik ben tot en met 8 januari met vakantie.')).toBe('2027-01-09');
    expect(rd('Estarei de férias até 20 de janeiro.')).toBe('2027-01-21');
    expect(rd('2027年1月15日まで不在にしております。')).toBe('2027-01-16');
    expect(rd('Out of office until 2026-12-31.')).toBe('2027-01-01');
  });

  it('the end of a range counts as "until"', () => {
    expect(rd("I'm away from December 20 to January 3.")).toBe('2027-01-04');
    expect(rd('12月28日から1月4日まで休暇をいただいております。')).toBe('2027-01-05');
  });

  it('a stated return date wins over an "until" date', () => {
    expect(rd("I'm out until Jan 8 and back on Jan 11.")).toBe('2027-01-11');
    expect(rd('Ich bin bis 8. Januar im Urlaub und ab dem 11. Januar wieder im Büro.')).toBe('2027-01-11');
  });

  it('dates without a year are the ones near the day the notice was written; a stale date is never rolled into next year', () => {
    expect(rd('Back on December 15.')).toBe('2026-12-15');
    expect(rd('Back on December 14.')).toBe('2026-12-14');
    expect(rd('Back on December 28.')).toBe('2026-12-28');
    expect(rd('Back on January 4.')).toBe('2027-01-04');
    expect(extractReturnDate('I am out of the office until January 15.', { y: 2027, m: 1, d: 20 })?.date).toBe('2027-01-16');
    expect(extractReturnDate('Back on September 1.', { y: 2027, m: 2, d: 10 })?.date).toBe('2027-09-01');
  });

  it('a bare weekday is the next such day after now (now is Tuesday 2026-12-15)', () => {
    expect(rd("I'm out today, back on Monday.")).toBe('2026-12-21');
    expect(rd('Back Tuesday.')).toBe('2026-12-22');
    expect(rd('Ich bin bis Freitag nicht im Büro.')).toBe('2026-12-19');
    expect(rd('Back on Monday, January 11.')).toBe('2027-01-11');
    expect(rd('Je serai de retour le lundi 11 janvier.')).toBe('2027-01-11');
  });

  it('reads a/b/yyyy day-first unless told otherwise or impossible', () => {
    expect(rd('returning 12/01/2027')).toBe('2027-01-12');
    expect(rd('returning 12/01/2027', 'mdy')).toBe('2027-12-01');
    expect(rd('returning 01/25/2027')).toBe('2027-01-25');
  });

  it('ignores dates without a return or until cue, and impossible dates', () => {
    expect(rd('Thank you for your email of 14 December.')).toBeUndefined();
    expect(rd("I'm on leave from 5 January.")).toBeUndefined();
    expect(rd('Back on 31 February.')).toBeUndefined();
    expect(rd('No date here at all.')).toBeUndefined();
  });

  it('finds dates in many formats', () => {
    const d = findMentions('2027-01-15, 15.01.2027, 15. januar, jan 15th, 15 de enero, 2027年1月15日, 1月15日');
    expect(d.map((x) => [x.y, x.m, x.d])).toEqual([
      [2027, 1, 15], [2027, 1, 15], [undefined, 1, 15], [undefined, 1, 15], [undefined, 1, 15], [2027, 1, 15], [undefined, 1, 15],
    ]);
  });
});
