// MOUNT POINT for more of the mailbox tab (issue 19: connecting with OAuth, the deliverability
// check, in web/src/mailbox/*). Add an entry here and it renders on #/settings/mailbox, in order,
// above the password (SMTP/IMAP) form; nothing else of the tab needs to change.
import type { ComponentType } from 'react';
import type { MailboxInfo, Session } from '@contract';
import { ConnectMailbox } from '../mailbox/ConnectMailbox.tsx';
import { MailboxCheck } from '../mailbox/MailboxCheck.tsx';
import { MailboxSetup } from '../mailbox/MailboxSetup.tsx';

export interface MailboxSectionProps {
  me: Session;
  /** The rep's mailbox as GET /api/mailbox answers it (null: none connected yet). */
  mailbox: MailboxInfo | null;
  /** Call after a change so the tab loads the mailbox again. */
  reload: () => void;
}

export interface MailboxSection {
  /** Unique; also the id of the section's heading ("<id>-title"). */
  id: string;
  title: string;
  Section: ComponentType<MailboxSectionProps>;
  /** Shown to managers only (the API refuses reps anyway). */
  managerOnly?: boolean;
}

/** Google / Microsoft 365 sign-in (issue 19). */
function SignInSection({ me, mailbox }: MailboxSectionProps) {
  return <ConnectMailbox mailbox={mailbox} manager={me.user.role === 'manager'} />;
}

export const MAILBOX_SECTIONS: MailboxSection[] = [
  { id: 'connect', title: 'Sign in with Google or Microsoft 365', Section: SignInSection },
  { id: 'mailbox-check', title: 'Will your mail land?', Section: MailboxCheck },
  { id: 'mailbox-setup', title: 'Workspace setup: sign-in apps and unsubscribe link', Section: MailboxSetup, managerOnly: true },
];
