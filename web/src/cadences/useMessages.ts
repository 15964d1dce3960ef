// The cadence being edited, drafted by the server for a sample prospect: each email step exactly as
// it would go out, with the flags on its prospect-facing fields. Fetched a moment after each change.
import { useEffect, useState } from 'react';
import { api, type CadenceFile, type MessagePreview } from '../api.ts';

export function useMessages(file: CadenceFile | null): MessagePreview | null {
  const [preview, setPreview] = useState<MessagePreview | null>(null);
  const body = file ? JSON.stringify({ definition: file }) : null;
  useEffect(() => {
    if (!body) return;
    let live = true;
    // Debounced like the dates preview; a draft the server refuses keeps the last good drafts.
    const timer = setTimeout(() => {
      api<MessagePreview>('POST', '/api/cadences/messages', JSON.parse(body)).then((p) => live && setPreview(p), () => undefined);
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [body]);
  return preview;
}
