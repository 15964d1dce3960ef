// A prospect's time zone from what a CRM export says about them, when it has no time-zone column
// (HubSpot's and Salesforce's default exports): the state or province within a country that spans
// zones (US, Canada, Australia, Brazil), else the country's zone (its most populous one), else the
// country of an international phone number (libphonenumber-js). Always a guess: stored as
// "inferred" so people see it and can correct it.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export interface ZoneClues {
  country?: string | null;
  state?: string | null;
  phone?: string | null;
}

export interface InferredZone {
  zone: string;
  /** What it was inferred from, in words: "state", "country" or "phone number". */
  from: 'state' | 'country' | 'phone number';
}

/** ISO 3166 code, the zone (the most populous for a country that spans several), other names. */
const COUNTRIES: readonly [string, string, ...string[]][] = [
  ['US', 'America/New_York', 'United States', 'United States of America', 'USA', 'U.S.A.', 'U.S.', 'America'],
  ['CA', 'America/Toronto', 'Canada'],
  ['MX', 'America/Mexico_City', 'Mexico', 'México'],
  ['BR', 'America/Sao_Paulo', 'Brazil', 'Brasil'],
  ['AR', 'America/Argentina/Buenos_Aires', 'Argentina'],
  ['CL', 'America/Santiago', 'Chile'],
  ['CO', 'America/Bogota', 'Colombia'],
  ['PE', 'America/Lima', 'Peru', 'Perú'],
  ['GB', 'Europe/London', 'United Kingdom', 'UK', 'Great Britain', 'England', 'Scotland', 'Wales', 'Northern Ireland'],
  ['IE', 'Europe/Dublin', 'Ireland'],
  ['FR', 'Europe/Paris', 'France'],
  ['DE', 'Europe/Berlin', 'Germany', 'Deutschland'],
  ['ES', 'Europe/Madrid', 'Spain', 'España'],
  ['PT', 'Europe/Lisbon', 'Portugal'],
  ['IT', 'Europe/Rome', 'Italy', 'Italia'],
  ['NL', 'Europe/Amsterdam', 'Netherlands', 'The Netherlands', 'Holland', 'Nederland'],
  ['BE', 'Europe/Brussels', 'Belgium', 'België', 'Belgique'],
  ['LU', 'Europe/Luxembourg', 'Luxembourg'],
  ['CH', 'Europe/Zurich', 'Switzerland', 'Schweiz', 'Suisse'],
  ['AT', 'Europe/Vienna', 'Austria', 'Österreich'],
  ['DK', 'Europe/Copenhagen', 'Denmark', 'Danmark'],
  ['SE', 'Europe/Stockholm', 'Sweden', 'Sverige'],
  ['NO', 'Europe/Oslo', 'Norway', 'Norge'],
  ['FI', 'Europe/Helsinki', 'Finland', 'Suomi'],
  ['IS', 'Atlantic/Reykjavik', 'Iceland'],
  ['PL', 'Europe/Warsaw', 'Poland', 'Polska'],
  ['CZ', 'Europe/Prague', 'Czech Republic', 'Czechia'],
  ['SK', 'Europe/Bratislava', 'Slovakia'],
  ['HU', 'Europe/Budapest', 'Hungary'],
  ['RO', 'Europe/Bucharest', 'Romania'],
  ['BG', 'Europe/Sofia', 'Bulgaria'],
  ['GR', 'Europe/Athens', 'Greece'],
  ['TR', 'Europe/Istanbul', 'Turkey', 'Türkiye'],
  ['UA', 'Europe/Kyiv', 'Ukraine'],
  ['RU', 'Europe/Moscow', 'Russia', 'Russian Federation'],
  ['EE', 'Europe/Tallinn', 'Estonia'],
  ['LV', 'Europe/Riga', 'Latvia'],
  ['LT', 'Europe/Vilnius', 'Lithuania'],
  ['HR', 'Europe/Zagreb', 'Croatia'],
  ['SI', 'Europe/Ljubljana', 'Slovenia'],
  ['RS', 'Europe/Belgrade', 'Serbia'],
  ['IL', 'Asia/Jerusalem', 'Israel'],
  ['AE', 'Asia/Dubai', 'United Arab Emirates', 'UAE'],
  ['SA', 'Asia/Riyadh', 'Saudi Arabia'],
  ['QA', 'Asia/Qatar', 'Qatar'],
  ['EG', 'Africa/Cairo', 'Egypt'],
  ['ZA', 'Africa/Johannesburg', 'South Africa'],
  ['NG', 'Africa/Lagos', 'Nigeria'],
  ['KE', 'Africa/Nairobi', 'Kenya'],
  ['MA', 'Africa/Casablanca', 'Morocco'],
  ['IN', 'Asia/Kolkata', 'India'],
  ['PK', 'Asia/Karachi', 'Pakistan'],
  ['BD', 'Asia/Dhaka', 'Bangladesh'],
  ['LK', 'Asia/Colombo', 'Sri Lanka'],
  ['SG', 'Asia/Singapore', 'Singapore'],
  ['MY', 'Asia/Kuala_Lumpur', 'Malaysia'],
  ['TH', 'Asia/Bangkok', 'Thailand'],
  ['VN', 'Asia/Ho_Chi_Minh', 'Vietnam', 'Viet Nam'],
  ['ID', 'Asia/Jakarta', 'Indonesia'],
  ['PH', 'Asia/Manila', 'Philippines'],
  ['CN', 'Asia/Shanghai', 'China'],
  ['HK', 'Asia/Hong_Kong', 'Hong Kong'],
  ['TW', 'Asia/Taipei', 'Taiwan'],
  ['JP', 'Asia/Tokyo', 'Japan'],
  ['KR', 'Asia/Seoul', 'South Korea', 'Korea', 'Republic of Korea'],
  ['AU', 'Australia/Sydney', 'Australia'],
  ['NZ', 'Pacific/Auckland', 'New Zealand'],
];

