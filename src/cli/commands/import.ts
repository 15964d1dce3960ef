import type { Command } from 'commander';
import { openCsvSource } from '../files.ts';
import { importProspects, MAX_CUSTOM_FIELDS, parseMapping, type ImportReport } from '../../app/import-prospects.ts';
import { ENCODINGS } from '../../core/import-format.ts';
import { UsageError, type Cli } from '../cli.ts';
import { print, printJson, progressBar, type Io } from '../io.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];
const MAX_LISTED = 50;

export function registerImport(program: Command, cli: Cli): void {
  const imp = program.command('import').description('import data');
  imp
    .command('prospects <file>')
    .description('import prospects from a CSV file (one transaction: a fatal error writes nothing)')
    .option('--map <column=field>', 'map a CSV column to a field (email, first_name, last_name, name, phone, title, company, timezone, owner, priority, custom.NAME, ignore); repeatable', collect, [])
    .option('--encoding <name>', 'file encoding when there is no BOM: utf-8, latin1, windows-1252, utf-16le, utf-16be', 'utf-8')
    .option('--owner <email>', 'owner of rows without an owner column (default: you)')
    .option('--dry-run', 'check everything, write nothing')
    .action(async (file: string, o: { map: string[]; encoding: string; owner?: string; dryRun?: boolean }, cmd: Command) => {
      // Usage errors first, before the file is even opened.
      parseMapping(o.map);
      if (!(ENCODINGS as readonly string[]).includes(o.encoding.toLowerCase())) {
        throw new UsageError(`unknown encoding "${o.encoding}" (use one of: ${ENCODINGS.join(', ')})`);
      }
      await cli.withContext(cmd, async (ctx) => {
        const bar = progressBar(cli.io, 'Importing', 100, '%');
        let report: ImportReport;
        try {
          report = await importProspects(ctx, openCsvSource(file), {
            map: o.map,
            encoding: o.encoding,
            owner: o.owner,
            dryRun: o.dryRun,
            onProgress: (p) => bar.update(Math.round((p.bytes / Math.max(1, p.totalBytes)) * 100), `${p.rows.toLocaleString('en')} rows`),
          });
        } finally {
          bar.stop();
        }
        if (cli.opts(cmd).json) return printJson(cli.io, report);
        printImportReport(cli.io, report);
      });
    });
}

export function printImportReport(io: Io, r: ImportReport): void {
  const n = (x: number) => x.toLocaleString('en');
  print(io, `${r.dryRun ? 'Dry run (nothing written): ' : ''}${r.file}: ${n(r.rows)} rows → ${n(r.inserted)} new, ${n(r.updated)} updated, ${n(r.duplicateCount)} duplicates, ${n(r.rejectedCount)} rejected.`);
  if (r.companiesCreated) print(io, `${n(r.companiesCreated)} companies created.`);
  if (r.warningCount) {
    const who = r.unmatchedOwners.map((o) => `${o.owner}: ${n(o.rows)}`).join(', ');
    print(io, `${n(r.warningCount)} row${r.warningCount === 1 ? ' names' : 's name'} an owner not on the team (${who}): imported as yours.`);
  }
  if (r.zonesInferred) print(io, `${n(r.zonesInferred)} time zone${r.zonesInferred === 1 ? '' : 's'} inferred from country, state or phone number (marked "inferred" in "tally show").`);
  if (!r.dryRun && r.importId !== null && r.inserted + r.updated > 0) print(io, `Enroll them: tally enroll --import ${r.importId} --cadence "…"`);
  if (r.customFields.length) print(io, `Custom fields kept: ${r.customFields.join(', ')}.`);
  if (r.skippedColumns.length) print(io, `Columns not kept (at most ${MAX_CUSTOM_FIELDS} custom fields per prospect): ${r.skippedColumns.length} — ${r.skippedColumns.slice(0, 5).join(', ')}${r.skippedColumns.length > 5 ? ', …' : ''}.`);
  if (r.rejected.length) {
    print(io, 'Rejected rows:');
    for (const x of r.rejected.slice(0, MAX_LISTED)) print(io, `  line ${x.line}: ${x.reason}`);
    if (r.rejected.length > MAX_LISTED) print(io, `  … and ${n(r.rejected.length - MAX_LISTED)} more (use --json for all)`);
  }
  if (r.duplicates.length) {
    print(io, 'Duplicates (same email, case-insensitive; first occurrence kept):');
    for (const d of r.duplicates.slice(0, MAX_LISTED)) print(io, `  line ${d.line}: ${d.email} (first on line ${d.firstLine})`);
    if (r.duplicates.length > MAX_LISTED) print(io, `  … and ${n(r.duplicates.length - MAX_LISTED)} more (use --json for all)`);
  }
}
