// The web client's URLs: path parameters filled in and escaped, the query's parsed values (numbers,
// booleans, lists) written as the server's query parser reads them, absent values left out.
import { describe, expect, it } from 'vitest';
import { urlOf } from '../../web/src/url.ts';

describe('urlOf', () => {
  it('fills in path parameters, escaped', () => {
    expect(urlOf('/api/prospects/:id/touches', { params: { id: 7 } })).toBe('/api/prospects/7/touches');
    expect(urlOf('/api/cadences/:ref', { params: { ref: 'Tally default outbound/2' } })).toBe('/api/cadences/Tally%20default%20outbound%2F2');
    expect(() => urlOf('/api/prospects/:id', {})).toThrow(/no value for :id/);
  });

  it('writes the query: numbers and booleans as text, a list as repeated keys, nothing for absent values', () => {
    expect(urlOf('/api/queue', { query: { limit: 200, team: true, days: undefined } })).toBe('/api/queue?limit=200&team=true');
    expect(urlOf('/api/imports/preview', { query: { file: 'a b.csv', map: ['E-Mail=email', 'Notes=ignore'] } }))
      .toBe('/api/imports/preview?file=a+b.csv&map=E-Mail%3Demail&map=Notes%3Dignore');
    expect(urlOf('/api/tokens', { query: {} })).toBe('/api/tokens');
  });
});
