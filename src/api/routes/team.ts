// The team: who is in the workspace and in which role (everyone); addresses, zones and the
// invitations still open (managers). Invitations themselves are made at /api/auth/invites.
import { z } from 'zod';
import { publicUser, teamOf } from '../../app/accounts.ts';
import { changeRole, deactivateUser, endSessionsOf, reactivateUser, revokeAnyToken, workspaceTokens } from '../../app/team-admin.ts';
import { resetLinkFor } from '../../app/passwords.ts';
import { ctxOf } from '../auth.ts';
import { idParams, idSchema, noContent, ok, userSchema, type Api } from '../schemas.ts';

const role = z.enum(['rep', 'manager']);
const member = z.object({
  id: z.number(),
  name: z.string(),
  role,
  email: z.string().optional().describe('managers only'),
  timezone: z.string().nullable().optional().describe('managers only; null: the workspace zone'),
  joined: z.boolean().optional().describe('managers only; false: no password yet, invite them'),
  active: z.boolean().optional().describe('managers only; false: deactivated (cannot sign in)'),
});
const teamToken = z.object({
  id: z.number(), name: z.string(), prefix: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable(), expiresAt: z.number(),
  userId: z.number(), userName: z.string(),
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

  app.patch('/api/team/members/:id', {
    config: { auth: 'manager' },
    schema: {
      tags: ['team'],
      summary: 'Change a member\'s role (managers only); the workspace always keeps one active manager',
      params: idParams, body: z.object({ role }), response: ok(userSchema),
    },
  }, async (req) => publicUser(await changeRole(ctxOf(req), req.params.id, req.body.role)));

  app.post('/api/team/members/:id/deactivate', {
    config: { auth: 'manager' },
    schema: {
      tags: ['team'],
      summary: 'Deactivate a member (managers only): their sessions and API tokens end at once; their prospects and enrollments go to the named teammate',
      params: idParams,
      body: z.object({ reassignTo: idSchema.describe('the active teammate who takes over their prospects') }),
      response: ok(z.object({
        userId: z.number(), reassignedTo: z.number(), prospectsMoved: z.number(), sessionsEnded: z.number(), tokensRevoked: z.number(),
        mailsRequeued: z.number().describe('mails their mailbox had queued, to be queued again from the new owner\'s'),
      })),
    },
  }, async (req) => deactivateUser(ctxOf(req), req.params.id, req.body.reassignTo));

  app.post('/api/team/members/:id/reactivate', {
    config: { auth: 'manager' },
    schema: { tags: ['team'], summary: 'Reactivate a member (managers only): they can sign in again (their prospects stay where they went)', params: idParams, response: ok(userSchema) },
  }, async (req) => publicUser(await reactivateUser(ctxOf(req), req.params.id)));

  app.post('/api/team/members/:id/end-sessions', {
    config: { auth: 'manager' },
    schema: { tags: ['team'], summary: 'Sign a member out everywhere (managers only): a lost laptop', params: idParams, response: ok(z.object({ ended: z.number() })) },
  }, async (req) => ({ ended: await endSessionsOf(ctxOf(req), req.params.id) }));

  app.post('/api/team/members/:id/reset-link', {
    config: { auth: 'manager' },
    schema: {
      tags: ['team'],
      summary: 'A password reset link for a member (managers only), valid 1 hour, single use: hand it over yourself',
      params: idParams,
      response: ok(z.object({ token: z.string(), resetPath: z.string().describe('/reset#<token>'), expiresAt: z.number() })),
    },
  }, async (req) => resetLinkFor(ctxOf(req), req.params.id));

  app.get('/api/team/tokens', {
    config: { auth: 'manager' },
    schema: { tags: ['team'], summary: 'Every live API token of the workspace, with its owner (managers only; never the secret)', response: ok(z.object({ items: z.array(teamToken) })) },
  }, async (req) => ({ items: await workspaceTokens(ctxOf(req)) }));

  app.delete('/api/team/tokens/:id', {
    config: { auth: 'manager' },
    schema: { tags: ['team'], summary: 'Revoke any API token of the workspace (managers only)', params: idParams, response: noContent() },
  }, async (req, reply) => {
    await revokeAnyToken(ctxOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}
