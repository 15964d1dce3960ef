import type { Command } from 'commander';
import { decideNurture, nurtureProposals } from '../../app/nurture.ts';
import { userZone } from '../../app/context.ts';
import { UsageError, type Cli } from '../cli.ts';
import { formatTime, print, printJson } from '../io.ts';

export function registerNurture(program: Command, cli: Cli): void {
  program
    .command('nurture [enrollments...]')
    .description('prospects who finished a cadence with no reply: accept or decline moving them to a nurture cadence')
    .option('--accept', 'enroll them in the proposed nurture cadence')
    .option('--decline', 'drop the proposal')
    .option('--all', 'every open proposal')
    .action(async (ids: string[], o: { accept?: boolean; decline?: boolean; all?: boolean }, cmd: Command) => {
      if (o.accept && o.decline) throw new UsageError('choose --accept or --decline, not both');
      await cli.withContext(cmd, async (ctx) => {
        const zone = userZone(ctx);
        if (!o.accept && !o.decline) {
          const proposals = (await nurtureProposals(ctx)).filter((p) => p.decision.propose);
          if (cli.opts(cmd).json) return printJson(cli.io, proposals);
          if (proposals.length === 0) return print(cli.io, 'No open nurture proposals: nobody was dropped after a full cadence.');
          for (const p of proposals) {
            if (!p.decision.propose) continue;
            print(cli.io, `enrollment #${p.enrollmentId}: ${p.decision.message} (from ${formatTime(p.decision.startAt, zone)})`);
          }
          return print(cli.io, '\nAccept with "tally nurture --accept ID…" or "--accept --all"; decline with --decline.');
        }
        if (!o.all && ids.length === 0) throw new UsageError('name the enrollment ids, or use --all');
        const bad = ids.find((id) => !/^\d+$/.test(id.trim()));
        if (bad !== undefined) throw new UsageError(`enrollment ids are whole numbers, got "${bad}" (see "tally nurture")`);
        const r = await decideNurture(ctx, o.all ? 'all' : ids.map(Number), o.accept ? 'accept' : 'decline');
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        for (const a of r.accepted) {
          const first = a.dueAt > a.startAt ? `, first touch due ${formatTime(a.dueAt, zone)}` : '';
          print(cli.io, `#${a.prospectId} → ${a.cadence} from ${formatTime(a.startAt, zone)}${first}`);
        }
        if (r.declined.length) print(cli.io, `Declined ${r.declined.length} proposal(s).`);
        for (const s of r.skipped) print(cli.io, `Skipped enrollment #${s.enrollmentId}: ${s.reason}`);
      });
    });
}
