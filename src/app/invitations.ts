// Invitations as the team page makes them: the link is mailed to the person through the workspace's
// mailbox (the inviter's, else a manager's) when there is one, and shown to the manager to copy when
// there is none or sending failed. Inviting an address that already has an open invitation renews
// that one instead of adding a second.
import { invite, renewInvite, type Invite, type InviteInput } from './accounts.ts';
import { sendWorkspaceMail } from './account-mail.ts';
import type { Context } from './context.ts';

export interface InvitationSent extends Invite {
  /** The page that takes the token (after the #, so it never reaches a server log). */
  acceptPath: string;
  /** The address had an open invitation: it got a new link (the old one no longer works). */
  resent: boolean;
  /** Mailed to the person; false: the manager hands the link over (`mailError` says why when sending failed). */
  mailed: boolean;
  mailError: string | null;
}

/** The invitation mail: who invites, to which workspace, and the link. */
function invitationMail(ctx: Context, inv: Invite, link: string) {
  const role = inv.role === 'manager' ? 'a manager' : 'a rep';
  return {
    subject: `${ctx.user.name} invites you to ${ctx.workspace.name} on Tally`,
    text: [
      `Hello ${inv.name},`,
      '',
      `${ctx.user.name} invites you to join ${ctx.workspace.name} on Tally as ${role}. Open this link to choose your password and sign in:`,
      '',
      link,
      '',
      `The link works once, for 7 days. If you did not expect this invitation, ignore this mail.`,
    ].join('\n'),
  };
}

async function deliver(ctx: Context, inv: Invite, resent: boolean, baseUrl: string): Promise<InvitationSent> {
  const acceptPath = `/accept#${inv.token}`;
  let mailed = false;
  let mailError: string | null = null;
  try {
    mailed = await sendWorkspaceMail(ctx, ctx.user, inv.email, invitationMail(ctx, inv, `${baseUrl.replace(/\/+$/, '')}${acceptPath}`));
  } catch (err) {
    mailError = `the mail could not be sent (${err instanceof Error ? err.message : String(err)}): hand over the link yourself`;
  }
  return { ...inv, acceptPath, resent, mailed, mailError };
}

/** Invites someone (or renews their open invitation) and mails them the link when the workspace can. */
export async function sendInvitation(ctx: Context, input: InviteInput, baseUrl: string): Promise<InvitationSent> {
  const { resent, ...inv } = await invite(ctx, input);
  return deliver(ctx, inv, resent, baseUrl);
}

/** A new link for an open invitation, mailed again when the workspace can. */
export async function resendInvitation(ctx: Context, id: number, baseUrl: string): Promise<InvitationSent> {
  return deliver(ctx, await renewInvite(ctx, id), true, baseUrl);
}
