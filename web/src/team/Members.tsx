// The team's members. Managers get addresses, zones and who has not signed up yet; reps get the
// names and roles the API gives them.
import type { TeamMember } from '../api.ts';

export function Members({ members, meId, manager, workspaceZone }: { members: TeamMember[]; meId: number; manager: boolean; workspaceZone: string }) {
  return (
    <table className="team-members">
      <caption className="visually-hidden">Members of the workspace</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          {manager && <th scope="col">Email</th>}
          <th scope="col">Role</th>
          {manager && <th scope="col">Time zone</th>}
          {manager && <th scope="col">Account</th>}
        </tr>
      </thead>
      <tbody>
        {members.map((m) => (
          <tr key={m.id} aria-current={m.id === meId ? 'true' : undefined}>
            <th scope="row">{m.name}{m.id === meId ? ' (you)' : ''}</th>
            {manager && <td>{m.email}</td>}
            <td>{m.role === 'manager' ? 'Manager' : 'Rep'}</td>
            {manager && <td>{m.timezone ?? <span className="meta">{workspaceZone} (the workspace’s)</span>}</td>}
            {manager && <td>{m.joined ? 'Signed up' : <span className="warn">No password yet: invite them</span>}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
