// Bulk moves on the selected prospects (or on every prospect the filters match): enroll in a
// cadence, pause, resume. Each answers with a summary per outcome.
import { useState } from 'react';
import type { BoardFilterQuery, CadenceListing } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { countReasons, summarise } from './format.ts';

export interface Selection {
  ids: Set<number>;
  /** Every prospect the current filters match, on every page. */
  allMatching: boolean;
}

export function BulkBar(props: {
  selection: Selection;
  onSelection: (s: Selection) => void;
  pageIds: number[];
  total: number;
  /** The board's filter, sent as is when all matching prospects are selected. */
  filter: BoardFilterQuery;
  cadences: CadenceListing[];
  onDone: (summary: string) => void;
  onError: (message: string) => void;
}) {
  const { selection, total } = props;
  const [cadence, setCadence] = useState('');
  const [busy, setBusy] = useState(false);
  const count = selection.allMatching ? total : selection.ids.size;
  const wholePage = props.pageIds.length > 0 && props.pageIds.every((id) => selection.ids.has(id));

  const target = () => (selection.allMatching ? { board: props.filter } : { prospectIds: [...selection.ids] });

  const run = async (what: string, call: () => Promise<string>) => {
    if (busy || count === 0) return;
    setBusy(true);
    try {
      props.onDone(await call());
    } catch (e) {
      props.onError(`${what} failed: ${e instanceof ApiFailure ? e.message : 'the server did not answer'}`);
    } finally {
      setBusy(false);
    }
  };

  const enroll = () => run('Enroll', async () => {
    const r = await client.post('/api/enrollments', { body: { cadence: Number(cadence), ...target() } });
    return `${r.cadence}: ${summarise(countReasons(r.enrolled.length, 'enrolled', r.skipped))}.`;
  });
  const change = (action: 'pause' | 'resume') => run(action === 'pause' ? 'Pause' : 'Resume', async () => {
    const body = target();
    const r = await (action === 'pause' ? client.post('/api/enrollments/pause', { body }) : client.post('/api/enrollments/resume', { body }));
    return `${summarise(countReasons(r.changed.length, action === 'pause' ? 'paused' : 'resumed', r.skipped))}.`;
  });

  return (
    <div className="bulk" role="group" aria-label="Bulk actions">
      <p className="picked-count" aria-live="polite">
        {count === 0 ? 'No prospects selected.' : `${count} selected${selection.allMatching ? ' (all matching)' : ''}.`}
        {wholePage && !selection.allMatching && total > props.pageIds.length && (
          <button type="button" className="link" onClick={() => props.onSelection({ ids: new Set(), allMatching: true })}>
            Select all {total} matching
          </button>
        )}
        {count > 0 && (
          <button type="button" className="link" onClick={() => props.onSelection({ ids: new Set(), allMatching: false })}>
            Clear selection
          </button>
        )}
      </p>
      <form className="bulk-enroll" onSubmit={(e) => { e.preventDefault(); void enroll(); }}>
        <label htmlFor="bulk-cadence">Enroll in</label>
        <select id="bulk-cadence" value={cadence} onChange={(e) => setCadence(e.target.value)} required>
          <option value="">Choose a cadence…</option>
          {props.cadences.map((c) => <option key={c.id} value={String(c.id)}>{c.name}</option>)}
        </select>
        <button type="submit" disabled={busy || count === 0 || cadence === ''}>Enroll selected</button>
      </form>
      <button type="button" disabled={busy || count === 0} onClick={() => void change('pause')}>Pause selected</button>
      <button type="button" disabled={busy || count === 0} onClick={() => void change('resume')}>Resume selected</button>
    </div>
  );
}
