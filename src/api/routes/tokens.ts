// API tokens for scripts: each acts as the user who made it.
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from '../../app/accounts.ts';
import { ctxOf } from '../auth.ts';
import { created, idParams, noContent, ok, type Api } from '../schemas.ts';

const tokenInfo = z.object({ id: z.number(), name: z.string(), prefix: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable() });

export function tokenRoutes(app: Api): void {
  app.get('/api/tokens', {
    config: { auth: 'user' },
    schema: { tags: ['tokens'], summary: 'Your API tokens (never the secret)', response: ok(z.object({ items: z.array(tokenInfo) })) },
  }, async (req) => ({ items: await listApiTokens(ctxOf(req)) }));

  app.post('/api/tokens', {
    config: { auth: 'user' },
    schema: {
      tags: ['tokens'],
      summary: 'Make an API token (use it as "Authorization: Bearer …"); the token is shown only now',
      body: z.object({ name: z.string().trim().min(1).max(100) }),
      response: created(tokenInfo.extend({ token: z.string() })),
    },
  }, async (req, reply) => reply.code(201).send(await createApiToken(ctxOf(req), req.body.name)));

  app.delete('/api/tokens/:id', {
    config: { auth: 'user' },
    schema: { tags: ['tokens'], summary: 'Revoke one of your API tokens', params: idParams, response: noContent() },
  }, async (req, reply) => {
    await revokeApiToken(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}
