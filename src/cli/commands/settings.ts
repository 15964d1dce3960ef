import type { Command } from 'commander';
import { setSetting, settingsView } from '../../app/workspace-settings.ts';
import { describeGuardrails, guardrailSummary } from '../../core/guardrails/index.ts';
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
        print(cli.io, `Time zone: ${v.timezone}`);
        print(cli.io, `Workdays: ${v.settings.workdays.join(', ')} (1 = Monday)`);
        print(cli.io, `Holidays: ${v.settings.holidays.join(', ') || 'none'}`);
        print(cli.io, `Guardrails: ${guardrailSummary(v.settings.guardrails)} (tally settings rules: what each one does)`);
        const inbound = v.settings.inbound;
        print(cli.io, `Inbound mail: a sender's address alone matches only a live cadence or one ended within ${inbound.addressMatchDays} days; never for role addresses (${inbound.roleAddresses.join(', ') || 'none'}) or the workspace's own users; a mailbox stops sending after ${inbound.senderFailuresToPause} refusals on the sending side within ${inbound.senderFailureWindowHours} h`);
        print(cli.io, `Company-wide stop: ${inbound.companyWideStop ? 'on: when one person at a company replies or books a meeting, the cadences of everyone else there are paused and their owners told' : 'off (tally settings set inbound.companyWideStop true: when one person at a company replies or books a meeting, pause everyone else there)'}`);
        print(cli.io, `Unsubscribe link: ${v.settings.mail.unsubscribeUrl ?? 'none: mail carries a mailto link only (tally settings set mail.unsubscribeUrl https://YOUR-TALLY/unsubscribe: one-click unsubscribe, which Gmail and Yahoo require)'}`);
        print(cli.io, 'Change one with: tally settings set guardrails.minGapBusinessDays 3 (or holidays 2026-12-24,2026-12-25, windows.call 09:00-17:00, minutesPerChannel.call 8, inbound.roleAddresses info@,sales@, timezone Europe/Paris)');
      });
    });
  settings
    .command('rules')
    .description('the guardrails in plain words, with their current settings')
    .action(async (_o: unknown, cmd: Command) => {
      await cli.withContext(cmd, async (ctx) => {
        const rules = describeGuardrails(settingsView(ctx).settings.guardrails);
        if (cli.opts(cmd).json) return printJson(cli.io, rules);
        for (const rule of rules) {
          print(cli.io, `${rule.id}${rule.summary ? `: ${rule.summary}` : rule.permanent ? ' (always on, never lifts)' : ' (always on)'}`);
          print(cli.io, `  ${rule.explanation}`);
          for (const [key, value] of Object.entries(rule.settings)) print(cli.io, `  tally settings set guardrails.${key} ${JSON.stringify(value)}`);
        }
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
