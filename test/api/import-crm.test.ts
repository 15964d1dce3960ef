// Imports like the CRMs export (issue 18): HubSpot, Salesforce, Pipedrive and Apollo exports map
// with no manual step; owners by email or display name (any case and spacing); an owner not on the
// team makes the row the importer's, with a warning; zones inferred from country, state or phone
// and flagged; the board filters to the last import; "Enroll these N" leaves out who cannot be.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoWorld, type Client, type World } from './harness.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/crm');
let w: World;

beforeAll(async () => {
  w = await demoWorld();
});

async function importFile(client: Client, file: string) {
  const start = await client.req('POST', `/api/imports?file=${file}`, { raw: readFileSync(join(FIXTURES, file)), contentType: 'text/csv' });
  expect(start.status, start.text).toBe(202);
  let job = start.body;
  for (let i = 0; i < 300 && (job.status === 'running' || job.status === 'queued'); i++) {
    await new Promise((r) => setTimeout(r, 20));
    job = (await client.get(`/api/imports/${job.id}`)).body;
  }
  expect(job.status, JSON.stringify(job.error)).toBe('done');
  return job.report;
}

const EXPORTS = [
  ['hubspot-contacts.csv', '@hubspot.example', { 'Contact owner': 'owner', 'Country/Region': 'country', 'State/Region': 'state', 'Phone Number': 'phone', 'Company Name': 'company', 'Job Title': 'title', 'Record ID': 'custom.Record ID', 'Lifecycle Stage': 'custom.Lifecycle Stage' }],
  ['salesforce-contacts.csv', '@salesforce.example', { 'Contact Owner': 'owner', 'Mailing Country': 'country', 'Mailing State/Province': 'state', Phone: 'phone', Mobile: 'custom.Mobile', 'Account Name': 'company', Title: 'title' }],
  ['pipedrive-persons.csv', '@pipedrive.example', { 'Person - Name': 'name', 'Person - Email - Work': 'email', 'Person - Email - Home': 'custom.Person - Email - Home', 'Person - Phone - Work': 'phone', 'Person - Owner': 'owner', 'Person - Organization': 'company', 'Person - Postal address - Country': 'country' }],
  ['apollo-contacts.csv', '@apollo.example', { 'Contact Owner': 'owner', 'Account Owner': 'custom.Account Owner', 'First Phone': 'phone', Company: 'company', 'Company Name for Emails': 'custom.Company Name for Emails', State: 'state', Country: 'country', 'Company Country': 'custom.Company Country', 'Person Linkedin Url': 'linkedin_url', 'Company Linkedin Url': 'custom.Company Linkedin Url' }],
] as const;

