// A cadence's life beyond its versions (managers): clone it, archive it (nobody new is enrolled;
// live enrollments finish) or bring it back, and delete it while nobody was ever enrolled in it;
// when someone was, the refusal explains and offers to archive instead.
import { useState } from 'react';
import type { CadenceFull } from '@contract';
import { ApiFailure, client } from '../api.ts';

export function Lifecycle({ cadence, onChanged, onOpen }: { cadence: CadenceFull; onChanged: (message: string) => void; onOpen: (id: number | null) => void }) {
  const [cloneName, setCloneName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [offerArchive, setOfferArchive] = useState(false);
  const ref = { ref: String(cadence.id) };
  const archived = cadence.archivedAt !== null;

  const run = async (act: () => Promise<void>) => {
    setError(null);
    setOfferArchive(false);
    try {
      await act();
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'cannot reach the server');
      if (e instanceof ApiFailure && e.status === 409 && !archived) setOfferArchive(true);
    }
  };
  const clone = () => run(async () => {
    const r = await client.post('/api/cadences/:ref/clone', { params: ref, body: cloneName.trim() ? { name: cloneName.trim() } : {} });
    onOpen(r.cadence.id);
  });
  const setArchived = (to: boolean) => run(async () => {
    const r = await client.post(to ? '/api/cadences/:ref/archive' : '/api/cadences/:ref/unarchive', { params: ref });
    onChanged(to ? `Archived "${r.name}": nobody new can be enrolled; ${r.live} live enrollment${r.live === 1 ? '' : 's'} will finish.` : `"${r.name}" takes enrollments again.`);
  });
  const remove = () => run(async () => {
    if (!window.confirm(`Delete the cadence "${cadence.name}" and all its versions?`)) return;
    await client.delete('/api/cadences/:ref', { params: ref });
    onOpen(null);
  });

  return (
    <section className="lifecycle" aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">Cadence</h2>
      <div className="f">
        <label htmlFor="clone-name">Name of the copy</label>
        <input id="clone-name" value={cloneName} placeholder={`${cadence.name} (copy)`} onChange={(e) => setCloneName(e.target.value)} />
      </div>
      <p className="lifecycle-actions">
        <button type="button" onClick={() => void clone()}>Clone</button>
        {archived
          ? <button type="button" onClick={() => void setArchived(false)}>Unarchive</button>
          : <button type="button" onClick={() => void setArchived(true)}>Archive</button>}
        <button type="button" className="danger" onClick={() => void remove()}>Delete</button>
      </p>
      {error && (
        <div role="alert" className="error">
          <p>{error}</p>
          {offerArchive && <button type="button" onClick={() => void setArchived(true)}>Archive it instead</button>}
        </div>
      )}
    </section>
  );
}
