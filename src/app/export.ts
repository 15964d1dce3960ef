// Exporting prospects with their tally and cadence state, as CSV.
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import type { Context } from './context.ts';
import { LIVE_STATUSES } from '../core/types.ts';
import { visibleOwner } from './prospects.ts';
import { neutraliseCell } from '../core/csv-cells.ts';
import { chunks } from './chunks.ts';

const FIXED = ['id', 'email', 'first_name', 'last_name', 'phone', 'title', 'linkedin_url', 'company', 'timezone', 'owner', 'priority', 'touches', 'cadence', 'status', 'next_due', 'opted_out', 'email_status'];

/** Every prospect the user may see, or only `ids` (the board's current view: its filters and search). */
export async function exportProspects(ctx: Context, out: Writable, ids?: number[]): Promise<number> {
  const rows = ids === undefined ? await ctx.store.prospects.exportRows(ctx.workspace.id, visibleOwner(ctx)) : [];
  for (const part of ids === undefined ? [] : chunks(ids)) rows.push(...(await ctx.store.prospects.exportRows(ctx.workspace.id, visibleOwner(ctx), part)));
  const enrollments = await ctx.store.enrollments.listWithCadence(ctx.workspace.id);
  // The live enrollment wins; else the latest one.
  const latest = new Map<number, (typeof enrollments)[number]>();
  for (const e of enrollments) {
    const prev = latest.get(e.prospect_id);
    if (!prev || !LIVE_STATUSES.has(prev.status)) latest.set(e.prospect_id, e);
  }
  const customKeys = new Set<string>();
  const customs = rows.map((r) => {
    const c = JSON.parse(r.custom) as Record<string, string>;
    for (const k of Object.keys(c)) customKeys.add(k);
    return c;
  });
  const columns = [...FIXED, ...[...customKeys].filter((k) => !FIXED.includes(k))];
  // Text cells only: numbers (ids, priority, touches) never start a formula.
  const csv = stringify({ header: true, columns: columns.map((key) => ({ key, header: neutraliseCell(key) })), cast: { string: neutraliseCell } });
  csv.pipe(out, { end: false });
  rows.forEach((r, i) => {
    const e = latest.get(r.id);
    csv.write({
      ...customs[i],
      id: r.id, email: r.email, first_name: r.first_name, last_name: r.last_name, phone: r.phone, title: r.title, linkedin_url: r.linkedin_url,
      company: r.company, timezone: r.timezone, owner: r.owner, priority: r.priority, touches: r.touches,
      cadence: e?.cadence ?? '', status: e?.status ?? '', next_due: e?.due_at ? new Date(Number(e.due_at)).toISOString() : '',
      opted_out: r.opted_out_at ? 'yes' : '', email_status: r.email_status,
    });
  });
  await new Promise<void>((resolve, reject) => {
    csv.on('error', reject);
    csv.on('end', resolve);
    csv.end();
  });
  return rows.length;
}
