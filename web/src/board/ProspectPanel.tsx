// One prospect beside the board: who they are (with their LinkedIn profile and custom fields), the
// tally, their cadences (unenroll the live one), logging a touch, adding a note, and the timeline (newest first).
// Edit and Erase open dialogs. Focus moves to its heading when it opens; Escape or Close hands it
// back to the row.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProspectView } from '@contract';
import { actionLink, channelDriver } from '@core/channels/index.ts';
import { ApiFailure, client } from '../api.ts';
import { formatTime, STATUS_LABELS } from './format.ts';
import { LogTouch } from './LogTouch.tsx';
import { AddNote } from './Notes.tsx';
import { ProspectForm } from './ProspectForm.tsx';
import { EraseDialog } from './EraseDialog.tsx';
import { Timeline } from './Timeline.tsx';
import { ZoneField } from './ZoneField.tsx';

const LIVE = new Set(['active', 'paused', 'snoozed']);

function linkedinLink(url: string | null) {
  const action = channelDriver('linkedin').actions.find((a) => a.kind === 'open_link');
  if (!action || action.kind !== 'open_link') return null;
  const link = actionLink(action, { linkedinUrl: url });
  return 'href' in link ? link : null;
}

export function ProspectPanel(props: {
  id: number;
  zone: string;
  owners: { id: number; name: string }[] | null;
  meId: number;
  onClose: () => void;
  /** Something changed (saved, logged, erased): the board reloads and says so. */
  onChanged: (message: string, gone?: boolean) => void;
  onOpenCompany: (id: number, opener: HTMLElement) => void;
}) {
  const { id, zone, onChanged } = props;
  const [view, setView] = useState<ProspectView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [timelineNote, setTimelineNote] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'edit' | 'erase' | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let stale = false;
    setError(null);
    client.get('/api/prospects/:id', { params: { id } }).then(
      (v) => !stale && setView(v),
      (e: unknown) => !stale && setError(e instanceof ApiFailure ? e.message : 'cannot load this prospect'),
    );
    return () => {
      stale = true;
    };
  }, [id, reload]);

  useEffect(() => {
    setView(null);
  }, [id]);

  useEffect(() => {
    headingRef.current?.focus();
  }, [id, view === null]);

  const changed = useCallback((message: string) => {
    setReload((n) => n + 1);
    onChanged(message);
  }, [onChanged]);

  const unenroll = async (cadence: string) => {
    try {
      await client.post('/api/prospects/:id/unenroll', { params: { id } });
      changed(`Unenrolled from ${cadence}.`);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'the server did not answer');
    }
  };

  const p = view?.prospect;
  const name = p ? [p.first_name, p.last_name].filter(Boolean).join(' ') || p.email : 'Prospect';
  const linkedin = p ? linkedinLink(p.linkedin_url) : null;
  const custom = p ? Object.entries(p.custom_fields) : [];
  return (
    <aside
      className="panel"
      aria-labelledby="panel-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && dialog === null) {
          e.stopPropagation();
          props.onClose();
        }
      }}
    >
      <div className="panel-head">
        <h2 id="panel-title" tabIndex={-1} ref={headingRef}>{view ? name : 'Loading…'}</h2>
        <button type="button" onClick={props.onClose} aria-label="Close the prospect panel">Close</button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {view && p && (
        <>
          <p className="meta">
            {p.title}
            {p.title && p.company && ' at '}
            {p.company && p.company_id !== null && (
              <button type="button" className="link company-link" onClick={(e) => props.onOpenCompany(p.company_id!, e.currentTarget)}>{p.company}</button>
            )}
            <br />
            <a href={`mailto:${p.email}`}>{p.email}</a>
            {p.phone && <> · <a href={`tel:${p.phone.replace(/[^\d+]/g, '')}`}>{p.phone}</a></>}
            {linkedin && <> · <a href={linkedin.href} target="_blank" rel="noopener noreferrer">LinkedIn profile</a></>}
            <br />
            Owner: {p.owner} · <ZoneField prospectId={p.id} timezone={p.timezone} inferred={p.timezone_inferred === 1} fallback={zone} onSaved={() => setReload((k) => k + 1)} />
          </p>
          <div className="actions">
            <button type="button" onClick={() => setDialog('edit')}>Edit</button>
            <button type="button" className="danger" onClick={() => setDialog('erase')}>Erase…</button>
          </div>
          {custom.length > 0 && (
            <dl className="custom">
              {custom.map(([k, v]) => (
                <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
              ))}
            </dl>
          )}
          <p className="tally" aria-label={`tally: ${view.tally.count} touches`}>{view.tally.line}</p>
          <h3>Cadences</h3>
          {view.enrollments.length === 0 ? <p>Not enrolled yet.</p> : (
            <ul className="enrollments">
              {view.enrollments.map((e) => (
                <li key={e.id}>
                  <strong>{e.cadence}</strong>: {STATUS_LABELS[e.status] ?? e.status}, step {e.step} of {e.steps}
                  {e.nextStep && e.dueAt !== null && <> · next: {e.nextStep}, {formatTime(e.dueAt, zone)}</>}
                  {e.reason && <span className="sub">{e.reason}</span>}
                  {LIVE.has(e.status) && <button type="button" className="link" onClick={() => void unenroll(e.cadence)}>Unenroll from {e.cadence}</button>}
                </li>
              ))}
            </ul>
          )}
          <h3>Log a touch</h3>
          <LogTouch prospectId={p.id} onLogged={changed} />
          <h3>Add note</h3>
          <AddNote prospectId={p.id} onAdded={(m) => { setTimelineNote(m); changed(m); }} />
          <h3>Timeline</h3>
          {timelineNote && <p className="status" role="status">{timelineNote}</p>}
          <Timeline entries={view.timeline} zone={zone} onChanged={(m) => { setTimelineNote(m); changed(m); }} />
          {dialog === 'edit' && (
            <ProspectForm prospect={p} owners={props.owners} meId={props.meId} onClose={(saved) => {
              setDialog(null);
              if (saved) changed(saved.message);
              headingRef.current?.focus();
            }} />
          )}
          {dialog === 'erase' && (
            <EraseDialog view={view} onClose={(erased) => {
              setDialog(null);
              if (erased) onChanged(erased, true);
            }} />
          )}
        </>
      )}
    </aside>
  );
}
