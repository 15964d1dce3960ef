// `tally user …` and `tally token …`: the team's accounts from the command line (the CLI works on the
// database file, so it acts as the --as user, by default the first one). The same services as the
// API: change a role, deactivate with reassignment, reactivate, sign someone out everywhere, hand
// out a reset link, set a password, list and revoke API tokens, cancel an invitation.
import type { Command } from 'commander';
import { teamOf, publicUser } from '../../app/accounts.ts';
import { changeRole, cancelInvite, deactivateUser, endSessionsOf, reactivateUser, revokeAnyToken, workspaceTokens } from '../../app/team-admin.ts';
import { resetLinkFor, resetPassword } from '../../app/passwords.ts';
import type { Context } from '../../app/context.ts';
import type { User } from '../../app/ports/records.ts';
import { TallyError } from '../../core/errors.ts';
import { UsageError, type Cli } from '../cli.ts';
import { formatTime, pad, print, printJson } from '../io.ts';
import { wholeNumber } from '../options.ts';
import { readSecret, type SecretFlags } from '../secret-input.ts';

async function userByEmail(ctx: Context, email: string, field = 'email'): Promise<User> {
  const u = await ctx.store.users.byEmail(ctx.workspace.id, email.trim().toLowerCase());
  if (!u) throw new TallyError(`no user ${email} in this workspace`, 'not_found', { field });
  return u;
}

function registerUserCommands(user: Command, cli: Cli): void {
  const run = (fn: (ctx: Context, cmd: Command) => Promise<unknown>) => async (...args: unknown[]): Promise<void> => {
    const cmd = args[args.length - 1] as Command;
    await cli.withContext(cmd, (ctx) => fn(ctx, cmd));
  };
  const done = (cmd: Command, json: unknown, text: string) => (cli.opts(cmd).json ? printJson(cli.io, json) : print(cli.io, text));

  user.command('list').description('who is on the team: role, whether they joined, whether they are active; open invitations').action(run(async (ctx, cmd) => {
    const team = await teamOf(ctx);
    if (cli.opts(cmd).json) return printJson(cli.io, team);
    for (const m of team.members) print(cli.io, `${pad(m.email ?? m.name, 32)} ${pad(m.name, 24)} ${pad(m.role, 8)} ${m.active === false ? 'DEACTIVATED' : m.joined === false ? 'no password yet' : ''}`);
    for (const i of team.invites ?? []) print(cli.io, `invitation #${i.id}: ${i.email} (${i.role}), until ${formatTime(i.expiresAt, ctx.workspace.timezone)}`);
  }));
  user.command('role <email> <role>').description('make someone a rep or a manager (a workspace keeps one active manager)').action(run(async (ctx, cmd) => {
    const [email, role] = cmd.args as [string, string];
    if (role !== 'rep' && role !== 'manager') throw new UsageError(`role must be rep or manager, not "${role}"`);
    const u = await changeRole(ctx, (await userByEmail(ctx, email)).id, role);
    done(cmd, publicUser(u), `${u.email} is now a ${u.role}.`);
  }));
  user.command('deactivate <email>').description('take access away at once (sessions and API tokens end); their prospects go to a teammate')
    .requiredOption('--reassign-to <email>', 'the active teammate who takes over their prospects and enrollments')
    .action(run(async (ctx, cmd) => {
      const u = await userByEmail(ctx, cmd.args[0]!);
      const heir = await userByEmail(ctx, cmd.opts<{ reassignTo: string }>().reassignTo, 'reassign-to');
      const r = await deactivateUser(ctx, u.id, heir.id);
      done(cmd, r, `Deactivated ${u.email}: ${r.sessionsEnded} sessions ended, ${r.tokensRevoked} API tokens revoked, ${r.prospectsMoved} prospects now with ${heir.email}${r.mailsRequeued ? `, ${r.mailsRequeued} queued mails to go from their mailbox` : ''}.`);
    }));
  user.command('reactivate <email>').description('let a deactivated user sign in again').action(run(async (ctx, cmd) => {
    const u = await reactivateUser(ctx, (await userByEmail(ctx, cmd.args[0]!)).id);
    done(cmd, publicUser(u), `${u.email} can sign in again.`);
  }));
  user.command('sign-out <email>').description('end every session of a user (they sign in again)').action(run(async (ctx, cmd) => {
    const n = await endSessionsOf(ctx, (await userByEmail(ctx, cmd.args[0]!)).id);
    done(cmd, { ended: n }, `${n} sessions ended.`);
  }));
  user.command('reset-link <email>').description('a password reset link (1 hour, single use) to hand over yourself')
    .option('--base-url <url>', 'where the web app is reached', 'http://127.0.0.1:3000')
    .action(run(async (ctx, cmd) => {
      const link = await resetLinkFor(ctx, (await userByEmail(ctx, cmd.args[0]!)).id);
      done(cmd, link, `${cmd.opts<{ baseUrl: string }>().baseUrl.replace(/\/+$/, '')}${link.resetPath}  (valid until ${formatTime(link.expiresAt, ctx.workspace.timezone)})`);
    }));
  user.command('password <email>').description('set a user\'s password (every session of theirs ends); read from a prompt, --password-stdin or --password-env')
    .option('--password-stdin', 'read the password from standard input')
    .option('--password-env <VAR>', 'read the password from this environment variable')
    .action(run(async (ctx, cmd) => {
      const u = await userByEmail(ctx, cmd.args[0]!);
      const password = await readSecret(cmd.opts<SecretFlags>(), `New password for ${u.email}: `);
      await resetPassword(ctx, (await resetLinkFor(ctx, u.id)).token, password);
      done(cmd, { email: u.email }, `Password set for ${u.email}; their sessions ended.`);
    }));
  user.command('cancel-invite <id>').description('cancel an open invitation: its link stops working').action(run(async (ctx, cmd) => {
    await cancelInvite(ctx, wholeNumber(1)(cmd.args[0]!));
    done(cmd, { cancelled: true }, 'Invitation cancelled.');
  }));
}

export function registerUsers(program: Command, cli: Cli): void {
  registerUserCommands(program.command('user').description('the team\'s accounts: roles, deactivation, sessions, passwords, invitations'), cli);
  const token = program.command('token').description('API tokens of the workspace (managers)');
  token.command('list').description('every live API token, with its owner and expiry (never the secret)').action(async (_o: unknown, cmd: Command) => {
    await cli.withContext(cmd, async (ctx) => {
      const items = await workspaceTokens(ctx);
      if (cli.opts(cmd).json) return printJson(cli.io, items);
      for (const t of items) print(cli.io, `#${t.id} ${pad(t.prefix + '…', 14)} ${pad(t.name, 24)} ${pad(t.userName, 20)} expires ${formatTime(t.expiresAt, ctx.workspace.timezone)}`);
    });
  });
  token.command('revoke <id>').description('revoke any API token of the workspace').action(async (id: string, _o: unknown, cmd: Command) => {
    await cli.withContext(cmd, async (ctx) => {
      await revokeAnyToken(ctx, wholeNumber(1)(id));
      print(cli.io, `API token #${id} revoked.`);
    });
  });
}