/** Zone → the states (code and name) in it, per country that spans zones. */
const STATES: Record<string, Record<string, string[]>> = {
  US: {
    'America/New_York': ['CT Connecticut', 'DE Delaware', 'DC District of Columbia', 'FL Florida', 'GA Georgia', 'ME Maine', 'MD Maryland', 'MA Massachusetts', 'NH New Hampshire', 'NJ New Jersey', 'NY New York', 'NC North Carolina', 'OH Ohio', 'PA Pennsylvania', 'RI Rhode Island', 'SC South Carolina', 'VT Vermont', 'VA Virginia', 'WV West Virginia', 'KY Kentucky'],
    'America/Detroit': ['MI Michigan'],
    'America/Indiana/Indianapolis': ['IN Indiana'],
    'America/Chicago': ['AL Alabama', 'AR Arkansas', 'IL Illinois', 'IA Iowa', 'KS Kansas', 'LA Louisiana', 'MN Minnesota', 'MS Mississippi', 'MO Missouri', 'NE Nebraska', 'ND North Dakota', 'OK Oklahoma', 'SD South Dakota', 'TN Tennessee', 'TX Texas', 'WI Wisconsin'],
    'America/Denver': ['CO Colorado', 'MT Montana', 'NM New Mexico', 'UT Utah', 'WY Wyoming'],
    'America/Boise': ['ID Idaho'],
    'America/Phoenix': ['AZ Arizona'],
    'America/Los_Angeles': ['CA California', 'NV Nevada', 'OR Oregon', 'WA Washington'],
    'America/Anchorage': ['AK Alaska'],
    'Pacific/Honolulu': ['HI Hawaii'],
    'America/Puerto_Rico': ['PR Puerto Rico'],
  },
  CA: {
    'America/Vancouver': ['BC British Columbia'],
    'America/Edmonton': ['AB Alberta', 'NT Northwest Territories'],
    'America/Regina': ['SK Saskatchewan'],
    'America/Winnipeg': ['MB Manitoba'],
    'America/Toronto': ['ON Ontario', 'QC Quebec', 'QC Québec'],
    'America/Halifax': ['NS Nova Scotia', 'NB New Brunswick', 'PE Prince Edward Island'],
    'America/St_Johns': ['NL Newfoundland and Labrador', 'NL Newfoundland'],
    'America/Whitehorse': ['YT Yukon'],
    'America/Iqaluit': ['NU Nunavut'],
  },
  AU: {
    'Australia/Sydney': ['NSW New South Wales', 'ACT Australian Capital Territory'],
    'Australia/Melbourne': ['VIC Victoria'],
    'Australia/Brisbane': ['QLD Queensland'],
    'Australia/Adelaide': ['SA South Australia'],
    'Australia/Perth': ['WA Western Australia'],
    'Australia/Hobart': ['TAS Tasmania'],
    'Australia/Darwin': ['NT Northern Territory'],
  },
  BR: {
    'America/Sao_Paulo': ['SP São Paulo', 'RJ Rio de Janeiro', 'MG Minas Gerais', 'ES Espírito Santo', 'PR Paraná', 'SC Santa Catarina', 'RS Rio Grande do Sul', 'GO Goiás', 'DF Distrito Federal'],
    'America/Bahia': ['BA Bahia'],
    'America/Fortaleza': ['CE Ceará', 'MA Maranhão', 'PI Piauí', 'RN Rio Grande do Norte', 'PB Paraíba'],
    'America/Recife': ['PE Pernambuco'],
    'America/Maceio': ['AL Alagoas', 'SE Sergipe'],
    'America/Belem': ['PA Pará', 'AP Amapá'],
    'America/Araguaina': ['TO Tocantins'],
    'America/Manaus': ['AM Amazonas'],
    'America/Boa_Vista': ['RR Roraima'],
    'America/Porto_Velho': ['RO Rondônia'],
    'America/Rio_Branco': ['AC Acre'],
    'America/Cuiaba': ['MT Mato Grosso'],
    'America/Campo_Grande': ['MS Mato Grosso do Sul'],
  },
};

