// Importing prospects from CSV. The whole import is one transaction: a fatal error writes nothing,
// a bad row is rejected with its line number and reason and the rest goes in.
import { isValidTimeZone } from '../core/schedule.ts';
import { PROSPECT_FIELDS, type ProspectField } from '../core/import-format.ts';
import { isManager, type Context } from './context.ts';
import { ERASED_REASON, erasedKeys } from './erase.ts';
import { TallyError } from '../core/errors.ts';
import { csvPieces, type CsvSource } from './csv-stream.ts';
import { emailKey, nameKey } from '../core/keys.ts';
import { isEmailAddress } from '../core/email-address.ts';
import { isLinkedInUrl } from '../core/linkedin-url.ts';
import { restoreCell } from '../core/csv-cells.ts';
import type { Store } from './ports/store/index.ts';
import type { ProspectChange } from './ports/store/prospects.ts';
import type { Prospect } from './ports/records.ts';
import { inferZone, type ZoneClues } from '../core/zone-inference.ts';

/** What a CSV column can be mapped to: a field, a custom field, or nothing. */
export type ColumnTarget = { kind: 'field'; field: ProspectField } | { kind: 'custom'; name: string } | { kind: 'ignore' };

/** Header spellings seen in CRM exports, normalised (lowercase, letters and digits only). */
const SYNONYMS: Record<string, ProspectField> = {
  email: 'email', emailaddress: 'email', mail: 'email', workemail: 'email', businessemail: 'email', email1: 'email',
  firstname: 'first_name', givenname: 'first_name', first: 'first_name', forename: 'first_name', prenom: 'first_name',
  lastname: 'last_name', surname: 'last_name', familyname: 'last_name', last: 'last_name',
  name: 'name', fullname: 'name', contactname: 'name', contact: 'name',
  phone: 'phone', phonenumber: 'phone', mobile: 'phone', mobilephone: 'phone', telephone: 'phone', tel: 'phone', workphone: 'phone', directphone: 'phone',
  title: 'title', jobtitle: 'title', position: 'title', role: 'title',
  linkedinurl: 'linkedin_url', linkedin: 'linkedin_url', linkedinprofile: 'linkedin_url', linkedinprofileurl: 'linkedin_url', personlinkedinurl: 'linkedin_url',
  company: 'company', companyname: 'company', account: 'company', accountname: 'company', organization: 'company', organisation: 'company', employer: 'company',
  timezone: 'timezone', tz: 'timezone', zone: 'timezone',
  owner: 'owner', owneremail: 'owner', rep: 'owner', assignedto: 'owner',
  priority: 'priority', hot: 'priority',
  // How HubSpot, Salesforce, Pipedrive ("Person - …", stripped) and Apollo name them in their exports.
  emailwork: 'email', phonework: 'phone', phonemobile: 'phone', firstphone: 'phone', workdirectphone: 'phone', mobilephone2: 'phone',
  contactowner: 'owner', recordowner: 'owner', leadowner: 'owner', hubspotowner: 'owner',
  timezonename: 'timezone', contacttimezone: 'timezone', iananame: 'timezone',
  country: 'country', countryregion: 'country', mailingcountry: 'country', countrycode: 'country',
  state: 'state', stateregion: 'state', mailingstateprovince: 'state', stateprovince: 'state', province: 'state',
  postaladdresscountry: 'country', postaladdressstatecounty: 'state',
};

