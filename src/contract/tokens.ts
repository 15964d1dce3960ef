// API tokens for scripts: each acts as the user who made it.
import { z } from 'zod';
import { MAX_TOKEN_DAYS, TOKEN_DAYS } from '../core/accounts.ts';
import { idParams, itemsOf } from './common.ts';
import { created, noContent, ok, routesOf } from './route.ts';

const route = routesOf('tokens');

const tokenInfo = z.object({ id: z.number(), name: z.string(), prefix: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable(), expiresAt: z.number() });
export type ApiTokenInfo = z.infer<typeof tokenInfo>;

export const tokens = {
  list: route('GET', '/api/tokens', 'user', { summary: 'Your API tokens (never the secret)', response: ok(itemsOf(tokenInfo)) }),

  create: route('POST', '/api/tokens', 'user', {
    summary: 'Make an API token (use it as "Authorization: Bearer …"); the token is shown only now',
    body: z.object({
      name: z.string().trim().min(1).max(100),
      expiresInDays: z.number().int().min(1).max(MAX_TOKEN_DAYS).default(TOKEN_DAYS).describe(`how long the token works (default ${TOKEN_DAYS} days)`),
    }),
    response: created(tokenInfo.extend({ token: z.string() })),
  }),

  revoke: route('DELETE', '/api/tokens/:id', 'user', { summary: 'Revoke one of your API tokens', params: idParams, response: noContent() }),
};
