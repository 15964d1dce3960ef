// Cadences: the list (version, steps, live enrollments), and one cadence in the editor.
// The open cadence is in the URL (#/cadences?id=3), so "used by" links from the playbook land on it.
import { useEffect, useState } from 'react';
import type { CadenceListing, Session } from '@contract';
import { ApiFailure, client } from './api.ts';
import { Editor } from './cadences/Editor.tsx';

function openFromHash(): number | 'new' | null {
  const q = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const id = q.get('id');
  if (id === 'new') return 'new';
  return id && /^\d+$/.test(id) ? Number(id) : null;
}

export function Cadences({ me }: { me: Session }) {
  const [open, setOpen] = useState(openFromHash);
  const [list, setList] = useState<CadenceListing[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const onHash = () => setOpen(openFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (open !== null) return;
    client.get('/api/cadences', { query: { limit: 200 } }).then((r) => setList(r.items), (e: unknown) => setError(e instanceof ApiFailure ? e.message : 'cannot load the cadences'));
  }, [open]);

  const go = (id: number | 'new' | null) => {
    window.location.hash = id === null ? '#/cadences' : `#/cadences?id=${id}`;
  };

  if (open !== null) return <Editor key={open} id={open} me={me} onOpen={go} />;
  return (
    <section aria-labelledby="cadences-heading">
      <h1 id="cadences-heading">Cadences</h1>
      <p className="lede">A cadence is the planned series of touches a prospect gets. Editing one saves a new version; prospects already in it stay on theirs. An archived cadence takes nobody new.</p>
      {me.user.role === 'manager' && <p><button type="button" onClick={() => go('new')}>New cadence</button></p>}
      {error && <p role="alert" className="error">{error}</p>}
      {!list ? <p className="loading">Loading…</p> : (
        <table>
          <caption className="visually-hidden">Cadences</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Version</th><th scope="col">Steps</th><th scope="col">Live enrollments</th><th scope="col">Ended</th></tr></thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id}>
                <th scope="row"><a href={`#/cadences?id=${c.id}`}>{c.name}</a>{c.archivedAt !== null && <span className="tag archived"> archived</span>}</th>
                <td>v{c.version}</td>
                <td>{c.steps}</td>
                <td>{c.live}</td>
                <td>{c.finished}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
