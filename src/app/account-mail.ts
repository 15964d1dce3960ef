// Mail about a person's own account (a password reset link, a sign-in lockout notice). It goes
// through a mailbox the workspace already has: the person's own, else an active manager's. A
// workspace without a mailbox gets no such mail (a manager hands out reset links instead).
import { makeMessageId } from '../core/threading.ts';
import { smtpSettings } from './mailboxes.ts';
import type { Mailbox, User } from './ports/records.ts';
import type { Runtime } from './ports/runtime.ts';

export interface AccountMail {
  subject: string;
  text: string;
}

async function senderFor(rt: Runtime, user: User): Promise<Mailbox | null> {
  const own = await rt.store.mailboxes.ofUser(user.id);
  if (own) return own;
  const managers = (await rt.store.users.list(user.workspace_id)).filter((u) => u.role === 'manager' && u.deactivated_at === null && u.id !== user.id);
  for (const m of managers) {
    const box = await rt.store.mailboxes.ofUser(m.id);
    if (box) return box;
  }
  return null;
}

/** Whether account mail can reach this user at all (some mailbox in the workspace can send it). */
export async function canMailAccount(rt: Runtime, user: User): Promise<boolean> {
  return (await senderFor(rt, user)) !== null;
}

/** Sends the mail to the user's own address; false when the workspace has no mailbox to send it with. */
export async function sendAccountMail(rt: Runtime, user: User, mail: AccountMail): Promise<boolean> {
  return sendWorkspaceMail(rt, user, user.email, mail);
}

/**
 * Sends the mail to `to` through `sender`'s mailbox, else an active manager's of their workspace
 * (an invitation to someone without an account yet); false when the workspace has none.
 */
export async function sendWorkspaceMail(rt: Runtime, sender: User, to: string, mail: AccountMail): Promise<boolean> {
  const box = await senderFor(rt, sender);
  if (!box) return false;
  const transport = rt.mail.transport(smtpSettings(rt, box));
  try {
    const escaped = mail.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    await transport.send({
      from: { name: 'Tally', address: box.from_address },
      to,
      subject: mail.subject,
      text: mail.text,
      html: `<!doctype html>\n<html><body><pre style="font-family:inherit;white-space:pre-wrap">${escaped}</pre></body></html>\n`,
      messageId: makeMessageId(rt.ids.hex(12), box.from_address),
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
  } finally {
    transport.close();
  }
  return true;
}
