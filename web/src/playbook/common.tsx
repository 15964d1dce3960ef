// Pieces shared by the playbook page's two lists: loading with search, "used by", field errors.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { StepRef } from '@contract';
import { ApiFailure } from '../api.ts';
import type { ListQuery } from './routes.ts';

export function useEntries<T>(list: (q: ListQuery) => Promise<{ items: T[] }>, search: string, archived: boolean): { items: T[] | null; error: string | null; reload: () => void } {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const q: ListQuery = {};
    if (search.trim()) q.search = search.trim();
    if (archived) q.archived = true;
    // A short pause so typing a search does not send a request per key.
    const timer = setTimeout(() => {
      list(q).then(
        (r) => live && (setItems(r.items), setError(null)),
        (e: unknown) => live && setError(e instanceof ApiFailure ? e.message : 'cannot load the playbook'),
      );
    }, search ? 200 : 0);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [list, search, archived, tick]);
  return { items, error, reload: useCallback(() => setTick((t) => t + 1), []) };
}

export function UsedBy({ refs }: { refs: StepRef[] }) {
  if (refs.length === 0) return <p className="pb-used">Not used by any cadence step yet.</p>;
  return (
    <div className="pb-used">
      Used by:
      <ul>
        {refs.map((r) => (
          <li key={`${r.cadenceId}-${r.step}`}>
            <a href={`#/cadences?id=${r.cadenceId}`}>{r.cadence} v{r.version}</a>, step {r.step} ({r.stepName}){r.via === 'tag' ? ', through a tag' : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The API's error for the form: shown next to the field it names, or above the form. */
export interface FormError {
  field: string | null;
  message: string;
}

export function toFormError(e: unknown, offline = 'not saved: cannot reach the server'): FormError {
  if (e instanceof ApiFailure) return { field: e.error.field, message: e.message };
  return { field: null, message: offline };
}

/** A form's submit: busy while `run` goes, the last error cleared, and a failure shown as the form's error. */
export function useSubmit(run: () => Promise<void>, offline?: string): { busy: boolean; error: FormError | null; submit: (e?: FormEvent) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await run();
    } catch (err) {
      setError(toFormError(err, offline));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

/** The message for one field (an error on "tags[1]" belongs to "tags"), with its element id for aria-describedby. */
export function fieldError(err: FormError | null, field: string, idPrefix: string): { id: string; message: string } | null {
  if (!err?.field) return null;
  const f = err.field.replace(/\.(\d+)/g, '[$1]');
  if (f !== field && !f.startsWith(`${field}[`) && !f.startsWith(`${field}.`)) return null;
  return { id: `${idPrefix}-${field}-error`, message: withoutField(err) };
}

/** Next to its field, "answer: answer must not be empty" reads better without the field name in front. */
export function withoutField(err: FormError): string {
  return err.field && err.message.startsWith(`${err.field}: `) ? err.message.slice(err.field.length + 2) : err.message;
}

export function ErrorText({ error }: { error: { id: string; message: string } | null }) {
  return error ? <span id={error.id} className="field-error" role="alert">{error.message}</span> : null;
}

export const date = (ms: number) => new Date(ms).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
