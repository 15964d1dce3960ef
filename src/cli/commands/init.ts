import type { Command } from 'commander';
import { initWorkspace } from '../../app/workspace.ts';
import { issueSetupCode } from '../../app/setup-code.ts';
import type { Cli } from '../cli.ts';
import { print, printJson } from '../io.ts';

export function registerInit(program: Command, cli: Cli): void {
  program
    .command('init')
    .description('create the workspace, your user and the built-in cadences')
    .option('--name <name>', 'workspace name')
    .option('--timezone <zone>', 'default time zone for prospects (IANA name; default: this machine\'s)')
    .option('--email <email>', 'your email address')
    .option('--user-name <name>', 'your name')
    .action(async (o: { name?: string; timezone?: string; email?: string; userName?: string }, cmd: Command) => {
      await cli.withStore(cmd, async (store) => {
        const rt = cli.runtime(store);
        const r = await initWorkspace(rt, { workspaceName: o.name, timezone: o.timezone, userEmail: o.email, userName: o.userName, login: process.env.USER || undefined }, cli.now());
        // Whoever signs up first in the web app owns the workspace: only with this code.
        const setupCode = await issueSetupCode(rt);
        if (cli.opts(cmd).json) return printJson(cli.io, { created: r.created, database: store.location, workspace: r.workspace, user: { id: r.user.id, email: r.user.email, name: r.user.name }, setupCode });
        if (!r.created) return print(cli.io, `Workspace "${r.workspace.name}" already exists in ${store.location}.`);
        print(cli.io, `Created workspace "${r.workspace.name}" (${r.workspace.timezone}) in ${store.location}.`);
        print(cli.io, `You are ${r.user.name} <${r.user.email}>. Built-in cadences are ready: run "tally cadence list".`);
        print(cli.io, 'Next: tally import prospects people.csv');
        if (setupCode) print(cli.io, `Web sign-up (tally serve) needs the setup code ${setupCode}: keep it to yourself (tally serve prints a new one).`);
      });
    });
}
