// Add/edit forms for objections and value items: labelled fields, errors next to the field the
// server names, Enter in a one-line field submits, Escape cancels.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Objection, ValueItem } from '@contract';
import { VALUE_ITEM_KINDS, type ValueItemKind } from '@core/types.ts';
import { oneOf } from '../select.ts';
import { ErrorText, fieldError, toFormError, type FormError } from './common.tsx';
import { KIND_LABELS } from './QueuePanel.tsx';
import { channelDrivers, isChannel } from '@core/channels/index.ts';
import { objectionRoutes, valueItemRoutes } from './routes.ts';

function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error: { id: string; message: string } | null; children: ReactNode }) {
  return (
    <div className={`pb-field${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <span className="hint" id={`${id}-hint`}>{hint}</span>}
      <ErrorText error={error} />
    </div>
  );
}

/** Props that tie an input to its hint and error for screen readers. */
const described = (id: string, hint: boolean, error: { id: string } | null) => ({
  id,
  'aria-invalid': error ? true : undefined,
  'aria-describedby': [hint ? `${id}-hint` : '', error?.id ?? ''].filter(Boolean).join(' ') || undefined,
});

interface FormProps<T> {
  entry?: T;
  onSaved: (saved: T) => void;
  onCancel: () => void;
}

/** `save`: the add or the change of the entry, as the form's fields are now. */
function useSubmit<T>(onSaved: (t: T) => void) {
  const [error, setError] = useState<FormError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (save: () => Promise<T>) => {
    setBusy(true);
    setError(null);
    try {
      onSaved(await save());
    } catch (e) {
      setError(toFormError(e));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

function FormShell({ title, error, busy, onSubmit, onCancel, children }: { title: string; error: FormError | null; busy: boolean; onSubmit: () => void; onCancel: () => void; children: ReactNode }) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, textarea, select')?.focus();
  }, []);
  return (
    <form ref={ref} className="pb-form" aria-label={title} noValidate
      onSubmit={(e) => { e.preventDefault(); onSubmit(); }}
      onKeyDown={(e) => { if (e.key === 'Escape') onCancel(); }}>
      <h3>{title}</h3>
      {error && !error.field && <p role="alert" className="error">{error.message}</p>}
      {children}
      <div className="pb-form-actions">
        <button type="submit" disabled={busy}>Save</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export function ObjectionForm({ entry, onSaved, onCancel }: FormProps<Objection>) {
  const p = entry ? `objection-${entry.id}` : 'objection-new';
  const [key, setKey] = useState('');
  const [objection, setObjection] = useState(entry?.objection ?? '');
  const [answer, setAnswer] = useState(entry?.answer ?? '');
  const [tags, setTags] = useState(entry?.tags.join(', ') ?? '');
  const [channel, setChannel] = useState(entry?.channel ?? '');
  const { error, busy, submit } = useSubmit(onSaved);
  const err = (f: string) => fieldError(error, f, p);
  const body = () => ({
    ...(!entry && key.trim() ? { key: key.trim() } : {}),
    objection, answer,
    tags: tags.split(',').map((t) => t.trim()).filter(Boolean),
    channel: isChannel(channel) ? channel : null,
  });
  return (
    <FormShell title={entry ? `Edit objection ${entry.key}` : 'Add an objection'} error={error} busy={busy} onSubmit={() => void submit(() => (entry ? objectionRoutes.change(entry.id, body()) : objectionRoutes.add(body())))} onCancel={onCancel}>
      <Field id={`${p}-objection`} label="What the prospect says" error={err('objection')}>
        <input {...described(`${p}-objection`, false, err('objection'))} value={objection} onChange={(e) => setObjection(e.target.value)} maxLength={300} />
      </Field>
      <Field id={`${p}-answer`} label="Answer" error={err('answer')}>
        <textarea {...described(`${p}-answer`, false, err('answer'))} rows={4} value={answer} onChange={(e) => setAnswer(e.target.value)} />
      </Field>
      <Field id={`${p}-tags`} label="Tags" hint="comma-separated, e.g. pricing, timing: steps can show every objection with a tag" error={err('tags')}>
        <input {...described(`${p}-tags`, true, err('tags'))} value={tags} onChange={(e) => setTags(e.target.value)} />
      </Field>
      <Field id={`${p}-channel`} label="Channel" error={err('channel')}>
        <select {...described(`${p}-channel`, false, err('channel'))} value={channel} onChange={(e) => setChannel(e.target.value)}>
          <option value="">any channel</option>
          {channelDrivers().map((d) => <option key={d.id} value={d.id}>{d.label}</option>)}
        </select>
      </Field>
      {!entry && (
        <Field id={`${p}-key`} label="Key (optional)" hint="how cadence steps refer to it; made from the objection when left empty, never changes" error={err('key')}>
          <input {...described(`${p}-key`, true, err('key'))} value={key} onChange={(e) => setKey(e.target.value)} />
        </Field>
      )}
    </FormShell>
  );
}

export function ValueItemForm({ entry, onSaved, onCancel }: FormProps<ValueItem>) {
  const p = entry ? `value-item-${entry.id}` : 'value-item-new';
  const [key, setKey] = useState('');
  const [kind, setKind] = useState<ValueItemKind>(entry?.kind ?? 'case_study');
  const [title, setTitle] = useState(entry?.title ?? '');
  const [summary, setSummary] = useState(entry?.summary ?? '');
  const [url, setUrl] = useState(entry?.url ?? '');
  const { error, busy, submit } = useSubmit(onSaved);
  const err = (f: string) => fieldError(error, f, p);
  const body = () => ({ ...(!entry && key.trim() ? { key: key.trim() } : {}), kind, title, summary, url: url.trim() || null });
  return (
    <FormShell title={entry ? `Edit value item ${entry.key}` : 'Add a value item'} error={error} busy={busy} onSubmit={() => void submit(() => (entry ? valueItemRoutes.change(entry.id, body()) : valueItemRoutes.add(body())))} onCancel={onCancel}>
      <Field id={`${p}-kind`} label="Kind" error={err('kind')}>
        <select {...described(`${p}-kind`, false, err('kind'))} value={kind} onChange={(e) => setKind(oneOf(VALUE_ITEM_KINDS, e.target.value) ?? 'case_study')}>
          {Object.entries(KIND_LABELS).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </Field>
      <Field id={`${p}-title`} label="Title" error={err('title')}>
        <input {...described(`${p}-title`, false, err('title'))} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
      </Field>
      <Field id={`${p}-summary`} label="Summary" hint="what the prospect gets from it, in a sentence or two" error={err('summary')}>
        <textarea {...described(`${p}-summary`, true, err('summary'))} rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} />
      </Field>
      <Field id={`${p}-url`} label="Link (optional)" error={err('url')}>
        <input {...described(`${p}-url`, false, err('url'))} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
      </Field>
      {!entry && (
        <Field id={`${p}-key`} label="Key (optional)" hint="how cadence steps refer to it; made from the title when left empty, never changes" error={err('key')}>
          <input {...described(`${p}-key`, true, err('key'))} value={key} onChange={(e) => setKey(e.target.value)} />
        </Field>
      )}
    </FormShell>
  );
}
