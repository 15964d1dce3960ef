// One company beside the board: today's touches against the company cap, and its people with their
// stage, owner and next due; a name opens that prospect.
import { useEffect, useRef, useState } from 'react';
import type { ResponseFor } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { formatDay, formatTime, STATUS_LABELS } from './format.ts';

type View = ResponseFor<'GET /api/companies/:id'>;

export function CompanyPanel(props: { id: number; zone: string; showOwner: boolean; onOpenProspect: (id: number, opener: HTMLElement) => void; onClose: () => void }) {
  const [view, setView] = useState<View | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let stale = false;
    setView(null);
    setError(null);
    client.get('/api/companies/:id', { params: { id: props.id } }).then(
      (v) => !stale && setView(v),
      (e: unknown) => !stale && setError(e instanceof ApiFailure ? e.message : 'cannot load this company'),
    );
    return () => {
      stale = true;
    };
  }, [props.id]);

  useEffect(() => headingRef.current?.focus(), [view]);

  const cap = view?.cap;
  return (
    <aside className="panel company" aria-labelledby="company-title" onKeyDown={(e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        props.onClose();
      }
    }}>
      <div className="panel-head">
        <h2 id="company-title" tabIndex={-1} ref={headingRef}>{view ? view.company.name : 'Loading…'}</h2>
        <button type="button" onClick={props.onClose} aria-label="Close the company panel">Close</button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {view && cap && (
        <>
          <p className={`cap${cap.left === 0 ? ' full' : ''}`}>
            <strong>Today: {cap.touchesToday} of {cap.max} touches</strong> to {view.company.name} by the team
            {cap.left === 0 ? ' — the cap is reached: further touches wait until tomorrow.' : ` — ${cap.left} left.`}
            <span className="sub">{cap.explanation} (today in {cap.zone})</span>
          </p>
          <h3>People ({view.people.length}{view.others ? `, and ${view.others} of teammates` : ''})</h3>
          <table className="company-people">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Stage</th>{props.showOwner && <th scope="col">Owner</th>}<th scope="col">Next due</th><th scope="col">Last touch</th></tr>
            </thead>
            <tbody>
              {view.people.map((p) => (
                <tr key={p.id}>
                  <th scope="row">
                    <button type="button" className="link name" onClick={(e) => props.onOpenProspect(p.id, e.currentTarget)}>{p.name}</button>
                    {p.title && <span className="sub">{p.title}</span>}
                  </th>
                  <td>{STATUS_LABELS[p.stage] ?? p.stage}{p.cadence && <span className="sub">{p.cadence}</span>}{p.optedOut && <span className="sub">opted out</span>}</td>
                  {props.showOwner && <td>{p.owner.name}</td>}
                  <td>{p.dueAt === null ? '—' : formatTime(p.dueAt, props.zone)}</td>
                  <td>{p.lastTouchAt === null ? '—' : formatDay(p.lastTouchAt, props.zone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </aside>
  );
}