export function normaliseHeader(h: string): string {
  return h.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Parses `--map "Column=field"` entries (field may be a known field, `custom.NAME` or `ignore`). */
export function parseMapping(entries: string[]): Map<string, ColumnTarget> {
  const map = new Map<string, ColumnTarget>();
  for (const entry of entries) {
    const eq = entry.lastIndexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new TallyError(`bad --map "${entry}": write it as "CSV column=field"`, 'usage', { field: 'map' });
    const column = entry.slice(0, eq).trim();
    const target = entry.slice(eq + 1).trim();
    if (target === 'ignore') map.set(column, { kind: 'ignore' });
    else if (target.startsWith('custom.') && target.length > 7) map.set(column, { kind: 'custom', name: target.slice(7) });
    else if ((PROSPECT_FIELDS as readonly string[]).includes(target)) map.set(column, { kind: 'field', field: target as ProspectField });
    else throw new TallyError(`bad --map "${entry}": unknown field "${target}" (use ${PROSPECT_FIELDS.join(', ')}, custom.NAME or ignore)`, 'usage', { field: 'map' });
  }
  return map;
}

/**
 * What each column maps to: the explicit mapping, else the header's usual meaning, else a custom
 * field. A usual meaning already taken (a second phone column, Apollo's "Account Owner" after
 * "Contact Owner") keeps the column as a custom field, so a CRM export maps with no manual step.
 */
export function suggestColumns(headers: string[], mapping: Map<string, ColumnTarget>): ColumnTarget[] {
  const explicit = headers.map((h) => mapping.get(h) ?? mapping.get(h.trim()));
  const taken = new Set<ProspectField>(explicit.flatMap((t) => (t?.kind === 'field' ? [t.field] : [])));
  return headers.map((h, i): ColumnTarget => {
    const given = explicit[i];
    if (given) return given;
    const key = normaliseHeader(h);
    const field = SYNONYMS[key] ?? SYNONYMS[key.replace(/^person/, '')];
    if (!field || taken.has(field)) return { kind: 'custom', name: h.trim() };
    taken.add(field);
    return { kind: 'field', field };
  });
}

/** A target spelled the way `--map` (and the API's `map`) takes it: `email`, `custom.NAME`, `ignore`. */
export function targetName(t: ColumnTarget): string {
  return t.kind === 'field' ? t.field : t.kind === 'custom' ? `custom.${t.name}` : 'ignore';
}

/** A spreadsheet export has dozens of columns; thousands is a mistake or an attack on the workspace's storage. */
export const MAX_COLUMNS = 1000;
/** Custom fields kept per prospect: the rest of a file's extra columns are reported, not stored. */
export const MAX_CUSTOM_FIELDS = 200;

export function resolveColumns(headers: string[], mapping: Map<string, ColumnTarget>, file: string): ColumnTarget[] {
  if (headers.length > MAX_COLUMNS) {
    throw new TallyError(`the file has ${headers.length} columns; Tally reads at most ${MAX_COLUMNS} (keep the ones you need)`, 'invalid', { file, line: 1 });
  }
  const targets = suggestColumns(headers, mapping);
  for (const column of mapping.keys()) {
    if (!headers.some((h) => h === column || h.trim() === column)) {
      throw new TallyError(`--map names column "${column}", which is not in the header (${headers.join(', ')})`, 'usage', { file, line: 1 });
    }
  }
  const seen = new Map<ProspectField, string>();
  targets.forEach((t, i) => {
    if (t.kind !== 'field') return;
    const prev = seen.get(t.field);
    if (prev !== undefined) throw new TallyError(`columns "${prev}" and "${headers[i]}" both map to ${t.field}: map one of them elsewhere with --map`, 'usage', { file, line: 1 });
    seen.set(t.field, headers[i]!);
  });
  if (!seen.has('email')) {
    throw new TallyError(
      `no email column: found ${headers.map((h) => `"${h}"`).join(', ')}; name the one holding addresses with --map "COLUMN=email"`,
      'missing_column',
      { file, line: 1, field: 'email' },
    );
  }
  return targets;
}

export interface RejectedRow {
  line: number;
  reason: string;
  field?: string;
}

export interface DuplicateRow {
  line: number;
  email: string;
  firstLine: number;
}

/** A row not imported, as the `problems` callback gets it. */
export type ImportProblem = ({ kind: 'rejected' } & RejectedRow) | ({ kind: 'duplicate' } & DuplicateRow);

/** A row imported with a caveat (an owner not on the team: the row is the importer's). */
export interface ImportWarning {
  line: number;
  message: string;
  field?: string;
}

export interface ImportReport {
  /** The import's id: the board's "Last import" filter and "Enroll these N" name it (null for a dry run). */
  importId: number | null;
  file: string;
  rows: number;
  inserted: number;
  updated: number;
  /** The first `listLimit` duplicates and rejected rows, in file order; the counts count them all. */
  duplicates: DuplicateRow[];
  rejected: RejectedRow[];
  duplicateCount: number;
  rejectedCount: number;
  companiesCreated: number;
  customFields: string[];
  /** Extra columns not kept: past the custom-field limit (MAX_CUSTOM_FIELDS). */
  skippedColumns: string[];
  dryRun: boolean;
  /** The first `listLimit` warnings; `warningCount` counts them all. */
  warnings: ImportWarning[];
  warningCount: number;
  /** Owner names or emails in the file that are no user of the workspace, with their rows (imported as the importer's). */
  unmatchedOwners: { owner: string; rows: number }[];
  /** Rows whose time zone was inferred from their country, state or phone number. */
  zonesInferred: number;
}

export interface ImportProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
}

