// Database commands: `tally migrate` and `tally db copy` (a rep's SQLite file into the team's PostgreSQL).
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { TallyError } from '../../core/errors.ts';
import { copyStore } from '../../store/copy.ts';
import { isPostgresUrl, openStore, type Store } from '../../store/store.ts';
import type { Cli } from '../cli.ts';
import { print, printJson, progressBar, warn } from '../io.ts';

async function closing<T>(stores: Store[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    for (const s of stores) await s.close();
  }
}

export function registerDb(program: Command, cli: Cli): void {
  program
    .command('migrate')
    .description('bring the selected database (--db FILE or postgres://… URL, or $TALLY_DATABASE_URL) to the latest schema and say what ran')
    .action(async (_o: unknown, cmd: Command) => {
      const store = await openStore(cli.location(cmd), { migrate: false });
      await closing([store], async () => {
        const ran = await store.migrate();
        if (cli.opts(cmd).json) return printJson(cli.io, { database: store.location, dialect: store.dialect, ran });
        if (ran.length === 0) return print(cli.io, `${store.location} is up to date: no migrations to run.`);
        print(cli.io, `Ran ${ran.length} migration${ran.length === 1 ? '' : 's'} on ${store.location}:`);
        for (const name of ran) print(cli.io, `  ${name}`);
      });
    });

  const db = program.command('db').description('move data between databases');
  db.command('copy')
    .description('copy every table (ids kept) from one database to another in one transaction, e.g. a laptop file into the team PostgreSQL')
    .requiredOption('--from <location>', 'source: sqlite:FILE, a file path, or a postgres:// URL')
    .requiredOption('--to <location>', 'target: a postgres:// URL (or a SQLite file); must be empty')
    .option('--force', 'replace the data the target already holds')
    .action(async (o: { from: string; to: string; force?: boolean }, cmd: Command) => {
      // Opening a missing SQLite file would create an empty one and "copy" nothing.
      const file = o.from.replace(/^sqlite:/, '');
      if (!isPostgresUrl(o.from) && !existsSync(file)) throw new TallyError(`cannot read ${file}: no such file`, 'not_found', { field: 'from' });
      const source = await openStore(o.from);
      const target = await openStore(o.to).catch(async (err: unknown) => {
        await source.close();
        throw err;
      });
      await closing([source, target], async () => {
        let bar: ReturnType<typeof progressBar> | null = null;
        const report = await copyStore(source, target, {
          force: o.force,
          onProgress: (p) => {
            bar ??= progressBar(cli.io, 'Copying', p.total, ' rows');
            bar.update(p.done, p.table);
          },
        }).finally(() => bar?.stop());
        if (cli.opts(cmd).json) return printJson(cli.io, report);
        if (report.replaced) warn(cli.io, `Replaced ${report.replaced} rows that ${report.to} held (--force).`);
        print(cli.io, `Copied ${report.from} → ${report.to} in one transaction:`);
        const width = Math.max(...report.tables.map((t) => t.table.length), 5);
        for (const t of report.tables) print(cli.io, `  ${t.table.padEnd(width)} ${String(t.rows).padStart(8)}`);
        print(cli.io, `  ${'total'.padEnd(width)} ${String(report.total).padStart(8)} rows`);
      });
    });
}
