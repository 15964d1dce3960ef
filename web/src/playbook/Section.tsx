// One list of the playbook (objections or value items): search, archived toggle, add/edit forms
// for managers, archive and restore, and the cadence steps that use each entry.
import { useState, type ReactNode } from 'react';
import type { Objection, ValueItem } from '@contract';
import { ApiFailure } from '../api.ts';
import { date, UsedBy, useEntries } from './common.tsx';
import type { EntryRoutes } from './routes.ts';

type Entry = Objection | ValueItem;

export interface SectionProps<T extends Entry> {
  id: string;
  heading: string;
  noun: string;
  /** The list, archive and restore (a change of `archived`) of this kind of entry. */
  routes: Pick<EntryRoutes<T, never, { archived: boolean }>, 'list' | 'archive' | 'change'>;
  canEdit: boolean;
  describe: (entry: T) => ReactNode;
  /** The entry's name for buttons: "Edit “Too expensive”". */
  label: (entry: T) => string;
  Form: (props: { entry?: T; onSaved: (t: T) => void; onCancel: () => void }) => ReactNode;
}

export function Section<T extends Entry>({ id, heading, noun, routes, canEdit, describe, label, Form }: SectionProps<T>) {
  const [search, setSearch] = useState('');
  const [archived, setArchived] = useState(false);
  const [editing, setEditing] = useState<number | 'new' | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { items, error: loadError, reload } = useEntries<T>(routes.list, search, archived);

  const saved = (t: T) => {
    setEditing(null);
    setStatus(`Saved ${noun} “${label(t)}” (${t.key}).`);
    reload();
  };
  const setArchivedFlag = async (t: T, flag: boolean) => {
    setError(null);
    try {
      await (flag ? routes.archive(t.id) : routes.change(t.id, { archived: false }));
      setStatus(`${flag ? 'Archived' : 'Restored'} ${noun} “${label(t)}”.`);
      reload();
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'cannot reach the server');
    }
  };

  return (
    <section className="pb-section" aria-labelledby={`${id}-heading`}>
      <div className="pb-section-head">
        <h2 id={`${id}-heading`}>{heading}</h2>
        {canEdit && editing !== 'new' && <button type="button" onClick={() => setEditing('new')}>Add {noun}</button>}
      </div>
      <div className="pb-filters">
        <label htmlFor={`${id}-search`}>Search {heading.toLowerCase()}</label>
        <input id={`${id}-search`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <label className="inline"><input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> Show archived</label>
      </div>
      <p role="status" aria-live="polite" className="status">{status}</p>
      {(error ?? loadError) && <p role="alert" className="error">{error ?? loadError}</p>}
      {editing === 'new' && <Form onSaved={saved} onCancel={() => setEditing(null)} />}
      {items === null ? <p className="loading">Loading…</p> : items.length === 0 ? <p>No {noun}s{search ? ` match “${search}”` : ' yet'}.</p> : (
        <ul className="pb-list">
          {items.map((t) => (
            <li key={t.id} className={t.archived ? 'archived' : undefined}>
              {editing === t.id ? <Form entry={t} onSaved={saved} onCancel={() => setEditing(null)} /> : (
                <article aria-label={label(t)}>
                  {describe(t)}
                  <p className="pb-meta">
                    <code>{t.key}</code>{t.archived ? ' · archived' : ''} · updated {date(t.updatedAt)}{t.createdBy ? ` · by ${t.createdBy}` : ''}
                  </p>
                  <UsedBy refs={t.usedBy} />
                  {canEdit && (
                    <div className="pb-actions">
                      <button type="button" onClick={() => setEditing(t.id)} aria-label={`Edit ${noun} “${label(t)}”`}>Edit</button>
                      <button type="button" onClick={() => void setArchivedFlag(t, !t.archived)} aria-label={`${t.archived ? 'Restore' : 'Archive'} ${noun} “${label(t)}”`}>
                        {t.archived ? 'Restore' : 'Archive'}
                      </button>
                    </div>
                  )}
                </article>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
