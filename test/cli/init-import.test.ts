import { beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEFAULT_CADENCES } from '../../src/core/default-cadences.ts';
import type { ImportReport } from '../../src/app/import-prospects.ts';
import { hasStackTrace, TallyCli } from '../helpers/cli.ts';
import { count, query, snapshot } from '../helpers/db.ts';
import { fixture } from '../helpers/fixtures.ts';
import { tempDir, writeFile } from '../helpers/tmp.ts';

const dir = tempDir();
let n = 0;

/** A fresh, initialised workspace per test. */
async function workspace(): Promise<TallyCli> {
  const cli = new TallyCli(join(dir, `t${++n}.db`));
  await cli.ok('init', '--timezone', 'UTC', '--email', 'me@tally.example', '--user-name', 'Me', '--name', 'Test');
  return cli;
}

interface ProspectRow {
  id: number;
  email: string;
  email_key: string;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  phone: string | null;
  timezone: string | null;
  custom: string;
  company: string | null;
}

function prospects(db: string): ProspectRow[] {
  return query<ProspectRow>(db, 'select p.*, c.name as company from prospects p left join companies c on c.id = p.company_id order by p.id');
}

describe('tally init', () => {
  it('creates the workspace, the user and the built-in cadences once', async () => {
    const cli = new TallyCli(join(dir, 'init.db'));
    const first = await cli.run('init', '--timezone', 'Europe/Paris', '--email', 'Sam@Tally.example', '--user-name', 'Sam', '--name', 'Acme');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Created workspace "Acme" (Europe/Paris)');
    expect(snapshot(cli.db)).toMatchObject({ workspaces: 1, users: 1, cadences: DEFAULT_CADENCES.length, prospects: 0 });
    expect(query(cli.db, 'select email, name, role from users')).toEqual([{ email: 'sam@tally.example', name: 'Sam', role: 'manager' }]);

    const again = await cli.run('init', '--timezone', 'UTC');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already exists');
    expect(snapshot(cli.db)).toMatchObject({ workspaces: 1, users: 1, cadences: DEFAULT_CADENCES.length });

    const json = await cli.json<{ created: boolean; workspace: { name: string; timezone: string }; user: { email: string } }>('init');
    expect(json).toMatchObject({ created: false, workspace: { name: 'Acme', timezone: 'Europe/Paris' }, user: { email: 'sam@tally.example' } });
  });

  it('refuses an unknown time zone and writes nothing', async () => {
    const cli = new TallyCli(join(dir, 'badzone.db'));
    const r = await cli.run('init', '--timezone', 'Mars/Olympus');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown time zone "Mars\/Olympus"/);
    expect(count(cli.db, 'workspaces')).toBe(0);
  });

  it('commands before init say to run init', async () => {
    const cli = new TallyCli(join(dir, 'empty.db'));
    const r = await cli.run('today');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/run "tally init" first/);
  });
});

