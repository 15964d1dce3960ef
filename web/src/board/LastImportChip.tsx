// The board's "Last import" filter: a chip that narrows the board to the prospects your latest
// import wrote (GET /api/imports/last). It refreshes when an import finishes (IMPORTED_EVENT).
import { useEffect, useState } from 'react';
import { client } from '../api.ts';

/** Dispatched on window by the import dialog when an import finished. */
export const IMPORTED_EVENT = 'tally:imported';

type Last = { id: number; file: string; prospects: number };

export function LastImportChip({ importId, onChange }: { importId: string; onChange: (importId: string) => void }) {
  const [last, setLast] = useState<Last | null>(null);
  useEffect(() => {
    const load = () => void client.get('/api/imports/last').then((r) => setLast(r.last), () => setLast(null));
    load();
    window.addEventListener(IMPORTED_EVENT, load);
    return () => window.removeEventListener(IMPORTED_EVENT, load);
  }, []);
  if (!last) return null;
  const on = importId === String(last.id);
  return (
    <div className="field chip">
      <button type="button" className={`chip${on ? ' on' : ''}`} aria-pressed={on} onClick={() => onChange(on ? '' : String(last.id))}
        title={`${last.prospects} prospects from ${last.file}`}>
        Last import <span className="count">({last.prospects})</span>
      </button>
    </div>
  );
}