/** Case, accents, dots and spaces do not matter: "São Paulo" = "sao paulo", "U.S.A." = "usa". */
function clueKey(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

const countryByKey = new Map<string, { code: string; zone: string }>();
for (const [code, zone, ...names] of COUNTRIES) for (const n of [code, ...names]) countryByKey.set(clueKey(n), { code, zone });
const countryZone = new Map(COUNTRIES.map(([code, zone]) => [code, zone]));

const stateZone = new Map<string, Map<string, string>>();
for (const [country, zones] of Object.entries(STATES)) {
  const byKey = new Map<string, string>();
  for (const [zone, states] of Object.entries(zones)) {
    for (const s of states) {
      const space = s.indexOf(' ');
      byKey.set(clueKey(s.slice(0, space)), zone);
      byKey.set(clueKey(s.slice(space + 1)), zone);
    }
  }
  stateZone.set(country, byKey);
}

/** The ISO code of a country as written in an export ("United States", "usa", "DE"), if known. */
export function countryCode(text: string): string | null {
  return countryByKey.get(clueKey(text))?.code ?? null;
}

/** The country of a phone number written internationally (+44 …, 0044 …). */
function phoneCountry(phone: string): string | null {
  const text = phone.trim().replace(/^00/, '+');
  if (!text.startsWith('+')) return null;
  return parsePhoneNumberFromString(text)?.country ?? null;
}

/** The zone the clues point at, or null when they say nothing known. */
export function inferZone(clues: ZoneClues): InferredZone | null {
  const given = clues.country?.trim() ? countryCode(clues.country) : null;
  // The phone is read only without a known country (parsing costs more than the rest together).
  const phone = given === null && clues.phone?.trim() ? phoneCountry(clues.phone) : null;
  // A state names its country's zone; with no country at all, a US state (the CRMs' default market).
  const country = given ?? phone;
  const state = clues.state?.trim() ? stateZone.get(country ?? 'US')?.get(clueKey(clues.state)) : undefined;
  if (state) return { zone: state, from: 'state' };
  if (given) return { zone: countryZone.get(given)!, from: 'country' };
  if (phone && countryZone.has(phone)) return { zone: countryZone.get(phone)!, from: 'phone number' };
  return null;
}