describe('tally import prospects', () => {
  let cli: TallyCli;
  beforeEach(async () => {
    cli = await workspace();
  });

  it('maps CRM headers by name, keeps custom fields, dedupes and reports rejected rows with line numbers', async () => {
    const r = await cli.run('import', 'prospects', fixture('csv/crm-export.csv'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('crm-export.csv: 7 rows → 3 new, 0 updated, 1 duplicates, 3 rejected.');
    expect(r.stdout).toContain('2 companies created.');
    expect(r.stdout).toContain('Custom fields kept: Segment, Lead Source.');
    expect(r.stdout).toMatch(/line 5: invalid email "not-an-email"/);
    expect(r.stdout).toMatch(/line 7: unknown time zone "Mars\/Olympus"/);
    expect(r.stdout).toMatch(/line 8: expected 9 fields, found 8/);
    expect(r.stdout).toMatch(/line 4: ANA\.LIMA@Northwind\.example \(first on line 2\)/);

    const rows = prospects(cli.db);
    expect(rows.map((p) => p.email)).toEqual(['ana.lima@northwind.example', 'bo.chen@northwind.example', 'fay.wu@initech.example']);
    expect(rows[0]).toMatchObject({
      email_key: 'ana.lima@northwind.example',
      first_name: 'Ana',
      last_name: 'Lima', // the duplicate on line 4 does not win
      title: 'VP Sales',
      company: 'Northwind',
      timezone: 'America/Chicago',
      phone: '+1 555 0100',
    });
    expect(JSON.parse(rows[0]!.custom)).toEqual({ Segment: 'enterprise', 'Lead Source': 'webinar' });
    expect(JSON.parse(rows[2]!.custom)).toEqual({ 'Lead Source': 'website' });
    expect(rows[2]).toMatchObject({ company: 'Initech', timezone: 'Asia/Tokyo', title: 'Founder' });
  });

  it('--json gives the full report', async () => {
    const report = await cli.json<ImportReport>('import', 'prospects', fixture('csv/crm-export.csv'));
    expect(report).toEqual({
      file: 'crm-export.csv',
      rows: 7,
      inserted: 3,
      updated: 0,
      duplicates: [{ line: 4, email: 'ANA.LIMA@Northwind.example', firstLine: 2 }],
      rejected: [
        { line: 5, reason: 'invalid email "not-an-email"', field: 'email' },
        { line: 7, reason: expect.stringContaining('unknown time zone "Mars/Olympus"'), field: 'timezone' },
        { line: 8, reason: expect.stringContaining('expected 9 fields, found 8') },
      ],
      duplicateCount: 1,
      rejectedCount: 3,
      companiesCreated: 2,
      customFields: ['Segment', 'Lead Source'],
      skippedColumns: [],
      dryRun: false,
      importId: 1,
      warnings: [],
      warningCount: 0,
      unmatchedOwners: [],
      zonesInferred: 0,
    });
  });

  it('updates prospects already in the workspace (email case-insensitive), filling in and keeping what is blank', async () => {
    await cli.ok('import', 'prospects', fixture('csv/crm-export.csv'));
    const update = writeFile(dir, `update-${n}.csv`, 'email,title,phone,Segment,Region\nAna.Lima@NORTHWIND.example,Chief Revenue Officer,,mid-market,NA\nnew.one@initech.example,Analyst,,,\n');
    const report = await cli.json<ImportReport>('import', 'prospects', update);
    expect(report).toMatchObject({ rows: 2, inserted: 1, updated: 1, rejected: [], duplicates: [] });
    const ana = prospects(cli.db).find((p) => p.email_key === 'ana.lima@northwind.example')!;
    expect(ana).toMatchObject({ title: 'Chief Revenue Officer', phone: '+1 555 0100', first_name: 'Ana', company: 'Northwind' });
    expect(JSON.parse(ana.custom)).toEqual({ Segment: 'mid-market', 'Lead Source': 'webinar', Region: 'NA' });
    expect(count(cli.db, 'prospects')).toBe(4);
  });

  it('reports duplicate rows within the file and keeps the first', async () => {
    const report = await cli.json<ImportReport>('import', 'prospects', fixture('csv/duplicates.csv'));
    expect(report.inserted).toBe(2);
    expect(report.duplicates).toEqual([
      { line: 3, email: 'PAT@ACME.EXAMPLE', firstLine: 2 },
      { line: 5, email: 'Pat@Acme.Example', firstLine: 2 },
      { line: 6, email: 'quinn@acme.example', firstLine: 4 },
    ]);
    expect(prospects(cli.db).map((p) => [p.email, p.first_name])).toEqual([
      ['pat@acme.example', 'Pat'],
      ['quinn@acme.example', 'Quinn'],
    ]);
  });

  it('--dry-run checks everything and writes nothing', async () => {
    const before = snapshot(cli.db);
    const r = await cli.run('import', 'prospects', fixture('csv/crm-export.csv'), '--dry-run');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dry run \(nothing written\): crm-export\.csv: 7 rows → 3 new/);
    expect(r.stdout).toContain('line 5: invalid email');
    expect(snapshot(cli.db)).toEqual(before);
    const json = await cli.json<ImportReport>('import', 'prospects', fixture('csv/crm-export.csv'), '--dry-run');
    expect(json).toMatchObject({ dryRun: true, inserted: 3 });
    expect(snapshot(cli.db)).toEqual(before);
  });

  it('without an email column: exit 1, lists the headers, writes nothing', async () => {
    const before = snapshot(cli.db);
    for (const f of ['csv/no-email-column.csv', 'csv/custom-headers.csv']) {
      const r = await cli.run('import', 'prospects', fixture(f));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/:1: field email: no email column/);
      expect(r.stdout).toBe('');
    }
    const r = await cli.run('import', 'prospects', fixture('csv/custom-headers.csv'));
    expect(r.stderr).toContain('found "Contact", "Work Mail", "Org", "Tier"');
    expect(r.stderr).toContain('--map');
    expect(snapshot(cli.db)).toEqual(before);
  });

  it('--map names the columns the headers do not give away', async () => {
    const report = await cli.json<ImportReport>(
      'import', 'prospects', fixture('csv/custom-headers.csv'),
      '--map', 'Work Mail=email', '--map', 'Org=company', '--map', 'Tier=custom.tier',
    );
    expect(report).toMatchObject({ inserted: 3, rejected: [], companiesCreated: 2, customFields: ['tier'] });
    const rows = prospects(cli.db);
    expect(rows.map((p) => [p.email, p.first_name, p.last_name, p.company, JSON.parse(p.custom)])).toEqual([
      ['gus@acme.example', 'Gus', 'Grant', 'Acme', { tier: 'gold' }],
      ['hal@acme.example', 'Hal', 'Hunt', 'Acme', { tier: 'silver' }],
      ['ivy@umbrella.example', 'Ivy Iverson', 'Jones', 'Umbrella', { tier: 'gold' }],
    ]);
  });

  it('--map can ignore a column', async () => {
    const report = await cli.json<ImportReport>('import', 'prospects', fixture('csv/custom-headers.csv'), '--map', 'Work Mail=email', '--map', 'Tier=ignore');
    expect(report.customFields).toEqual(['Org']);
    expect(JSON.parse(prospects(cli.db)[0]!.custom)).toEqual({ Org: 'Acme' });
  });

  it.each([
    [['--map', 'nonsense'], /bad --map "nonsense"/],
    [['--map', 'Work Mail=favourite_colour'], /unknown field "favourite_colour"/],
    [['--map', 'Missing Column=email'], /--map names column "Missing Column", which is not in the header/],
    [['--map', 'Work Mail=email', '--map', 'Org=email'], /both map to email/],
    [['--encoding', 'ebcdic'], /unknown encoding "ebcdic"/],
    [['--owner', 'ghost@nowhere.example'], /unknown owner/],
  ])('usage error %j: exit 2, nothing written', async (args, message) => {
    const before = snapshot(cli.db);
    const r = await cli.run('import', 'prospects', fixture('csv/custom-headers.csv'), ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(snapshot(cli.db)).toEqual(before);
  });

  it('a missing file: exit 1', async () => {
    const r = await cli.run('import', 'prospects', join(dir, 'nope.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read .*nope\.csv/);
  });

  it('an empty file: exit 1, nothing written', async () => {
    const r = await cli.run('import', 'prospects', writeFile(dir, `empty-${n}.csv`, ''));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/empty/);
  });

  it('an owner not on the team imports the row as the importer\'s, with a warning', async () => {
    const f = writeFile(dir, `owners-${n}.csv`, 'email,owner\na@x.example,me@tally.example\nb@x.example,ghost@x.example\n');
    const report = await cli.json<ImportReport>('import', 'prospects', f);
    expect(report).toMatchObject({ inserted: 2, rejected: [], warningCount: 1, unmatchedOwners: [{ owner: 'ghost@x.example', rows: 1 }] });
    expect(report.warnings).toEqual([{ line: 3, field: 'owner', message: expect.stringContaining('owner "ghost@x.example" is not on the team: imported as') }]);
    const text = await cli.ok('import', 'prospects', writeFile(dir, `owners-again-${n}.csv`, 'email,owner\nc@x.example,Ghost Writer\n'));
    expect(text).toContain('1 row names an owner not on the team (Ghost Writer: 1): imported as yours.');
    const zones = await cli.ok('import', 'prospects', writeFile(dir, `zones-${n}.csv`, 'Email,Country/Region,State/Region\nzed@x.example,United States,TX\n'));
    expect(zones).toContain('1 time zone inferred from country, state or phone number');
    expect(await cli.ok('show', 'zed@x.example')).toContain('America/Chicago (inferred)');
  });
});

describe('tally import prospects: encodings and broken files', () => {
  let cli: TallyCli;
  beforeEach(async () => {
    cli = await workspace();
  });

  // "Jörg" and "O’Brien" as Windows-1252 bytes (ö = 0xF6, ’ = 0x92): not valid UTF-8.
  const cp1252 = () =>
    Buffer.concat([
      Buffer.from('email,first_name,last_name\nann@x.example,Ann,Ames\nbob@x.example,Bob,Barr\n'),
      Buffer.from([...Buffer.from('jorg@x.example,J'), 0xf6, ...Buffer.from('rg,O'), 0x92, ...Buffer.from('Brien\n')]),
      Buffer.from('zed@x.example,Zed,Zane\n'),
    ]);

  it('latin1 bytes in a UTF-8 file: exit 1 naming the file and line, nothing written; --encoding windows-1252 then works', async () => {
    const f = writeFile(dir, `excel-${n}.csv`, cp1252());
    const before = snapshot(cli.db);
    const r = await cli.run('import', 'prospects', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`excel-${n}\\.csv:4: not valid UTF-8`));
    expect(r.stderr).toContain('--encoding windows-1252');
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(snapshot(cli.db)).toEqual(before);

    const ok = await cli.json<ImportReport>('import', 'prospects', f, '--encoding', 'windows-1252');
    expect(ok).toMatchObject({ inserted: 4, rejected: [] });
    const jorg = prospects(cli.db).find((p) => p.email === 'jorg@x.example')!;
    expect([jorg.first_name, jorg.last_name]).toEqual(['Jörg', 'O’Brien']);
  });

  it('UTF-16 with a BOM (little and big endian) and UTF-8 with a BOM import as is', async () => {
    const text = 'Email,Name,Company\nzoë@münchen.example,Zoë Müller,Bäckerei Groß\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    const u8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.replace('zoë', 'zoe'), 'utf8')]);
    for (const [name, bytes] of [['le', le], ['be', be], ['u8', u8]] as const) {
      const report = await cli.json<ImportReport>('import', 'prospects', writeFile(dir, `utf16-${name}-${n}.csv`, bytes));
      expect(report.rejected).toEqual([]);
    }
    const rows = prospects(cli.db);
    expect(rows.map((p) => [p.email, p.first_name, p.last_name, p.company])).toEqual([
      ['zoë@münchen.example', 'Zoë', 'Müller', 'Bäckerei Groß'],
      ['zoe@münchen.example', 'Zoë', 'Müller', 'Bäckerei Groß'],
    ]);
  });

  it('UTF-16 without a BOM: exit 1 with a hint; --encoding utf-16le works', async () => {
    const f = writeFile(dir, `nobom-${n}.csv`, Buffer.from('email,first_name\numa@x.example,Uma\n', 'utf16le'));
    const r = await cli.run('import', 'prospects', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/UTF-16 without a byte-order mark: pass --encoding utf-16le/);
    expect(count(cli.db, 'prospects')).toBe(0);
    expect((await cli.json<ImportReport>('import', 'prospects', f, '--encoding', 'utf-16le')).inserted).toBe(1);
  });

  it('an unclosed quote: exit 1 with the line where the field opens, nothing written', async () => {
    const before = snapshot(cli.db);
    const r = await cli.run('import', 'prospects', fixture('csv/unclosed-quote.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unclosed-quote\.csv:3: malformed CSV/);
    expect(r.stderr).toMatch(/quote/i);
    expect(hasStackTrace(r.stderr)).toBe(false);
    expect(snapshot(cli.db)).toEqual(before);
  });

  it('text after a closing quote: exit 1 with its line', async () => {
    const f = writeFile(dir, `stray-${n}.csv`, 'email,first_name\nok@x.example,Ok\nbad@x.example,"Jack"y\nlast@x.example,Last\n');
    const r = await cli.run('import', 'prospects', f);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`stray-${n}\\.csv:3: malformed CSV`));
    expect(count(cli.db, 'prospects')).toBe(0);
  });

  it('counts lines right with CRLF endings, blank lines and quoted line breaks', async () => {
    const text = [
      'email,first_name,notes',
      'a@x.example,A,"two',
      'lines"',
      '',
      'bad-email,B,x',
      'c@x.example,C,"say ""hi"""',
      'd@x.example,D',
      '',
      '',
      'e@x.example,E,"last, one"',
      'E@X.EXAMPLE,E2,dup',
    ].join('\r\n');
    const report = await cli.json<ImportReport>('import', 'prospects', writeFile(dir, `crlf-${n}.csv`, `${text}\r\n`));
    expect(report.rejected.map((r) => [r.line, r.field ?? null])).toEqual([
      [5, 'email'],
      [7, null],
    ]);
    expect(report.duplicates).toEqual([{ line: 11, email: 'E@X.EXAMPLE', firstLine: 10 }]);
    expect(report.inserted).toBe(3);
    const rows = prospects(cli.db);
    expect(rows.map((p) => (JSON.parse(p.custom) as Record<string, string>).notes)).toEqual(['two\r\nlines', 'say "hi"', 'last, one']);
  });

  it('a header-only file imports nothing and says so', async () => {
    const report = await cli.json<ImportReport>('import', 'prospects', writeFile(dir, `header-${n}.csv`, 'email,first_name\n'));
    expect(report).toMatchObject({ rows: 0, inserted: 0, rejected: [] });
  });

  it('10,000 rows with 3 broken lines: exactly those rejected with their line numbers, 9,997 imported', async () => {
    const zones = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', ''];
    const lines = ['email,first_name,last_name,company,timezone,segment'];
    const broken = new Map<number, string>([
      [1235, 'invalid email'],
      [5001, 'expected 6 fields, found 7'],
      [9999, 'unknown time zone "Europe/Atlantis"'],
    ]);
    for (let i = 1; i <= 10_000; i++) {
      const line = i + 1; // the header is line 1
      const email = line === 1235 ? `person${i}.example.com` : `person${i}@company${i % 250}.example`;
      const zone = line === 9999 ? 'Europe/Atlantis' : zones[i % zones.length];
      const extra = line === 5001 ? ',oops' : '';
      lines.push(`${email},First${i},Last${i},Company ${i % 250},${zone},seg${i % 3}${extra}`);
    }
    const f = writeFile(dir, `big-${n}.csv`, `${lines.join('\n')}\n`);
    const report = await cli.json<ImportReport>('import', 'prospects', f);
    expect(report.rows).toBe(10_000);
    expect(report.inserted).toBe(9_997);
    expect(report.duplicates).toEqual([]);
    expect(report.rejected.map((r) => r.line)).toEqual([...broken.keys()]);
    report.rejected.forEach((r) => expect(r.reason).toContain(broken.get(r.line)));
    expect(report.companiesCreated).toBe(250);
    expect(count(cli.db, 'prospects')).toBe(9_997);
    expect(count(cli.db, 'prospects', "custom = ?", '{"segment":"seg1"}')).toBeGreaterThan(3000);

    // One transaction: the same file with an unclosed quote on its last line writes nothing at all,
    // although the rows before it fill several write batches.
    const cli2 = await workspace();
    const f2 = writeFile(dir, `big-broken-${n}.csv`, `${lines.join('\n')}\n"tail@x.example,Tail\n`);
    const r = await cli2.run('import', 'prospects', f2);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/:10002: malformed CSV/);
    expect(count(cli2.db, 'prospects')).toBe(0);
    expect(count(cli2.db, 'companies')).toBe(0);
  });
});
