import type { Command } from 'commander';
import { followUpReport } from '../../app/stats.ts';
import type { Cli } from '../cli.ts';
import { percent, print, printJson } from '../io.ts';

function bars(h: Record<string, number>): string[] {
  const max = Math.max(1, ...Object.values(h));
  const keys = Object.keys(h).sort((a, b) => parseInt(a) - parseInt(b));
  return keys.map((k) => `  ${k.padStart(3)} │${'█'.repeat(Math.max(1, Math.round((h[k]! / max) * 40)))} ${h[k]}`);
}

export function registerStats(program: Command, cli: Cli): void {
  program
    .command('stats')
    .description('your follow-up rate, touches per prospect and touches until reply')
    .option('--team', 'managers: the whole team')
    .action(async (o: { team?: boolean }, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const s = await followUpReport(ctx, o);
        if (cli.opts(cmd).json) return printJson(cli.io, s);
        const vs = s.followUpRate === null ? '' : s.followUpRate >= s.industryFollowUpRate ? ' — above' : ' — below';
        print(cli.io, `Follow-up stats for ${s.scope}: ${s.prospects} prospects, ${s.touched} touched, ${s.totalTouches} touches.`);
        print(cli.io, `Follow-up rate: ${percent(s.followUpRate)} of touched prospects got a second touch (industry: ${percent(s.industryFollowUpRate)}${vs}).`);
        print(cli.io, `Touches per touched prospect: mean ${s.touchesPerProspect.mean?.toFixed(1) ?? '—'}, median ${s.touchesPerProspect.median ?? '—'}`);
        for (const line of bars(s.touchesPerProspect.histogram)) print(cli.io, line);
        print(cli.io, `Replies: ${s.replies}; touches until first reply: mean ${s.touchesUntilReply.mean?.toFixed(1) ?? '—'}, median ${s.touchesUntilReply.median ?? '—'}`);
        for (const line of bars(s.touchesUntilReply.histogram)) print(cli.io, line);
        if (s.droppedBeforeFive) print(cli.io, `Gave up too early: ${s.droppedBeforeFive} prospects left with no reply after fewer than 5 touches.`);
      });
    });
}
