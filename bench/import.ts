// Import of N prospects from CSV against a baseline of plain prepared-statement inserts of the
// same rows into the same table, in one transaction, in the same run.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { openSqliteStore } from '../src/store/store.ts';
import { openContext } from '../src/app/context.ts';
import { initWorkspace } from '../src/app/workspace.ts';
import { importProspects } from '../src/app/import-prospects.ts';
import { seeded } from '../src/app/demo.ts';
import { prospectRow, prospectsCsv } from './fixtures.ts';
import { dataDir, fmt, log, type BenchResult } from './lib.ts';
import { runtimeFor } from '../src/runtime/runtime.ts';
import { openCsvSource } from '../src/cli/files.ts';

async function freshStore(dir: string, name: string) {
  const store = await openSqliteStore(join(dir, name));
  await initWorkspace(runtimeFor(store), { timezone: 'America/New_York', userEmail: 'bench@example.com' }, Date.now());
  return store;
}

export async function benchImport(n = 1_000_000): Promise<BenchResult> {
  const csv = await prospectsCsv(n);
  const dir = mkdtempSync(join(dataDir(), 'import-'));
  try {
    // Baseline: the same rows, already in memory, through one prepared INSERT in one transaction.
    const base = await freshStore(dir, 'baseline.db');
    await base.close();
    const rand = seeded(7);
    const rows = Array.from({ length: n }, (_, i) => prospectRow(i, rand, Math.max(1, Math.round(n / 20))));
    const raw = new SqliteDatabase(join(dir, 'baseline.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    const insert = raw.prepare(
      `insert into prospects (workspace_id, owner_id, email, email_key, first_name, last_name, phone, title, company_id, timezone, priority, custom, created_at, updated_at)
       values (1, 1, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)`,
    );
    const insertCompany = raw.prepare('insert into companies (workspace_id, name, name_key, created_at) values (1, ?, ?, ?)');
    log(`baseline: ${fmt(n)} prepared inserts (and their companies)`);
    const now = Date.now();
    const t0 = performance.now();
    raw.transaction(() => {
      // The same writes the import makes: each company once, then every prospect.
      const companyIds = new Map<string, number | bigint>();
      for (const r of rows) {
        let company = companyIds.get(r.company);
        if (company === undefined) companyIds.set(r.company, (company = insertCompany.run(r.company, r.company.toLowerCase(), now).lastInsertRowid));
        insert.run(r.email, r.email, r.first, r.last, r.phone, r.title, company, r.zone, `{"Segment":"${r.segment}"}`, now, now);
      }
    })();
    const baseMs = performance.now() - t0;
    raw.close();

    const store = await freshStore(dir, 'import.db');
    const ctx = await openContext(runtimeFor(store));
    log(`import: ${fmt(n)} rows from ${csv}`);
    const t1 = performance.now();
    // Reading the file is part of the import, as it is for `tally import`.
    const report = await importProspects(ctx, openCsvSource(csv));
    const importMs = performance.now() - t1;
    await store.close();
    if (report.inserted !== n) throw new Error(`import inserted ${report.inserted} of ${n} rows`);

    const baseRate = n / (baseMs / 1000);
    const importRate = n / (importMs / 1000);
    const mb = statSync(csv).size / 1e6;
    return {
      name: 'import',
      lines: [
        `import ${fmt(n)} prospects from CSV (${fmt(mb, 1)} MB, ${report.companiesCreated.toLocaleString('en')} companies): ${fmt(importMs / 1000, 2)} s, ${fmt(importRate)} rows/s`,
        `baseline, prepared-statement inserts of the same prospects and companies in one transaction: ${fmt(baseMs / 1000, 2)} s, ${fmt(baseRate)} rows/s`,
        `ratio import/baseline: ${fmt((importRate / baseRate) * 100, 1)}% (target ≥ 50%)`,
      ],
      results: { rows: n, importRowsPerSec: importRate, baselineRowsPerSec: baseRate, ratio: importRate / baseRate },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