export interface ImportOptions {
  map?: string[];
  encoding?: string;
  /** Owner of rows without an owner column (default: the acting user). */
  owner?: string;
  dryRun?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Filled in while the file is read, for a preview before importing (see ImportPreview). */
  preview?: ImportPreview;
  /** How many rejected rows (and duplicates) the report lists (default: all); a server keeps its reports small. */
  listLimit?: number;
  /** Every rejected or duplicate row, in file order, as the import finds it (a server writes them to a file). */
  problems?: (p: ImportProblem) => void;
}

/** What a row of the file says about a prospect. */
type RowFields = Pick<Prospect, 'email' | 'first_name' | 'last_name' | 'phone' | 'title' | 'linkedin_url' | 'timezone' | 'priority'> & { company: string | null; custom: Record<string, string>; zoneInferred: boolean };

/** A row as it would be imported. */
export interface PreviewRow extends RowFields {
  line: number;
  action: 'new' | 'update';
  owner: string;
}

/**
 * What a preview shows: the header with each column's target, set as soon as the header is read
 * (so a file whose mapping is refused still shows its columns), and the first `limit` rows.
 */
export interface ImportPreview {
  limit: number;
  columns: { header: string; target: string }[] | null;
  rows: PreviewRow[];
}

interface CleanRow extends RowFields {
  line: number;
  key: string;
  owner_id: number;
}

// A batch is one synchronous write on the main thread: with the search index kept by triggers (issue 18)
// 1,000 rows held the event loop near 200 ms under load; 100 keeps each write short.
const BATCH = 100;
const ROLLBACK = Symbol('dry run');

function splitName(full: string): [string | null, string | null] {
  const parts = full.trim().split(/\s+/);
  if (parts.length === 0 || !parts[0]) return [null, null];
  if (parts.length === 1) return [parts[0], null];
  return [parts.slice(0, -1).join(' '), parts[parts.length - 1]!];
}

/** The workspace's users by email or display name: case and spacing do not matter ("Sam  RIVERA"). */
class OwnerDirectory {
  private readonly byKey = new Map<string, number>();
  constructor(users: readonly { id: number; email: string; name: string }[]) {
    for (const u of users) this.byKey.set(u.email.trim().toLowerCase(), u.id);
    // Emails win over names; of two people with one name, the first keeps it.
    for (const u of users) if (u.name.trim() && !this.byKey.has(nameKey(u.name))) this.byKey.set(nameKey(u.name), u.id);
  }

  find(value: string): number | undefined {
    return this.byKey.get(nameKey(value));
  }
}

class RowReader {
  private readonly zoneOk = new Map<string, boolean>();
  constructor(
    private readonly headers: string[],
    private readonly targets: ColumnTarget[],
    private readonly owners: OwnerDirectory,
    private readonly defaultOwner: number,
    /** A rep's import: every row is theirs, and the owner column may only name them. */
    private readonly onlyOwner: number | null,
    /** An owner the directory does not know: the row stays the importer's, with a warning. */
    private readonly unknownOwner: (owner: string, line: number) => void,
  ) {}

