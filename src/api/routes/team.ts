// The team: who is in the workspace and in which role (everyone); addresses, zones and the
// invitations still open (managers), and what managers do to members and their API tokens.
// Invitations themselves are made at /api/auth/invites.
import { publicUser, teamOf } from '../../app/accounts.ts';
import { changeRole, deactivateUser, endSessionsOf, reactivateUser, revokeAnyToken, workspaceTokens } from '../../app/team-admin.ts';
import { resetLinkFor } from '../../app/passwords.ts';
import { team } from '../../contract/team.ts';
import { ctxOf } from '../auth.ts';
import { implement, type Api } from '../routing.ts';

export function teamRoutes(app: Api): void {
  implement(app, team, {
    list: async (req) => teamOf(ctxOf(req)),
    changeRole: async (req) => publicUser(await changeRole(ctxOf(req), req.params.id, req.body.role)),
    deactivate: async (req) => deactivateUser(ctxOf(req), req.params.id, req.body.reassignTo),
    reactivate: async (req) => publicUser(await reactivateUser(ctxOf(req), req.params.id)),
    endSessions: async (req) => ({ ended: await endSessionsOf(ctxOf(req), req.params.id) }),
    resetLink: async (req) => resetLinkFor(ctxOf(req), req.params.id),
    tokens: async (req) => ({ items: await workspaceTokens(ctxOf(req)) }),
    revokeToken: async (req, reply) => {
      await revokeAnyToken(ctxOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  });
}
