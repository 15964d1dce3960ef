// The team page's lists and buttons: a list loaded from the API, and a button's request with its
// outcome in a status line that takes the focus (the row's buttons may be gone once the list reloads).
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiFailure } from '../api.ts';

export function useAction(onDone: () => void) {
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const statusRef = useRef<HTMLParagraphElement>(null);
  const run = async (work: () => Promise<string>) => {
    setBusy(true);
    try {
      setStatus(await work());
      onDone();
    } catch (e) {
      setStatus(`Not done: ${e instanceof ApiFailure ? e.message : 'cannot reach the server'}`);
    } finally {
      setBusy(false);
      statusRef.current?.focus();
    }
  };
  return { status, busy, statusRef, run };
}

/** The `items` a GET answers (`load`: a call of the client, defined once outside the component), loaded on mount and again by `reload`; `what` names them in the error. */
export function useItems<T>(load: () => Promise<{ items: T[] }>, what: string): { items: T[] | null; error: string | null; reload: () => void } {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    load().then(
      (r) => { setItems(r.items); setError(null); },
      (e: unknown) => setError(e instanceof ApiFailure ? e.message : `cannot load ${what}`),
    );
  }, [load, what]);
  useEffect(reload, [reload]);
  return { items, error, reload };
}
