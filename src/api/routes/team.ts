// The team: who is in the workspace and in which role (everyone); addresses, zones and the
// invitations still open (managers). Invitations themselves are made at /api/auth/invites.
import { z } from 'zod';
import { teamOf } from '../../app/accounts.ts';
import { ctxOf } from '../auth.ts';
import { ok, type Api } from '../schemas.ts';

const role = z.enum(['rep', 'manager']);
const member = z.object({
  id: z.number(),
  name: z.string(),
  role,
  email: z.string().optional().describe('managers only'),
  timezone: z.string().nullable().optional().describe('managers only; null: the workspace zone'),
  joined: z.boolean().optional().describe('managers only; false: no password yet, invite them'),
});
const pendingInvite = z.object({
  id: z.number(), email: z.string(), name: z.string(), role, createdAt: z.number(), expiresAt: z.number(), invitedBy: z.string().nullable(),
});

export function teamRoutes(app: Api): void {
  app.get('/api/team', {
    config: { auth: 'user' },
    schema: {
      tags: ['team'],
      summary: "Your workspace's members: names and roles for everyone; emails, zones and open invitations for managers",
      response: ok(z.object({ members: z.array(member), invites: z.array(pendingInvite).nullable().describe('null for reps') })),
    },
  }, async (req) => teamOf(ctxOf(req)));
}
