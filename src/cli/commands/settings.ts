import type { Command } from 'commander';
import { setSetting, settingsView } from '../../app/workspace-settings.ts';
import type { Cli } from '../cli.ts';
import { print, printJson } from '../io.ts';

export function registerSettings(program: Command, cli: Cli): void {
  const settings = program.command('settings').description('workspace settings: time zone, workdays, holidays, sending windows, guardrails');
  settings
    .command('show', { isDefault: true })
    .description('show the settings')
    .action(async (_o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const v = settingsView(ctx);
        if (cli.opts(cmd).json) return printJson(cli.io, v);
        const g = v.settings.guardrails;
        print(cli.io, `Time zone: ${v.timezone}`);
        print(cli.io, `Workdays: ${v.settings.workdays.join(', ')} (1 = Monday)`);
        print(cli.io, `Holidays: ${v.settings.holidays.join(', ') || 'none'}`);
        print(cli.io, `Guardrails: at least ${g.minGapBusinessDays} business days between touches to one person; at most ${g.maxTouchesPerPerson7Days} per person per 7 days and ${g.maxTouchesPerPerson30Days} per 30 days; at most ${g.maxTouchesPerCompanyPerDay} per company per day; quiet hours ${g.quietHours ? `${g.quietHours.start}–${g.quietHours.end}` : 'off'}`);
        print(cli.io, 'Change one with: tally settings set guardrails.minGapBusinessDays 3 (or holidays 2026-12-24,2026-12-25, windows.call 09:00-17:00, minutesPerChannel.call 8, timezone Europe/Paris)');
      });
    });
  settings
    .command('set <path> <value>')
    .description('change one setting')
    .action(async (path: string, value: string, _o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const v = await setSetting(ctx, path, value);
        if (cli.opts(cmd).json) return printJson(cli.io, v);
        print(cli.io, `Set ${path} = ${value}.`);
      });
    });
}
