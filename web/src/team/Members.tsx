// The team's members. Managers get addresses, zones and who has not signed up yet, and take access
// away or give it back: change a role, sign someone out everywhere, deactivate them (their prospects
// go to a teammate they pick) or reactivate them. Reps get the names and roles the API gives them.
import { useState } from 'react';
import type { TeamMember } from '@contract';
import type { Role } from '@core/accounts.ts';
import { client } from '../api.ts';
import { CopyField } from './CopyField.tsx';
import { useAction } from './hooks.ts';

interface Props {
  members: TeamMember[];
  meId: number;
  manager: boolean;
  workspaceZone: string;
  onChanged: () => void;
}

export function Members({ members, meId, manager, workspaceZone, onChanged }: Props) {
  const { status, busy, statusRef, run } = useAction(onChanged);
  const [deactivating, setDeactivating] = useState<number | null>(null);
  const [heir, setHeir] = useState<number | null>(null);
  const active = members.filter((m) => m.active !== false);

  const setRole = (m: TeamMember, role: Role) =>
    run(async () => {
      await client.patch('/api/team/members/:id', { params: { id: m.id }, body: { role } });
      return `${m.name} is now a ${role}.`;
    });
  const endSessions = (m: TeamMember) =>
    run(async () => {
      const r = await client.post('/api/team/members/:id/end-sessions', { params: { id: m.id } });
      return `${m.name} is signed out everywhere (${r.ended} session${r.ended === 1 ? '' : 's'} ended).`;
    });
  const deactivate = (m: TeamMember, to: number) =>
    run(async () => {
      const r = await client.post('/api/team/members/:id/deactivate', { params: { id: m.id }, body: { reassignTo: to } });
      setDeactivating(null);
      return `${m.name} is deactivated: their sessions and tokens ended, ${r.prospectsMoved} prospects went to ${members.find((x) => x.id === to)?.name ?? 'a teammate'}.`;
    });
  const [reset, setReset] = useState<{ name: string; url: string } | null>(null);
  const resetLink = (m: TeamMember) =>
    run(async () => {
      const r = await client.post('/api/team/members/:id/reset-link', { params: { id: m.id } });
      setReset({ name: m.name, url: `${location.origin}${r.resetPath}` });
      return `A password reset link for ${m.name}, valid one hour: hand it over yourself.`;
    });
  const reactivate = (m: TeamMember) =>
    run(async () => {
      await client.post('/api/team/members/:id/reactivate', { params: { id: m.id } });
      return `${m.name} can sign in again.`;
    });

  return (
    <>
      {manager && <p role="status" aria-live="polite" className="status" tabIndex={-1} ref={statusRef}>{status}</p>}
      {reset && <CopyField id="reset-link" label={`Password reset link for ${reset.name}`} value={reset.url} />}
      <table className="team-members">
        <caption className="visually-hidden">Members of the workspace</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            {manager && <th scope="col">Email</th>}
            <th scope="col">Role</th>
            {manager && <th scope="col">Time zone</th>}
            {manager && <th scope="col">Account</th>}
            {manager && <th scope="col"><span className="visually-hidden">Actions</span></th>}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.id} aria-current={m.id === meId ? 'true' : undefined}>
              <th scope="row">{m.name}{m.id === meId ? ' (you)' : ''}</th>
              {manager && <td>{m.email}</td>}
              <td>
                {manager && m.id !== meId && m.active !== false ? (
                  <select aria-label={`Role of ${m.name}`} value={m.role} disabled={busy} onChange={(e) => void setRole(m, e.target.value === 'manager' ? 'manager' : 'rep')}>
                    <option value="rep">Rep</option>
                    <option value="manager">Manager</option>
                  </select>
                ) : m.role === 'manager' ? 'Manager' : 'Rep'}
              </td>
              {manager && <td>{m.timezone ?? <span className="meta">{workspaceZone} (the workspace’s)</span>}</td>}
              {manager && <td>{m.active === false ? <span className="warn">Deactivated</span> : m.joined ? 'Signed up' : <span className="warn">No password yet: invite them</span>}</td>}
              {manager && (
                <td>
                  {m.id === meId ? null : m.active === false ? (
                    <button type="button" disabled={busy} onClick={() => void reactivate(m)}>Reactivate {m.name}</button>
                  ) : deactivating === m.id ? (
                    <span className="confirm" role="group" aria-label={`Deactivate ${m.name}?`}>
                      <label htmlFor={`heir-${m.id}`}>Their prospects go to</label>{' '}
                      <select id={`heir-${m.id}`} value={heir ?? ''} onChange={(e) => setHeir(Number(e.target.value))}>
                        {active.filter((x) => x.id !== m.id).map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
                      </select>{' '}
                      <button type="button" disabled={busy} onClick={() => void deactivate(m, heir ?? meId)}>Yes, deactivate {m.name}</button>{' '}
                      <button type="button" onClick={() => setDeactivating(null)}>Keep</button>
                    </span>
                  ) : (
                    <>
                      <button type="button" disabled={busy} onClick={() => void endSessions(m)}>Sign {m.name} out everywhere</button>{' '}
                      {m.joined && <><button type="button" disabled={busy} onClick={() => void resetLink(m)}>Reset link for {m.name}</button>{' '}</>}
                      <button type="button" disabled={busy} onClick={() => { setHeir(meId); setDeactivating(m.id); }}>Deactivate {m.name}</button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
