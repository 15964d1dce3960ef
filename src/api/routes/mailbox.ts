// The acting user's mailbox: where reading starts, how the sync goes, a paused sending resumed (src/contract/mailbox.ts).
import { myMailbox, resumeSending, setReadSince } from '../../app/mailboxes.ts';
import { mailbox } from '../../contract/mailbox.ts';
import { ctxOf } from '../auth.ts';
import { implement, type Api } from '../routing.ts';

export function mailboxRoutes(app: Api): void {
  implement(app, mailbox, {
    show: async (req) => ({ mailbox: await myMailbox(ctxOf(req)) }),
    readSince: async (req) => ({ mailbox: await setReadSince(ctxOf(req), req.body.since) }),
    resume: async (req) => ({ mailbox: await resumeSending(ctxOf(req)) }),
  });
}
