// The team tab of the settings: who is on the team (everyone), inviting people, the invitations
// still open and taking access away (managers: roles, deactivation, password reset links, anyone's
// sessions and API tokens). Your own password, sessions and API tokens are on your profile tab.
import { useCallback, useEffect, useState } from 'react';
import type { ResponseFor, Session } from '@contract';
import { ApiFailure, client } from './api.ts';
import { Members } from './team/Members.tsx';
import { InviteForm, PendingInvites } from './team/InviteForm.tsx';
import { TeamTokens } from './team/TeamTokens.tsx';

export function Team({ me }: { me: Session }) {
  const manager = me.user.role === 'manager';
  const [team, setTeam] = useState<ResponseFor<'GET /api/team'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client.get('/api/team').then(
      (t) => { setTeam(t); setError(null); },
      (e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot load the team'),
    );
  }, []);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="team-title" className="team">
      <h1 id="team-title">Team: {me.workspace.name}</h1>
      {error && <p role="alert" className="error">{error}</p>}
      <div className="team-grid">
        <section className="card" aria-labelledby="members-title">
          <h2 id="members-title">Members</h2>
          {!team ? <p className="loading">Loading the team…</p> : (
            <Members members={team.members} meId={me.user.id} manager={manager} workspaceZone={me.workspace.timezone} onChanged={load} />
          )}
          {!manager && <p className="meta">Ask a manager to invite someone; addresses and invitations are theirs to see.</p>}
        </section>
        {manager && (
          <section className="card" aria-labelledby="invite-title">
            <h2 id="invite-title">Invite someone</h2>
            <InviteForm onInvited={load} />
            <h3 id="invites-title">Invitations waiting</h3>
            {team?.invites && <PendingInvites invites={team.invites} onChanged={load} />}
          </section>
        )}
        {manager && (
          <section className="card" aria-labelledby="team-tokens-title">
            <h2 id="team-tokens-title">Every API token of the workspace</h2>
            <TeamTokens />
          </section>
        )}
      </div>
    </section>
  );
}
