// A prospect's time zone on their panel: "inferred" when an import guessed it from the country,
// state or phone number, and editable (PUT /api/prospects/:id/timezone), after which it is theirs.
import { useState } from 'react';
import { ApiFailure, client } from '../api.ts';

const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

export function ZoneField({ prospectId, timezone, inferred, fallback, onSaved }: { prospectId: number; timezone: string | null; inferred: boolean; fallback: string; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(timezone ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setError(null);
    try {
      await client.put('/api/prospects/:id/timezone', { params: { id: prospectId }, body: { timezone: text.trim() || null } });
      setEditing(false);
      onSaved();
    } catch (e) {
      setError(e instanceof ApiFailure ? e.message : 'not saved: cannot reach the server');
    }
  };
  if (!editing) {
    return (
      <span className="zone">
        their time: {timezone ?? `${fallback} (default)`}
        {inferred && <span className="tag inferred" title="Inferred from their country, state or phone number at import"> inferred</span>}{' '}
        <button type="button" className="link" onClick={() => setEditing(true)} aria-label="Edit their time zone">Edit</button>
      </span>
    );
  }
  return (
    <span className="zone">
      <label htmlFor={`zone-${prospectId}`}>Time zone</label>{' '}
      <input id={`zone-${prospectId}`} list="zone-names" value={text} placeholder={fallback} onChange={(e) => setText(e.target.value)} />
      <datalist id="zone-names">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>{' '}
      <button type="button" onClick={() => void save()}>Save</button>{' '}
      <button type="button" className="link" onClick={() => setEditing(false)}>Cancel</button>
      {error && <span role="alert" className="field-error"> {error}</span>}
    </span>
  );
}
