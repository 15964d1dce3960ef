// Exporting prospects with their tally and cadence state, as CSV.
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { isManager, type Context } from './context.ts';
import { LIVE } from './enrollments.ts';

const FIXED = ['id', 'email', 'first_name', 'last_name', 'phone', 'title', 'company', 'timezone', 'owner', 'priority', 'touches', 'cadence', 'status', 'next_due', 'opted_out', 'email_status'];

export async function exportProspects(ctx: Context, out: Writable): Promise<number> {
  const db = ctx.store.db;
  let q = db
    .selectFrom('prospects as p')
    .leftJoin('companies as c', 'c.id', 'p.company_id')
    .innerJoin('users as u', 'u.id', 'p.owner_id')
    .select((eb) => [
      'p.id', 'p.email', 'p.first_name', 'p.last_name', 'p.phone', 'p.title', 'c.name as company', 'p.timezone', 'u.email as owner',
      'p.priority', 'p.custom', 'p.opted_out_at', 'p.email_status',
      eb.selectFrom('touches as t').whereRef('t.prospect_id', '=', 'p.id').select(eb.fn.countAll<number>().as('n')).as('touches'),
    ])
    .where('p.workspace_id', '=', ctx.workspace.id)
    .orderBy('p.id');
  if (!isManager(ctx)) q = q.where('p.owner_id', '=', ctx.user.id);
  const rows = await q.execute();
  const enrollments = await db
    .selectFrom('enrollments as e')
    .innerJoin('cadences as cd', 'cd.id', 'e.cadence_id')
    .select(['e.prospect_id', 'cd.name', 'e.status', 'e.due_at'])
    .where('e.workspace_id', '=', ctx.workspace.id)
    .orderBy('e.id')
    .execute();
  // The live enrollment wins; else the latest one.
  const latest = new Map<number, (typeof enrollments)[number]>();
  for (const e of enrollments) {
    const prev = latest.get(e.prospect_id);
    if (!prev || !LIVE.includes(prev.status as (typeof LIVE)[number])) latest.set(e.prospect_id, e);
  }
  const customKeys = new Set<string>();
  const customs = rows.map((r) => {
    const c = JSON.parse(r.custom) as Record<string, string>;
    for (const k of Object.keys(c)) customKeys.add(k);
    return c;
  });
  const columns = [...FIXED, ...[...customKeys].filter((k) => !FIXED.includes(k))];
  const csv = stringify({ header: true, columns });
  csv.pipe(out, { end: false });
  rows.forEach((r, i) => {
    const e = latest.get(r.id);
    csv.write({
      ...customs[i],
      id: r.id, email: r.email, first_name: r.first_name, last_name: r.last_name, phone: r.phone, title: r.title,
      company: r.company, timezone: r.timezone, owner: r.owner, priority: r.priority, touches: Number(r.touches),
      cadence: e?.name ?? '', status: e?.status ?? '', next_due: e?.due_at ? new Date(Number(e.due_at)).toISOString() : '',
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
