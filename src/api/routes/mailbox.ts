// The acting user's mailbox: where reading starts and how the sync goes (src/contract/mailbox.ts).
import { myMailbox, setReadSince } from '../../app/mailboxes.ts';
import { mailbox } from '../../contract/mailbox.ts';
import { ctxOf } from '../auth.ts';
import { implement, type Api } from '../routing.ts';

export function mailboxRoutes(app: Api): void {
  implement(app, mailbox, {
    show: async (req) => ({ mailbox: await myMailbox(ctxOf(req)) }),
    readSince: async (req) => ({ mailbox: await setReadSince(ctxOf(req), req.body.since) }),
  });
}
