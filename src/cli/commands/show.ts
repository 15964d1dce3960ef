import type { Command } from 'commander';
import { showProspect } from '../../app/prospects.ts';
import { userZone } from '../../app/context.ts';
import type { Cli } from '../cli.ts';
import { formatTime, print, printJson } from '../io.ts';

export function registerShow(program: Command, cli: Cli): void {
  program
    .command('show <prospect>')
    .description('a prospect\'s timeline and tally')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const v = await showProspect(ctx, ref);
        if (cli.opts(cmd).json) return printJson(cli.io, v);
        const p = v.prospect;
        const zone = userZone(ctx);
        const name = [p.first_name, p.last_name].filter(Boolean).join(' ') || p.email;
        print(cli.io, `#${p.id} ${name}${p.title ? `, ${p.title}` : ''}${p.company ? ` @ ${p.company}` : ''}`);
        print(cli.io, `${p.email}${p.phone ? ` · ${p.phone}` : ''} · ${p.timezone ?? ctx.workspace.timezone}${p.timezone_inferred ? ' (inferred)' : ''} · owner ${p.owner}`);
        const flags = [p.opted_out_at ? 'OPTED OUT' : '', p.do_not_contact ? 'DO NOT CONTACT' : '', p.email_status === 'bad' ? 'EMAIL BOUNCED' : ''].filter(Boolean);
        if (flags.length) print(cli.io, flags.join(' · '));
        for (const [k, val] of Object.entries(p.custom_fields)) print(cli.io, `${k}: ${val}`);
        print(cli.io, `Tally: ${v.tally.line}`);
        for (const e of v.enrollments) {
          const next = e.dueAt !== null ? `, next: ${e.nextStep} due ${formatTime(e.dueAt, zone)}` : '';
          print(cli.io, `Cadence ${e.cadence} v${e.version}: ${e.status}${e.reason ? ` (${e.reason})` : ''}, step ${e.step}/${e.steps}${next}`);
        }
        if (v.timeline.length) print(cli.io, '\nTimeline:');
        for (const t of v.timeline) {
          const when = `  ${formatTime(t.at, zone)}  `;
          // A note's later lines line up under its first.
          print(cli.io, `${when}${t.text.replace(/\n/g, `\n${' '.repeat(when.length)}`)}`);
        }
      });
    });
}