  read(record: string[], line: number): CleanRow | RejectedRow {
    if (record.length !== this.headers.length) {
      return { line, reason: `expected ${this.headers.length} fields, found ${record.length} (a stray comma or quote?)` };
    }
    const row: CleanRow = {
      line, email: '', key: '', first_name: null, last_name: null, phone: null, title: null, linkedin_url: null,
      company: null, timezone: null, owner_id: this.defaultOwner, priority: 0, custom: {}, zoneInferred: false,
    };
    let fullName: string | null = null;
    const clues: ZoneClues = {};
    for (let i = 0; i < record.length; i++) {
      const target = this.targets[i]!;
      // A cell Tally exported as '=… (CSV injection guard) comes back as it was.
      const value = restoreCell(record[i]!.trim());
      if (target.kind === 'ignore' || value === '') continue;
      if (target.kind === 'custom') {
        row.custom[target.name] = value;
        continue;
      }
      switch (target.field) {
        case 'email': row.email = value; break;
        case 'name': fullName = value; break;
        case 'owner': {
          const id = this.owners.find(value);
          if (id === undefined) {
            this.unknownOwner(value, line);
            break;
          }
          if (this.onlyOwner !== null && id !== this.onlyOwner) {
            return { line, reason: `only a manager can give prospects another owner: leave owner empty or put your own name or email (found "${value}")`, field: 'owner' };
          }
          row.owner_id = id;
          break;
        }
        case 'country':
        case 'state':
          // Kept as the file names it, and a clue to the zone.
          row.custom[this.headers[i]!.trim()] = value;
          clues[target.field] = value;
          break;
        case 'priority': {
          const n = /^(yes|true|hot)$/i.test(value) ? 1 : Number(value);
          if (!Number.isInteger(n) || n < 0 || n > 9) return { line, reason: `priority must be a whole number from 0 to 9, got "${value}"`, field: 'priority' };
          row.priority = n;
          break;
        }
        case 'linkedin_url': {
          // CRMs export the profile as http:// (Apollo does); the LinkedIn channel opens https.
          const url = value.replace(/^http:\/\//i, 'https://');
          if (!isLinkedInUrl(url)) return { line, reason: `the LinkedIn profile must be an address like https://www.linkedin.com/in/their-name, got "${value}"`, field: 'linkedin_url' };
          row.linkedin_url = url;
          break;
        }
        case 'timezone': {
          let ok = this.zoneOk.get(value);
          if (ok === undefined) this.zoneOk.set(value, (ok = isValidTimeZone(value)));
          if (!ok) return { line, reason: `unknown time zone "${value}" (use an IANA name such as America/New_York)`, field: 'timezone' };
          row.timezone = value;
          break;
        }
        default: row[target.field] = value;
      }
    }
    if (!row.email) return { line, reason: 'missing email', field: 'email' };
    if (!isEmailAddress(row.email)) return { line, reason: `invalid email "${row.email}"`, field: 'email' };
    row.key = emailKey(row.email);
    if (fullName && !row.first_name && !row.last_name) [row.first_name, row.last_name] = splitName(fullName);
    if (row.timezone === null) {
      const inferred = inferZone({ ...clues, phone: row.phone });
      if (inferred) [row.timezone, row.zoneInferred] = [inferred.zone, true];
    }
    return row;
  }
}

/** Imports a CSV file of prospects. Throws TallyError (nothing written) on a fatal problem. */
export async function importProspects(ctx: Context, source: CsvSource, opts: ImportOptions = {}): Promise<ImportReport> {
  const file = source.name;
  const mapping = parseMapping(opts.map ?? []);
  const users = await ctx.store.users.list(ctx.workspace.id);
  const owners = new OwnerDirectory(users);
  let defaultOwner = ctx.user.id;
  // A rep imports for themselves only: the workspace dedupes on email across the team.
  const onlyOwner = isManager(ctx) ? null : ctx.user.id;
  if (opts.owner) {
    const id = owners.find(opts.owner);
    if (onlyOwner !== null && id !== onlyOwner) throw new TallyError('only a manager can import prospects for another owner', 'forbidden', { field: 'owner' });
    if (id === undefined) throw new TallyError(`unknown owner "${opts.owner}"`, 'usage', { field: 'owner' });
    defaultOwner = id;
  }
  const ownerEmails = new Map(users.map((u) => [u.id, u.email]));
  const report = emptyReport(file, opts.dryRun === true);
  const unmatched = new UnmatchedOwners(report, ctx.user.name || ctx.user.email, opts.listLimit);
  const problems = new Problems(report, opts);
  const custom = new Set<string>();
  try {
    await ctx.store.transaction(async (tx) => {
      const writer = new ProspectWriter(ctx, tx, report, onlyOwner, opts.preview, (id) => ownerEmails.get(id) ?? '', problems);
      await writer.prepare(file);
      const firstLine = new Map<string, number>();
      let reader: RowReader | null = null;
      let batch: CleanRow[] = [];
      const totalBytes = source.size;
      for await (const piece of csvPieces(source, opts.encoding)) {
        for (const { record, line } of piece.records) {
          if (!reader) {
            const headers = record.map((h) => restoreCell(h.trim()));
            if (opts.preview) opts.preview.columns = suggestColumns(headers, mapping).map((t, i) => ({ header: headers[i]!, target: targetName(t) }));
            const targets = capCustomFields(resolveColumns(headers, mapping, file), headers, report);
            targets.forEach((t) => t.kind === 'custom' && custom.add(t.name));
            reader = new RowReader(headers, targets, owners, defaultOwner, onlyOwner, (owner, line) => unmatched.note(owner, line));
            continue;
          }
          report.rows++;
          const row = reader.read(record, line);
          if (!('key' in row)) {
            problems.rejected(row);
            continue;
          }
          const seen = firstLine.get(row.key);
          if (seen !== undefined) {
            problems.duplicate({ line, email: row.email, firstLine: seen });
            continue;
          }
          firstLine.set(row.key, line);
          batch.push(row);
          if (batch.length >= BATCH) {
            await writer.write(batch);
            problems.flush();
            batch = [];
          }
        }
        // Rows before the batch being gathered are judged: hand on their problems now (a file of bad rows never fills a batch).
        problems.flush(batch[0]?.line);
        opts.onProgress?.({ bytes: piece.bytes, totalBytes, rows: report.rows });
      }
      if (!reader) throw new TallyError('the file is empty: expected a header row with at least an email column', 'missing_column', { file, line: 1 });
      await writer.write(batch);
      problems.flush();
      opts.onProgress?.({ bytes: totalBytes, totalBytes, rows: report.rows });
      if (opts.dryRun) throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  report.customFields = [...custom];
  report.unmatchedOwners = unmatched.summary();
  if (report.dryRun) report.importId = null;
  return report;
}

function emptyReport(file: string, dryRun: boolean): ImportReport {
  return {
    importId: null, file, rows: 0, inserted: 0, updated: 0, duplicates: [], rejected: [], duplicateCount: 0, rejectedCount: 0,
    companiesCreated: 0, customFields: [], skippedColumns: [], dryRun, warnings: [], warningCount: 0, unmatchedOwners: [], zonesInferred: 0,
  };
}

/** Owners a file names who are not on the team: their rows are the importer's, each with a warning. */
class UnmatchedOwners {
  private readonly rows = new Map<string, number>();
  constructor(
    private readonly report: ImportReport,
    private readonly importer: string,
    private readonly limit = Infinity,
  ) {}

  note(owner: string, line: number): void {
    this.rows.set(owner, (this.rows.get(owner) ?? 0) + 1);
    if (this.report.warningCount++ < this.limit) this.report.warnings.push({ line, field: 'owner', message: `owner "${owner}" is not on the team: imported as ${this.importer}'s` });
  }

  summary(): { owner: string; rows: number }[] {
    return [...this.rows].map(([owner, rows]) => ({ owner, rows })).sort((a, b) => b.rows - a.rows || a.owner.localeCompare(b.owner));
  }
}

/**
 * Rejected and duplicate rows, handed on in file order: the reader's wait until the batch they sit
 * among is written (the writer rejects rows too). The report lists the first `listLimit` and counts all.
 */
class Problems {
  private pending: ImportProblem[] = [];
  private readonly limit: number;
  constructor(
    private readonly report: ImportReport,
    private readonly opts: ImportOptions,
  ) {
    this.limit = opts.listLimit ?? Infinity;
  }

  rejected(row: RejectedRow): void {
    this.pending.push({ kind: 'rejected', ...row });
  }

  duplicate(d: DuplicateRow): void {
    this.pending.push({ kind: 'duplicate', ...d });
  }

  /** Hands on the problems found so far (those before line `before` only, when given). */
  flush(before = Infinity): void {
    if (this.pending.length === 0) return;
    this.pending.sort((a, b) => a.line - b.line);
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.line < before) n++;
    for (const p of this.pending.slice(0, n)) {
      this.opts.problems?.(p);
      if (p.kind === 'rejected') {
        if (this.report.rejectedCount++ < this.limit) this.report.rejected.push({ line: p.line, reason: p.reason, ...(p.field === undefined ? {} : { field: p.field }) });
      } else if (this.report.duplicateCount++ < this.limit) this.report.duplicates.push({ line: p.line, email: p.email, firstLine: p.firstLine });
    }
    this.pending = this.pending.slice(n);
  }
}

/** Custom columns past the limit become ignored columns, named in the report. */
function capCustomFields(targets: ColumnTarget[], headers: string[], report: ImportReport): ColumnTarget[] {
  let kept = 0;
  return targets.map((t, i) => {
    if (t.kind !== 'custom' || ++kept <= MAX_CUSTOM_FIELDS) return t;
    report.skippedColumns.push(headers[i]!);
    return { kind: 'ignore' };
  });
}

/** A known prospect's custom fields with the file's merged in, at most MAX_CUSTOM_FIELDS (the ones it had come first). */
function mergeCustom(old: string, fresh: Record<string, string>): string {
  const merged = { ...(JSON.parse(old) as Record<string, string>), ...fresh };
  const keys = Object.keys(merged);
  return JSON.stringify(keys.length <= MAX_CUSTOM_FIELDS ? merged : Object.fromEntries(keys.slice(0, MAX_CUSTOM_FIELDS).map((k) => [k, merged[k]])));
}

/** Writes batches of clean rows: companies first, then new prospects, then updates of known ones. */
class ProspectWriter {
  private readonly companies = new Map<string, number>();
  constructor(
    private readonly ctx: Context,
    private readonly tx: Store,
    private readonly report: ImportReport,
    private readonly onlyOwner: number | null,
    private readonly preview: ImportPreview | undefined,
    private readonly ownerEmail: (id: number) => string,
    private readonly problems: Problems,
  ) {}

  /** With no prospects in the workspace yet, every row is new: no need to look each batch up. */
  private empty = false;

  private importId = 0;

  async prepare(file: string): Promise<void> {
    this.importId = await this.tx.prospects.insertImport({ workspace_id: this.ctx.workspace.id, user_id: this.ctx.user.id, file, created_at: this.ctx.now() });
    this.report.importId = this.importId;
    this.empty = !(await this.tx.prospects.anyIn(this.ctx.workspace.id));
    for (const [key, id] of await this.tx.companies.keys(this.ctx.workspace.id)) this.companies.set(key, id);
  }

  private async companyIds(rows: CleanRow[]): Promise<void> {
    const missing = new Map<string, string>();
    for (const r of rows) {
      if (!r.company) continue;
      const key = nameKey(r.company);
      if (!this.companies.has(key) && !missing.has(key)) missing.set(key, r.company);
    }
    if (missing.size === 0) return;
    const now = this.ctx.now();
    const keys = [...missing.keys()];
    const ids = await this.tx.companies.insertMany(keys.map((key) => ({ workspace_id: this.ctx.workspace.id, name: missing.get(key)!, name_key: key, domain: null, created_at: now })));
    keys.forEach((key, i) => this.companies.set(key, ids[i]!));
    this.report.companiesCreated += ids.length;
  }

  async write(batch: CleanRow[]): Promise<void> {
    if (batch.length === 0) return;
    const existing = this.empty ? [] : await this.tx.prospects.byEmailKeys(this.ctx.workspace.id, batch.map((r) => r.key));
    const known = new Map(existing.map((e) => [e.email_key, e]));
    // A person erased on request never comes back (app/erase.ts).
    const erased = await erasedKeys(this.ctx, this.tx, batch.filter((r) => !known.has(r.key)).map((r) => r.key));
    const kept = erased.size === 0 ? batch : batch.filter((r) => {
      if (!erased.has(r.key)) return true;
      this.problems.rejected({ line: r.line, reason: ERASED_REASON, field: 'email' });
      return false;
    });
    // A rep never changes a teammate's prospect behind their back; the reason names no one.
    const rows = this.onlyOwner === null ? kept : kept.filter((r) => {
      const old = known.get(r.key);
      if (!old || old.owner_id === this.onlyOwner) return true;
      this.problems.rejected({ line: r.line, reason: 'this email is already a prospect of another rep: ask a manager to import or reassign it', field: 'email' });
      return false;
    });
    await this.companyIds(rows);
    if (this.preview) {
      for (const r of rows.slice(0, Math.max(0, this.preview.limit - this.preview.rows.length))) {
        const { key: _key, owner_id, ...fields } = r;
        this.preview.rows.push({ ...fields, action: known.has(r.key) ? 'update' : 'new', owner: this.ownerEmail(owner_id) });
      }
    }
    const now = this.ctx.now();
    const fresh = rows.filter((r) => !known.has(r.key));
    if (fresh.length) {
      await this.tx.prospects.insertMany(
        fresh.map((r) => ({
            workspace_id: this.ctx.workspace.id,
            owner_id: r.owner_id,
            email: r.email,
            email_key: r.key,
            first_name: r.first_name,
            last_name: r.last_name,
            phone: r.phone,
            title: r.title,
            linkedin_url: r.linkedin_url,
            company_id: r.company ? this.companies.get(nameKey(r.company))! : null,
            timezone: r.timezone,
            timezone_inferred: r.zoneInferred ? 1 : 0,
            import_id: this.importId,
            priority: r.priority,
            custom: JSON.stringify(r.custom),
            created_at: now,
            updated_at: now,
          })),
      );
      this.report.inserted += fresh.length;
      this.report.zonesInferred += fresh.filter((r) => r.zoneInferred).length;
    }
    // A prospect already known: fill in what the file says, keep what it leaves blank.
    for (const r of rows) {
      const old = known.get(r.key);
      if (!old) continue;
      const set: ProspectChange = { updated_at: now, import_id: this.importId };
      for (const f of ['first_name', 'last_name', 'phone', 'title', 'linkedin_url'] as const) if (r[f] !== null) set[f] = r[f];
      // A zone the file gives replaces any; an inferred one never replaces a zone someone set.
      if (r.timezone !== null && (!r.zoneInferred || old.timezone === null || old.timezone_inferred)) {
        [set.timezone, set.timezone_inferred] = [r.timezone, r.zoneInferred ? 1 : 0];
        if (r.zoneInferred) this.report.zonesInferred++;
      }
      if (r.company) set.company_id = this.companies.get(nameKey(r.company))!;
      if (r.priority) set.priority = r.priority;
      if (Object.keys(r.custom).length) set.custom = mergeCustom(old.custom, r.custom);
      await this.tx.prospects.update(old.id, set);
      if (set.priority !== undefined) await this.tx.enrollments.setPriority(old.id, r.priority);
      this.report.updated++;
    }
  }
}

/** The acting user's latest import (the board's "Last import"), with the prospects it still marks. */
export async function lastImport(ctx: Context): Promise<{ id: number; file: string; createdAt: number; prospects: number } | null> {
  const row = await ctx.store.prospects.lastImport(ctx.workspace.id, ctx.user.id);
  return row ? { id: row.id, file: row.file, createdAt: row.created_at, prospects: row.prospects } : null;
}
