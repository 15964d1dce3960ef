// API tokens for scripts: each acts as the user who made it.
import { createApiToken, listApiTokens, revokeApiToken } from '../../app/accounts.ts';
import { tokens } from '../../contract/tokens.ts';
import { ctxOf } from '../auth.ts';
import { implement, type Api } from '../routing.ts';

export function tokenRoutes(app: Api): void {
  implement(app, tokens, {
    list: async (req) => ({ items: await listApiTokens(ctxOf(req)) }),
    create: async (req, reply) => reply.code(201).send(await createApiToken(ctxOf(req), req.body.name, req.body.expiresInDays)),
    revoke: async (req, reply) => {
      await revokeApiToken(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