describe('CRM exports', () => {
  it.each(EXPORTS)('%s maps by its headers alone', async (file, _domain, expected) => {
    const preview = await w.manager.req('POST', `/api/imports/preview?file=${file}`, { raw: readFileSync(join(FIXTURES, file)), contentType: 'text/csv' });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.problem).toBeNull();
    const targets = Object.fromEntries(preview.body.columns.map((c: { header: string; target: string }) => [c.header, c.target]));
    expect(targets).toMatchObject(expected);
    expect(preview.body.counts).toMatchObject({ rows: 12, new: 12, rejected: 0 });
  });

  it.each(EXPORTS)('%s imports owners by name, the unknown one as the importer\'s, and infers the zones', async (file, domain) => {
    const report = await importFile(w.manager, file);
    expect(report).toMatchObject({ rows: 12, inserted: 12, rejectedCount: 0, warningCount: 2 });
    expect(report.unmatchedOwners).toEqual([{ owner: 'Alex Kim', rows: 2 }]);
    expect(report.warnings[0]).toMatchObject({ line: 5, field: 'owner', message: 'owner "Alex Kim" is not on the team: imported as Morgan Manager\'s' });
    const rows = await w.store.db.selectFrom('prospects as p').innerJoin('users as u', 'u.id', 'p.owner_id')
      .select(['p.email', 'u.email as owner', 'p.timezone', 'p.timezone_inferred', 'p.import_id']).where('p.email', 'like', `%${domain}`).execute();
    const by = (first: string) => rows.find((r) => r.email.startsWith(first))!;
    expect(rows).toHaveLength(12);
    expect(new Set(rows.map((r) => r.import_id))).toEqual(new Set([report.importId]));
    // "Sam Rivera", "sam rivera", "  Sam   Rivera " and sam@demo.tally are one person.
    for (const first of ['zoe.', 'marcus.', 'aiko.', 'noah.']) expect(by(first).owner).toBe('sam@demo.tally');
    expect(by('lena.').owner).toBe('priya@demo.tally');
    expect(by('tomas.').owner).toBe('you@demo.tally');
    expect(by('liam.').owner).toBe('you@demo.tally');
    const zones = Object.fromEntries(rows.map((r) => [r.email.split('@')[0], [r.timezone, r.timezone_inferred]]));
    expect(zones).toMatchObject({
      'lena.fischer': ['Europe/Berlin', 1],
      'aiko.tanaka': ['Asia/Tokyo', 1],
      'liam.walsh': ['Europe/Dublin', 1],
      'priyanka.rao': ['Asia/Kolkata', 1],
      'ethan.clark': ['Europe/London', 1], // no country: the +44 phone number
    });
    expect(zones['olivia.brown']).toEqual(['Australia/Perth', 1]); // Australia, WA
    expect(zones['maya.cohen']).toEqual(['America/New_York', 1]); // a US state, no country
    expect(report.zonesInferred).toBe(12);
    // Apollo's "Person Linkedin Url" (http://) is the LinkedIn profile, in https.
    const profiles = await w.store.db.selectFrom('prospects').select('linkedin_url').where('email', 'like', `%${domain}`).where('linkedin_url', 'is not', null).execute();
    expect(profiles.map((p) => p.linkedin_url)).toEqual(file === 'apollo-contacts.csv' ? Array(12).fill(expect.stringMatching(/^https:\/\/www\.linkedin\.com\/in\//)) : []);
  });

  it('lets a rep import too: an owner not on the team is theirs, a teammate named is refused', async () => {
    const csv = 'Email,Contact owner\nnew.one@rep-import.example,Alex Kim\nnew.two@rep-import.example,Sam Rivera\nnew.three@rep-import.example,Priya Natarajan\n';
    const start = await w.priya.req('POST', '/api/imports?file=mine.csv', { raw: csv, contentType: 'text/csv' });
    let job = start.body;
    for (let i = 0; i < 300 && (job.status === 'running' || job.status === 'queued'); i++) {
      await new Promise((r) => setTimeout(r, 20));
      job = (await w.priya.get(`/api/imports/${job.id}`)).body;
    }
    expect(job.report).toMatchObject({ inserted: 2, rejectedCount: 1, warningCount: 1 });
    expect(job.report.rejected[0]).toMatchObject({ line: 3, field: 'owner' });
  });
});

describe('after an import', () => {
  it('the board filters to the last import and "enroll these" leaves out who cannot be enrolled', async () => {
    const report = await importFile(w.sam, 'hubspot-contacts.csv');
    // Sam's own re-import of rows a manager imported: the rows that are Sam's update, the others are refused.
    const last = await w.sam.get('/api/imports/last');
    expect(last.body.last).toMatchObject({ id: report.importId, file: 'hubspot-contacts.csv', prospects: report.inserted + report.updated });
    const board = await w.sam.get(`/api/prospects?import=${report.importId}&limit=200`);
    expect(board.body.total).toBe(report.inserted + report.updated);
    const ids: number[] = board.body.items.map((p: { id: number }) => p.id);
    await w.store.db.updateTable('prospects').set({ opted_out_at: 1 }).where('id', '=', ids[0]!).execute();
    await w.store.db.updateTable('prospects').set({ email_status: 'bad' }).where('id', '=', ids[1]!).execute();
    const enrolled = await w.sam.post('/api/enrollments', { cadence: 'Tally nurture', board: { import: report.importId } });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body.enrolled).toHaveLength(ids.length - 2);
    expect(enrolled.body.skipped.map((s: { reason: string }) => s.reason).sort()).toEqual(['left out: whose address bounced', 'opted out']);
    // Someone else's import is not a way into their prospects.
    expect((await w.priya.get(`/api/prospects?import=${report.importId}`)).body.total).toBe(0);
  });

  it('a zone set by hand is no longer "inferred" and an inferred one never replaces it', async () => {
    const lena = await w.store.db.selectFrom('prospects').select(['id']).where('email', '=', 'lena.fischer@salesforce.example').executeTakeFirstOrThrow();
    const set = await w.manager.req('PUT', `/api/prospects/${lena.id}/timezone`, { body: { timezone: 'Europe/Vienna' } });
    expect(set.body).toEqual({ timezone: 'Europe/Vienna', timezoneInferred: false });
    expect((await w.manager.get(`/api/prospects/${lena.id}`)).body.prospect).toMatchObject({ timezone: 'Europe/Vienna', timezone_inferred: 0 });
    await importFile(w.manager, 'salesforce-contacts.csv');
    expect((await w.manager.get(`/api/prospects/${lena.id}`)).body.prospect.timezone).toBe('Europe/Vienna');
    const bad = await w.manager.req('PUT', `/api/prospects/${lena.id}/timezone`, { body: { timezone: 'Mars/Olympus' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/unknown time zone "Mars\/Olympus"/);
  });
});
