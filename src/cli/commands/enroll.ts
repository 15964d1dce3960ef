import type { Command } from 'commander';
import { DEFAULT_CADENCE_NAME } from '../../core/default-cadences.ts';
import { enroll } from '../../app/enrollments.ts';
import { findProspect } from '../../app/prospects.ts';
import { readInputFile } from '../files.ts';
import { prospectIdsFromCsv, selectProspectIds } from '../../app/selection.ts';
import { selectBoardIds } from '../../app/board.ts';
import { wholeNumber } from '../options.ts';
import { TallyError } from '../../core/errors.ts';
import { UsageError, type Cli } from '../cli.ts';
import { formatTime, print, printJson, warn } from '../io.ts';
import { userZone } from '../../app/context.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerEnroll(program: Command, cli: Cli): void {
  program
    .command('enroll [prospects...]')
    .description('put prospects (ids or emails, a filter, or a CSV) into a cadence')
    .option('-c, --cadence <name>', 'cadence name or id', DEFAULT_CADENCE_NAME)
    .option('--where <field=value>', 'filter: company=Acme, title~VP, timezone=…, owner=…, priority=1, custom.NAME=…; repeatable', collect, [])
    .option('--unenrolled', 'with a filter: only prospects not already in a cadence')
    .option('--csv <file>', 'a CSV with an email (or id) column')
    .option('--import <id>', 'the prospects an import wrote (its id is in the import\'s report)', wholeNumber(1))
    .action(async (refs: string[], o: { cadence: string; where: string[]; unenrolled?: boolean; csv?: string; import?: number }, cmd: Command) => {
      const ways = [refs.length > 0, o.where.length > 0 || o.unenrolled === true, Boolean(o.csv), o.import !== undefined].filter(Boolean).length;
      if (ways !== 1) throw new UsageError('say who to enroll: prospect ids/emails, --where filters (or --unenrolled), --csv FILE or --import ID (one of them)');
      await cli.withContext(cmd, async (ctx) => {
        let ids: number[] = [];
        if (refs.length) for (const r of refs) ids.push((await findProspect(ctx, r)).id);
        else if (o.csv) {
          const found = await prospectIdsFromCsv(ctx, readInputFile(o.csv));
          for (const u of found.unknown) warn(cli.io, `tally: ${o.csv}:${u.line}: unknown prospect "${u.value}" (skipped)`);
          ids = found.ids;
        } else if (o.import !== undefined) ids = await selectBoardIds(ctx, { importId: o.import });
        else ids = await selectProspectIds(ctx, { where: o.where, unenrolled: o.unenrolled });
        if (ids.length === 0) throw new TallyError('no prospects match: nothing to enroll', 'not_found');
        const report = await enroll(ctx, ids, o.cadence);
        if (cli.opts(cmd).json) return printJson(cli.io, report);
        print(cli.io, `Enrolled ${report.enrolled.length} of ${ids.length} in "${report.cadence}" v${report.version}.`);
        const first = report.enrolled.reduce<number | null>((m, e) => (m === null || e.dueAt < m ? e.dueAt : m), null);
        if (first !== null) print(cli.io, `First touches due from ${formatTime(first, userZone(ctx))}: see "tally today".`);
        const reasons = new Map<string, number>();
        for (const s of report.skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
        for (const [reason, n] of reasons) print(cli.io, `Skipped ${n}: ${reason}`);
      });
    });
}
