// Deterministic data for benchmarks: a large prospects CSV, and a workspace with many enrollments.
import { createWriteStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../src/app/context.ts';
import { seeded } from '../src/app/demo.ts';
import { dataDir, log } from './lib.ts';

const FIRST = ['Ava', 'Liam', 'Noah', 'Mia', 'Lucas', 'Zoe', 'Ethan', 'Chloe', 'Mateo', 'Priya', 'Arjun', 'Hana', 'Kenji', 'Sofia', 'Jonas', 'Lena'];
const LAST = ['Johnson', 'Martin', 'Schmidt', 'Dubois', 'Garcia', 'Rossi', 'Nakamura', 'Kim', 'Singh', 'Patel', 'Okafor', 'Nguyen'];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin', 'Asia/Tokyo', 'Australia/Sydney'];
const TITLES = ['VP Sales', 'CFO', 'Head of Operations', 'Director of IT', 'COO'];

export interface ProspectRow {
  email: string;
  first: string;
  last: string;
  phone: string;
  title: string;
  company: string;
  zone: string;
  segment: string;
}

/** About 20 prospects per company, as in a typical account-based list. */
export function prospectRow(i: number, rand: () => number, companies = 50_000): ProspectRow {
  const first = FIRST[Math.floor(rand() * FIRST.length)]!;
  const last = LAST[Math.floor(rand() * LAST.length)]!;
  const company = `Company ${Math.floor(rand() * companies)}`;
  return {
    email: `${first}.${last}.${i}@example${i % 997}.com`.toLowerCase(),
    first,
    last,
    phone: `+1 555 ${100 + (i % 900)} ${1000 + (i % 9000)}`,
    title: TITLES[i % TITLES.length]!,
    company,
    zone: ZONES[i % ZONES.length]!,
    segment: i % 3 === 0 ? 'enterprise' : 'mid-market',
  };
}

/** A CSV of `n` prospects (cached between runs). */
export async function prospectsCsv(n: number): Promise<string> {
  const path = join(dataDir(), `prospects-${n}.csv`);
  if (existsSync(path)) return path;
  log(`writing ${n.toLocaleString('en')}-row CSV`);
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  const rand = seeded(7);
  out.write('Email,First Name,Last Name,Phone,Job Title,Company,Time Zone,Segment\n');
  let buf = '';
  for (let i = 0; i < n; i++) {
    const r = prospectRow(i, rand, Math.max(1, Math.round(n / 20)));
    buf += `${r.email},${r.first},${r.last},${r.phone},${r.title},${r.company},${r.zone},${r.segment}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((res) => out.once('drain', () => res()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((res, rej) => out.end((err?: Error | null) => (err ? rej(err) : res())));
  renameSync(tmp, path);
  return path;
}

/**
 * `n` prospects of the context's user, each at a company of its own (so the per-company daily cap
 * never holds a mail back), in one transaction; `tag` keeps addresses apart across workspaces.
 */
export async function insertOneCompanyProspects(ctx: Context, n: number, now: number, tag = ''): Promise<number[]> {
  const store = ctx.store;
  return store.transaction(async (tx) => {
    const companies = await tx.companies.insertMany(
      Array.from({ length: n }, (_, i) => ({ workspace_id: ctx.workspace.id, name: `Co ${tag}${i}`, name_key: `co ${tag}${i}`, domain: null, created_at: now })),
    );
    return tx.prospects.insertMany(
      Array.from({ length: n }, (_, i) => ({
        workspace_id: ctx.workspace.id,
        owner_id: ctx.user.id,
        email: `p${i}@${tag}c${i}.example`,
        email_key: `p${i}@${tag}c${i}.example`,
        first_name: `P${i}`,
        last_name: null,
        phone: null,
        title: null,
        company_id: companies[i]!,
        timezone: null,
        created_at: now,
        updated_at: now,
      })),
    );
  });
}
