import type { Command } from 'commander';
import { todayQueue } from '../../app/queue.ts';
import { userZone } from '../../app/context.ts';
import { tallyMarks } from '../../core/tally.ts';
import type { Cli } from '../main.ts';
import { formatTime, print, printJson, relative } from '../io.ts';

export function registerToday(program: Command, cli: Cli): void {
  program
    .command('today')
    .description('the touches due today and overdue, most urgent first, with why each one helps')
    .option('--days <n>', 'also include the next N days', (v) => Number(v), 0)
    .option('--limit <n>', 'show at most N touches', (v) => Number(v), 50)
    .option('--team', 'managers: the whole team\'s queue')
    .action(async (o: { days: number; limit: number; team?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const q = await todayQueue(ctx, { days: o.days, limit: o.limit, team: o.team });
        if (cli.opts(cmd).json) return printJson(cli.io, q);
        const zone = userZone(ctx);
        const now = ctx.now();
        if (q.total === 0) return print(cli.io, 'Nothing due today. Every prospect is on track.');
        print(cli.io, `${q.total} touches due for ${q.owner}${q.overdue ? ` (${q.overdue} overdue)` : ''}${q.total > q.items.length ? `; showing ${q.items.length}` : ''}.`);
        for (const it of q.items) {
          print(cli.io, '');
          const who = `${it.name}${it.title ? `, ${it.title}` : ''}${it.company ? ` @ ${it.company}` : ''}`;
          print(cli.io, `#${it.prospectId} ${who}  ${tallyMarks(it.touches) || '·'} (${it.touches})`);
          print(cli.io, `   ${it.channel.toUpperCase()} — step ${it.step}${it.steps ? `/${it.steps}` : ''} of ${it.cadence}: ${it.stepName}`);
          print(cli.io, `   due ${formatTime(it.dueAt, zone)} (${relative(it.dueAt, now)})${it.status === 'snoozed' ? ' · back from snooze' : ''}${it.priority ? ` · priority ${it.priority}` : ''}`);
          print(cli.io, `   Why it helps: ${it.valueItem}`);
          for (const t of it.talkingPoints) print(cli.io, `   • ${t}`);
          const contact = it.channel === 'call' || it.channel === 'sms' ? it.phone ?? it.email : it.email;
          print(cli.io, `   ${contact}  →  tally log ${it.prospectId} --channel ${it.channel} --outcome …`);
        }
      });
    });
}
