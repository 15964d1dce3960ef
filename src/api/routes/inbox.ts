// What inbound mail waits for from the rep: list, decide, dismiss (src/contract/inbox.ts).
import { decideMessage, dismissNotice, waitingForRep } from '../../app/inbound-review.ts';
import { isManager } from '../../app/context.ts';
import { inbox } from '../../contract/inbox.ts';
import { ctxOf } from '../auth.ts';
import { refuse } from '../errors.ts';
import { implement, type Api } from '../routing.ts';

export function inboxRoutes(app: Api): void {
  implement(app, inbox, {
    waiting: async (req) => {
      const ctx = ctxOf(req);
      if (req.query.team && !isManager(ctx)) throw refuse('forbidden', "only a manager can see everyone's messages", 'team');
      return waitingForRep(ctx, { team: req.query.team });
    },
    decide: async (req) => decideMessage(ctxOf(req), req.params.id, req.body),
    dismiss: async (req) => {
      await dismissNotice(ctxOf(req), req.params.id);
      return { dismissed: req.params.id };
    },
  });
}
