import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { addBlock, listBlocks, parseWeekday, removeBlock, weekdayName } from '../../app/blocks.ts';
import { userZone } from '../../app/context.ts';
import { planRep } from '../../app/plan.ts';
import { repCalendar } from '../../app/calendar-feed.ts';
import { dailyDigestFor } from '../../app/digest.ts';
import { HORIZON_MS, schedulerTick } from '../../app/tick.ts';
import { formatLocalClock } from '../../core/schedule.ts';
import { UsageError, type Cli } from '../cli.ts';
import { wholeNumber } from '../options.ts';
import { formatTime, print, printJson, progressBar, warn } from '../io.ts';
import { terminalSafe } from '../terminal-text.ts';

export function registerSchedule(program: Command, cli: Cli): void {
  const blocks = program.command('blocks').description('your follow-up blocks: recurring time reserved for follow-up');
  blocks
    .command('list', { isDefault: true })
    .description('list your blocks')
    .action(async (_o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const list = await listBlocks(ctx);
        if (cli.opts(cmd).json) return printJson(cli.io, list);
        if (list.length === 0) return print(cli.io, 'No follow-up blocks yet. Add one: tally blocks add tue 09:00 60');
        for (const b of list) print(cli.io, `#${b.id}  ${weekdayName(b.weekday)} ${b.start} for ${b.minutes} min`);
      });
    });
  blocks
    .command('add <weekday> <start> <minutes>')
    .description('add a weekly block, e.g. "tally blocks add tue 09:00 60" (in your time zone)')
    .action(async (weekday: string, start: string, minutes: string, _o: unknown, cmd: Command) => {
      const n = Number(minutes);
      if (!Number.isInteger(n)) throw new UsageError(`minutes must be a whole number, got "${minutes}"`);
      await cli.withContext(cmd, async (ctx) => {
        const b = await addBlock(ctx, { weekday: parseWeekday(weekday), start: start.padStart(5, '0'), minutes: n });
        if (cli.opts(cmd).json) return printJson(cli.io, b);
        print(cli.io, `Added block #${b.id}: ${weekdayName(b.weekday)} ${b.start} for ${b.minutes} min (${userZone(ctx)}).`);
      });
    });
  blocks
    .command('remove <id>')
    .description('remove a block')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      if (!/^\d+$/.test(id.trim())) throw new UsageError(`block id must be a whole number, got "${id}" (see "tally blocks")`);
      await cli.withContext(cmd, async (ctx) => {
        await removeBlock(ctx, Number(id));
        print(cli.io, `Removed block #${id}.`);
      });
    });

  program
    .command('plan')
    .description('plan the week: due touches placed into your follow-up blocks, and what does not fit')
    .option('--days <n>', 'how far ahead', wholeNumber(1), 7)
    .action(async (o: { days: number }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const r = await planRep(ctx, { days: o.days });
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        const zone = r.zone;
        if (!r.hasBlocks) print(cli.io, 'You have no follow-up blocks: add one with "tally blocks add tue 09:00 60".');
        for (const b of r.plan.blocks) {
          print(cli.io, `\n${formatTime(b.occurrence.start, zone)}–${formatLocalClock(b.occurrence.end, zone)}  ${b.touches.length} touches, ${b.usedMinutes}/${b.capacityMinutes} min`);
          for (const t of b.touches) print(cli.io, `  ${formatLocalClock(t.at, zone)}  #${t.item.prospectId} ${t.item.prospectName}${t.item.companyName ? ` (${t.item.companyName})` : ''} · ${t.item.channel} · ${t.item.stepName}`);
        }
        if (r.plan.unplaced.length) {
          print(cli.io, `\nNot planned (${r.plan.unplaced.length}):`);
          for (const u of r.plan.unplaced.slice(0, 30)) print(cli.io, `  #${u.item.prospectId} ${u.item.prospectName} · ${u.item.channel}: ${u.explanation}`);
          if (r.plan.unplaced.length > 30) print(cli.io, `  … and ${r.plan.unplaced.length - 30} more (use --json)`);
        }
        if (r.plan.overload) print(cli.io, `\n${r.plan.overload.message}`);
      });
    });

  program
    .command('calendar')
    .description('your follow-up blocks and their planned touches as an iCalendar (.ics) file')
    .option('--out <file>', 'write to a file (default: standard output)')
    .option('--days <n>', 'how far ahead', wholeNumber(1), 14)
    .action(async (o: { out?: string; days: number }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const { ics, blocks } = await repCalendar(ctx, o.days);
        if (!o.out) return void cli.io.stdout.write(terminalSafe(ics));
        writeFileSync(o.out, ics);
        warn(cli.io, `Wrote ${blocks} block events to ${o.out}.`);
      });
    });

  program
    .command('digest')
    .description('today\'s digest: blocks and their touches, overdue and held touches, replies waiting')
    .option('--html', 'print the HTML version')
    .action(async (o: { html?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const d = await dailyDigestFor(ctx);
        if (cli.opts(cmd).json) return printJson(cli.io, d);
        print(cli.io, o.html ? d.html : `Subject: ${d.subject}\n\n${d.text}`);
      });
    });

  program
    .command('tick')
    .description('run one scheduler tick: re-check the touches due now, those entering the next two days and anything changed since the last tick; wake snoozed ones')
    .option('--full', 'check every touch due within the next two days, changed or not')
    .action(async (o: { full?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const bar = progressBar(cli.io, 'Tick', await ctx.store.due.count({ workspaceId: ctx.workspace.id, dueBy: ctx.now() + HORIZON_MS }));
        const r = await schedulerTick(ctx, { full: o.full, onProgress: (n) => bar.update(n) });
        bar.stop();
        if (cli.opts(cmd).json) return printJson(cli.io, r);
        const which = r.full ? 'everything due within the next two days' : 'due now, entering the next two days, or changed since the last tick';
        print(cli.io, `Checked ${r.checked} live enrollments in ${Math.round(r.ms)} ms (${which}): ${r.held} newly held, ${r.released} released, ${r.woken} woken from snooze.`);
      });
    });
}
