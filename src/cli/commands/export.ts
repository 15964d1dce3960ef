import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { exportProspects } from '../../app/export.ts';
import type { Cli } from '../cli.ts';
import { warn } from '../io.ts';
import { terminalSafeStream } from '../terminal-text.ts';

export function registerExport(program: Command, cli: Cli): void {
  program
    .command('export')
    .description('export prospects with their tally and cadence state as CSV')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (o: { out?: string }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        // A file keeps the data as it is; a terminal (or a pipe to one) gets control characters escaped.
        const out = o.out ? createWriteStream(o.out) : terminalSafeStream(cli.io.stdout);
        const n = await exportProspects(ctx, out);
        if (!o.out) await new Promise<void>((resolve) => out.end(resolve));
        else {
          await new Promise<void>((resolve, reject) => (out as ReturnType<typeof createWriteStream>).end((err?: Error | null) => (err ? reject(err) : resolve())));
          warn(cli.io, `Exported ${n} prospects to ${o.out}.`);
        }
      });
    });
}
