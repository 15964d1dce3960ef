// Every live API token of the workspace (managers): who made it, when it was last used and when it
// expires; any of them can be revoked (a script that leaked, someone who left).
import type { TeamToken } from '@contract';
import { client } from '../api.ts';
import { useAction, useItems } from './hooks.ts';

const day = (ms: number | null) => (ms === null ? 'never' : new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' }));

const loadTokens = () => client.get('/api/team/tokens');

export function TeamTokens() {
  const { items: tokens, error: loadError, reload } = useItems(loadTokens, 'the tokens');
  const { status, busy, statusRef, run } = useAction(reload);

  const revoke = (t: TeamToken) =>
    run(async () => {
      await client.delete('/api/team/tokens/:id', { params: { id: t.id } });
      return `Revoked “${t.name}” of ${t.userName}: scripts using it are refused from now on.`;
    });

  return (
    <>
      <p role="status" aria-live="polite" className="status" tabIndex={-1} ref={statusRef}>{status}</p>
      {loadError && <p role="alert" className="error">{loadError}</p>}
      {tokens && tokens.length === 0 && <p>No API token is live in the workspace.</p>}
      {tokens && tokens.length > 0 && (
        <table className="team-all-tokens">
          <caption className="visually-hidden">Every live API token of the workspace</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Owner</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name} <code>{t.prefix}…</code></th>
                <td>{t.userName}</td>
                <td>{day(t.lastUsedAt)}</td>
                <td>{day(t.expiresAt)}</td>
                <td><button type="button" disabled={busy} aria-label={`Revoke ${t.name} of ${t.userName}`} onClick={() => void revoke(t)}>Revoke</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
