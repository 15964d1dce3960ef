// Choosing prospects in bulk: by filter (field=value, field~text) or by a CSV of emails/ids.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { sql } from 'kysely';
import { isManager, type Context } from './context.ts';
import { TallyError } from '../core/errors.ts';
import { decodeCsv } from './csv-text.ts';
import { csvRecords } from './csv-records.ts';
import { emailKey } from './prospects.ts';
import { LIVE } from './enrollments.ts';
import { nameKey } from './cadences.ts';

export interface ProspectFilter {
  /** "company=Acme", "title~VP", "timezone=Europe/Paris", "owner=sam@example.com", "custom.segment=enterprise". */
  where?: string[];
  /** Only prospects with no live enrollment. */
  unenrolled?: boolean;
}

const COLUMNS: Record<string, 'p.title' | 'p.timezone' | 'p.email' | 'p.first_name' | 'p.last_name' | 'p.phone'> = {
  title: 'p.title', timezone: 'p.timezone', email: 'p.email', first_name: 'p.first_name', last_name: 'p.last_name', phone: 'p.phone',
};

/** `%text%` for LIKE, lowercased, with %, _ and the backslash taken literally (see `lowerLike`). */
function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[%_\\]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * Case-insensitive LIKE that means the same on both engines: PostgreSQL's LIKE is case-sensitive
 * and SQLite's has no escape character unless the query names one.
 */
function lowerLike(column: string, pattern: string) {
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}

export async function selectProspectIds(ctx: Context, filter: ProspectFilter): Promise<number[]> {
  let q = ctx.store.db
    .selectFrom('prospects as p')
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    .innerJoin('users as u', 'u.id', 'p.owner_id')
    .select('p.id')
    .where('p.workspace_id', '=', ctx.workspace.id);
  if (!isManager(ctx)) q = q.where('p.owner_id', '=', ctx.user.id);
  for (const cond of filter.where ?? []) {
    const m = /^([a-z_.A-Z0-9]+)\s*(=|~)\s*(.*)$/.exec(cond);
    if (!m) throw new TallyError(`bad filter "${cond}": write field=value or field~text`, 'usage', { field: 'where' });
    const [, field, op, raw] = m as unknown as [string, string, '=' | '~', string];
    const value = raw.trim();
    const like = containsPattern(value);
    if (field === 'company') {
      q = op === '=' ? q.where('c.name_key', '=', nameKey(value)) : q.where(lowerLike('c.name', like));
    } else if (field === 'owner') {
      q = q.where('u.email', '=', value.toLowerCase());
    } else if (field === 'priority') {
      q = q.where('p.priority', op === '=' ? '=' : '>=', Number(value));
    } else if (field.startsWith('custom.')) {
      // Custom fields live in JSON text; match the exact "key":"value" pair or the text anywhere.
      const pair = op === '=' ? containsPattern(`${JSON.stringify(field.slice(7))}:${JSON.stringify(value)}`) : like;
      q = q.where(lowerLike('p.custom', pair));
    } else if (COLUMNS[field]) {
      const col = COLUMNS[field];
      q = op === '=' ? q.where((eb) => eb(eb.fn('lower', [col]), '=', value.toLowerCase())) : q.where(lowerLike(col, like));
    } else {
      throw new TallyError(`bad filter "${cond}": unknown field "${field}" (use company, title, timezone, owner, priority, email, first_name, last_name, custom.NAME)`, 'usage', { field: 'where' });
    }
  }
  if (filter.unenrolled) {
    q = q.where((eb) => eb.not(eb.exists(eb.selectFrom('enrollments as e').select('e.id').whereRef('e.prospect_id', '=', 'p.id').where('e.status', 'in', LIVE))));
  }
  return (await q.orderBy('p.id').execute()).map((r) => r.id);
}

/** Prospect ids from a CSV with an email or id column; unknown rows are reported, not fatal. */
export async function prospectIdsFromCsv(ctx: Context, path: string): Promise<{ ids: number[]; unknown: { line: number; value: string }[] }> {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch {
    throw new TallyError(`cannot read ${path}: no such file`, 'not_found', { file: path });
  }
  const file = basename(path);
  const records = csvRecords(decodeCsv(buf, file), file);
  const header = (records[0]?.record ?? []).map((h) => h.trim().toLowerCase());
  const col = header.findIndex((h) => h === 'email' || h === 'id' || h === 'email address');
  if (col < 0) throw new TallyError('no "email" or "id" column in the header', 'missing_column', { file, line: 1 });
  const byId = header[col] === 'id';
  const ids: number[] = [];
  const unknown: { line: number; value: string }[] = [];
  const values = records.slice(1).map((r) => ({ line: r.line, value: (r.record[col] ?? '').trim() }));
  for (let i = 0; i < values.length; i += 500) {
    const chunk = values.slice(i, i + 500);
    let q = ctx.store.db.selectFrom('prospects').select(['id', 'email_key']).where('workspace_id', '=', ctx.workspace.id);
    if (!isManager(ctx)) q = q.where('owner_id', '=', ctx.user.id);
    q = byId ? q.where('id', 'in', chunk.map((v) => Number(v.value) || -1)) : q.where('email_key', 'in', chunk.map((v) => emailKey(v.value)));
    const found = await q.execute();
    const index = new Map(found.map((f) => [byId ? String(f.id) : f.email_key, f.id]));
    for (const v of chunk) {
      const id = index.get(byId ? v.value : emailKey(v.value));
      if (id === undefined) unknown.push(v);
      else ids.push(id);
    }
  }
  return { ids, unknown };
}
