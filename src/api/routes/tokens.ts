// API tokens for scripts: each acts as the user who made it.
import { z } from 'zod';
import { createApiToken, listApiTokens, MAX_TOKEN_DAYS, revokeApiToken, TOKEN_DAYS } from '../../app/accounts.ts';
import { ctxOf } from '../auth.ts';
import { created, idParams, noContent, ok, type Api } from '../schemas.ts';

const tokenInfo = z.object({ id: z.number(), name: z.string(), prefix: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable(), expiresAt: z.number() });

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
      body: z.object({
        name: z.string().trim().min(1).max(100),
        expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(TOKEN_DAYS).describe(`how long the token works (default ${TOKEN_DAYS} days)`),
      }),
      response: created(tokenInfo.extend({ token: z.string() })),
    },
  }, async (req, reply) => reply.code(201).send(await createApiToken(ctxOf(req), req.body.name, req.body.expiresInDays)));

  app.delete('/api/tokens/:id', {
    config: { auth: 'user' },
    schema: { tags: ['tokens'], summary: 'Revoke one of your API tokens', params: idParams, response: noContent() },
  }, async (req, reply) => {
    await revokeApiToken(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}
