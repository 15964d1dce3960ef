// One prospect beside the board: who they are, the tally, their cadences and the timeline (newest
// first). Focus moves to its heading when it opens; Escape or Close hands it back to the row.
import { useEffect, useRef, useState } from 'react';
import type { ProspectView } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { formatTime, STATUS_LABELS } from './format.ts';

import { ZoneField } from './ZoneField.tsx';
export function ProspectPanel({ id, zone, onClose }: { id: number; zone: string; onClose: () => void }) {
  const [view, setView] = useState<ProspectView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let stale = false;
    setView(null);
    setError(null);
    client.get('/api/prospects/:id', { params: { id } }).then(
      (v) => !stale && setView(v),
      (e: unknown) => !stale && setError(e instanceof ApiFailure ? e.message : 'cannot load this prospect'),
    );
    return () => {
      stale = true;
    };
  }, [id, reloadKey]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [view, id]);

  const p = view?.prospect;
  const name = p ? [p.first_name, p.last_name].filter(Boolean).join(' ') || p.email : 'Prospect';
  return (
    <aside
      className="panel"
      aria-labelledby="panel-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="panel-head">
        <h2 id="panel-title" tabIndex={-1} ref={headingRef}>{view ? name : 'Loading…'}</h2>
        <button type="button" onClick={onClose} aria-label="Close the prospect panel">Close</button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {view && p && (
        <>
          <p className="meta">
            {[p.title, p.company].filter(Boolean).join(' at ')}
            <br />
            <a href={`mailto:${p.email}`}>{p.email}</a>
            {p.phone && <> · <a href={`tel:${p.phone.replace(/[^\d+]/g, '')}`}>{p.phone}</a></>}
            <br />
            Owner: {p.owner} · <ZoneField prospectId={p.id} timezone={p.timezone} inferred={p.timezone_inferred === 1} fallback={zone} onSaved={() => setReloadKey((k) => k + 1)} />
          </p>
          <p className="tally" aria-label={`tally: ${view.tally.count} touches`}>{view.tally.line}</p>
          <h3>Cadences</h3>
          {view.enrollments.length === 0 ? <p>Not enrolled yet.</p> : (
            <ul className="enrollments">
              {view.enrollments.map((e) => (
                <li key={e.id}>
                  <strong>{e.cadence}</strong>: {STATUS_LABELS[e.status] ?? e.status}, step {e.step} of {e.steps}
                  {e.nextStep && e.dueAt !== null && <> · next: {e.nextStep}, {formatTime(e.dueAt, zone)}</>}
                  {e.reason && <span className="sub">{e.reason}</span>}
                </li>
              ))}
            </ul>
          )}
          <h3>Timeline</h3>
          <ol className="timeline" reversed>
            {[...view.timeline].reverse().map((t, i) => (
              <li key={i}><time dateTime={new Date(t.at).toISOString()}>{formatTime(t.at, zone)}</time> {t.text}</li>
            ))}
          </ol>
        </>
      )}
    </aside>
  );
}
