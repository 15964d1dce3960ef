// Choosing prospects in bulk: by filter (field=value, field~text) or by a CSV of emails/ids.
import type { Context } from './context.ts';
import { TallyError } from '../core/errors.ts';
import { emailKey } from '../core/keys.ts';
import { decodeCsv } from './csv-text.ts';
import { csvRecords } from './csv-records.ts';
import type { ProspectCondition } from './ports/store/prospects.ts';
import type { InputFile } from './input-file.ts';
import { visibleOwner } from './prospects.ts';

export interface ProspectFilter {
  /** "company=Acme", "title~VP", "timezone=Europe/Paris", "owner=sam@example.com", "custom.segment=enterprise". */
  where?: string[];
  /** Only prospects with no live enrollment. */
  unenrolled?: boolean;
}

const TEXT_FIELDS = ['company', 'title', 'timezone', 'email', 'first_name', 'last_name', 'phone'] as const;

/** "field=value" (exact, case-insensitive) or "field~text" (contains) as a condition the store understands. */
export function parseCondition(cond: string): ProspectCondition {
  const m = /^([a-z_.A-Z0-9]+)\s*(=|~)\s*(.*)$/.exec(cond);
  if (!m) throw new TallyError(`bad filter "${cond}": write field=value or field~text`, 'usage', { field: 'where' });
  const [, field, op, raw] = m as unknown as [string, string, '=' | '~', string];
  const value = raw.trim();
  if (field === 'owner') return { field, value };
  if (field === 'priority') return { field, op: op === '=' ? '=' : '>=', value: Number(value) };
  if (field.startsWith('custom.')) return { field: 'custom', key: field.slice(7), op, value };
  const text = TEXT_FIELDS.find((f) => f === field);
  if (text) return { field: text, op, value };
  throw new TallyError(`bad filter "${cond}": unknown field "${field}" (use company, title, timezone, owner, priority, email, first_name, last_name, custom.NAME)`, 'usage', { field: 'where' });
}

export async function selectProspectIds(ctx: Context, filter: ProspectFilter): Promise<number[]> {
  const conditions = (filter.where ?? []).map(parseCondition);
  return ctx.store.prospects.select(ctx.workspace.id, conditions, { ownerId: visibleOwner(ctx), unenrolled: filter.unenrolled });
}

/** Prospect ids from a CSV with an email or id column; unknown rows are reported, not fatal. */
export async function prospectIdsFromCsv(ctx: Context, input: InputFile): Promise<{ ids: number[]; unknown: { line: number; value: string }[] }> {
  const { name: file } = input;
  const records = csvRecords(decodeCsv(input.bytes, file), file);
  const header = (records[0]?.record ?? []).map((h) => h.trim().toLowerCase());
  const col = header.findIndex((h) => h === 'email' || h === 'id' || h === 'email address');
  if (col < 0) throw new TallyError('no "email" or "id" column in the header', 'missing_column', { file, line: 1 });
  const byId = header[col] === 'id';
  const ids: number[] = [];
  const unknown: { line: number; value: string }[] = [];
  const values = records.slice(1).map((r) => ({ line: r.line, value: (r.record[col] ?? '').trim() }));
  for (let i = 0; i < values.length; i += 500) {
    const chunk = values.slice(i, i + 500);
    const refs = byId ? { ids: chunk.map((v) => Number(v.value) || -1) } : { emailKeys: chunk.map((v) => emailKey(v.value)) };
    const found = await ctx.store.prospects.idsByRefs(ctx.workspace.id, refs, visibleOwner(ctx));
    const index = new Map(found.map((f) => [byId ? String(f.id) : f.email_key, f.id]));
    for (const v of chunk) {
      const id = index.get(byId ? v.value : emailKey(v.value));
      if (id === undefined) unknown.push(v);
      else ids.push(id);
    }
  }
  return { ids, unknown };
}
