// The cadence being edited, drafted by the server for a sample prospect: each email step exactly as
// it would go out, with the flags on its prospect-facing fields. Fetched a moment after each change.
import { useEffect, useState } from 'react';
import type { CadenceFile, CadenceMessages } from '@contract';
import { client } from '../api.ts';

export function useMessages(file: CadenceFile | null): CadenceMessages | null {
  const [preview, setPreview] = useState<CadenceMessages | null>(null);
  // Sent again only when what it says changes, not on every render.
  const key = file ? JSON.stringify(file) : null;
  useEffect(() => {
    if (!file) return;
    let live = true;
    // Debounced like the dates preview; a draft the server refuses keeps the last good drafts.
    const timer = setTimeout(() => {
      client.post('/api/cadences/messages', { body: { definition: file } }).then((p) => live && setPreview(p), () => undefined);
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  return preview;
}
