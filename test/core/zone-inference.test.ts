// Inferring a prospect's zone from a CRM export's country, state and phone columns.
import { describe, expect, it } from 'vitest';
import { countryCode, inferZone } from '../../src/core/zone-inference.ts';
import { isValidTimeZone } from '../../src/core/schedule.ts';

describe('inferZone', () => {
  it.each([
    [{ country: 'United States', state: 'California' }, 'America/Los_Angeles', 'state'],
    [{ country: 'USA', state: 'TX' }, 'America/Chicago', 'state'],
    [{ country: 'us', state: 'new  york' }, 'America/New_York', 'state'],
    [{ state: 'Washington' }, 'America/Los_Angeles', 'state'],
    [{ country: 'Australia', state: 'WA' }, 'Australia/Perth', 'state'],
    [{ country: 'Canada', state: 'British Columbia' }, 'America/Vancouver', 'state'],
    [{ country: 'Brasil', state: 'São Paulo' }, 'America/Sao_Paulo', 'state'],
    [{ country: 'Brazil', state: 'bahia' }, 'America/Bahia', 'state'],
    [{ country: 'Germany' }, 'Europe/Berlin', 'country'],
    [{ country: 'Deutschland', state: 'Bayern' }, 'Europe/Berlin', 'country'],
    [{ country: 'United States' }, 'America/New_York', 'country'],
    [{ phone: '+44 20 7946 0958' }, 'Europe/London', 'phone number'],
    [{ phone: '0081 3-1234-5678' }, 'Asia/Tokyo', 'phone number'],
    [{ phone: '+61 8 9123 4567', state: 'WA' }, 'Australia/Perth', 'state'],
    [{ country: 'Japan', phone: '+1 415 555 0142' }, 'Asia/Tokyo', 'country'],
  ])('%j → %s (from %s)', (clues, zone, from) => {
    expect(inferZone(clues)).toEqual({ zone, from });
  });

  it('says nothing when nothing is known', () => {
    expect(inferZone({})).toBeNull();
    expect(inferZone({ country: 'Atlantis', phone: '12' })).toBeNull();
    expect(inferZone({ phone: '(512) 555-0188' })).toBeNull();
  });

  it('knows countries by code and by name, and every zone it names exists', () => {
    expect(countryCode('U.S.A.')).toBe('US');
    expect(countryCode('the netherlands')).toBe('NL');
    expect(countryCode('Türkiye')).toBe('TR');
    for (const c of ['US', 'CA', 'AU', 'BR', 'GB', 'IN', 'JP', 'NZ', 'UA']) expect(isValidTimeZone(inferZone({ country: c })!.zone)).toBe(true);
  });
});
