// The team: who is in the workspace and in which role (everyone); addresses, zones and the
// invitations still open (managers). Invitations themselves are made at /api/auth/invites.
import { z } from 'zod';
import { idParams, idSchema, itemsOf, roleSchema, userSchema } from './common.ts';
import { noContent, ok, routesOf } from './route.ts';

const route = routesOf('team');

const member = z.object({
  id: z.number(),
  name: z.string(),
  role: roleSchema,
  email: z.string().optional().describe('managers only'),
  timezone: z.string().nullable().optional().describe('managers only; null: the workspace zone'),
  joined: z.boolean().optional().describe('managers only; false: no password yet, invite them'),
  active: z.boolean().optional().describe('managers only; false: deactivated (cannot sign in)'),
});
export type TeamMember = z.infer<typeof member>;

const teamToken = z.object({
  id: z.number(), name: z.string(), prefix: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable(), expiresAt: z.number(),
  userId: z.number(), userName: z.string(),
});
export type TeamToken = z.infer<typeof teamToken>;

const pendingInvite = z.object({
  id: z.number(), email: z.string(), name: z.string(), role: roleSchema, createdAt: z.number(), expiresAt: z.number(), invitedBy: z.string().nullable(),
});
export type PendingInvite = z.infer<typeof pendingInvite>;

export const team = {
  list: route('GET', '/api/team', 'user', {
    summary: "Your workspace's members: names and roles for everyone; emails, zones and open invitations for managers",
    response: ok(z.object({ members: z.array(member), invites: z.array(pendingInvite).nullable().describe('null for reps') })),
  }),

  changeRole: route('PATCH', '/api/team/members/:id', 'manager', {
    summary: 'Change a member\'s role (managers only); the workspace always keeps one active manager',
    params: idParams, body: z.object({ role: roleSchema }), response: ok(userSchema),
  }),

  deactivate: route('POST', '/api/team/members/:id/deactivate', 'manager', {
    summary: 'Deactivate a member (managers only): their sessions and API tokens end at once; their prospects and enrollments go to the named teammate',
    params: idParams,
    body: z.object({ reassignTo: idSchema.describe('the active teammate who takes over their prospects') }),
    response: ok(z.object({
      userId: z.number(), reassignedTo: z.number(), prospectsMoved: z.number(), sessionsEnded: z.number(), tokensRevoked: z.number(),
      mailsRequeued: z.number().describe('mails their mailbox had queued, to be queued again from the new owner\'s'),
    })),
  }),

  reactivate: route('POST', '/api/team/members/:id/reactivate', 'manager', {
    summary: 'Reactivate a member (managers only): they can sign in again (their prospects stay where they went)', params: idParams, response: ok(userSchema),
  }),

  endSessions: route('POST', '/api/team/members/:id/end-sessions', 'manager', {
    summary: 'Sign a member out everywhere (managers only): a lost laptop', params: idParams, response: ok(z.object({ ended: z.number() })),
  }),

  resetLink: route('POST', '/api/team/members/:id/reset-link', 'manager', {
    summary: 'A password reset link for a member (managers only), valid 1 hour, single use: hand it over yourself',
    params: idParams,
    response: ok(z.object({ token: z.string(), resetPath: z.string().describe('/reset#<token>'), expiresAt: z.number() })),
  }),

  tokens: route('GET', '/api/team/tokens', 'manager', {
    summary: 'Every live API token of the workspace, with its owner (managers only; never the secret)', response: ok(itemsOf(teamToken)),
  }),

  revokeToken: route('DELETE', '/api/team/tokens/:id', 'manager', { summary: 'Revoke any API token of the workspace (managers only)', params: idParams, response: noContent() }),
};
