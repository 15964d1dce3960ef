// Add one prospect by hand, or edit one: details, LinkedIn profile, time zone, owner (managers) and
// custom fields. The server checks everything; its message is shown and its field marked and focused.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ProspectView } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { Modal } from './Modal.tsx';

type FieldKey = 'email' | 'firstName' | 'lastName' | 'title' | 'company' | 'phone' | 'timezone' | 'linkedinUrl';
const FIELDS: { key: FieldKey; label: string; type?: string; hint?: string }[] = [
  { key: 'email', label: 'Email', type: 'email' },
  { key: 'firstName', label: 'First name' },
  { key: 'lastName', label: 'Last name' },
  { key: 'title', label: 'Title' },
  { key: 'company', label: 'Company' },
  { key: 'phone', label: 'Phone', type: 'tel' },
  { key: 'timezone', label: 'Time zone', hint: 'e.g. Europe/Paris; empty: the workspace\'s' },
  { key: 'linkedinUrl', label: 'LinkedIn profile', type: 'url', hint: 'https://www.linkedin.com/in/…' },
];

const ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

function initial(p: ProspectView['prospect'] | null): Record<FieldKey, string> {
  return {
    email: p?.email ?? '', firstName: p?.first_name ?? '', lastName: p?.last_name ?? '', title: p?.title ?? '', company: p?.company ?? '',
    phone: p?.phone ?? '', timezone: p?.timezone ?? '', linkedinUrl: p?.linkedin_url ?? '',
  };
}

export function ProspectForm(props: {
  /** null: a new prospect. */
  prospect: ProspectView['prospect'] | null;
  /** Whom a manager may give the prospect to; null for a rep. */
  owners: { id: number; name: string }[] | null;
  meId: number;
  onClose: (saved: { id: number; message: string } | null) => void;
}) {
  const p = props.prospect;
  const [values, setValues] = useState(() => initial(p));
  const [owner, setOwner] = useState(String(p?.owner_id ?? props.meId));
  const [custom, setCustom] = useState<[string, string][]>(() => Object.entries(p?.custom_fields ?? {}));
  const [error, setError] = useState<{ message: string; field: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  // The field the server named gets the focus, so the person lands where the fix goes.
  useEffect(() => {
    if (!error?.field) return;
    formRef.current?.querySelector<HTMLElement>(`[name="${error.field.split('.')[0]}"]`)?.focus();
  }, [error]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    const body = {
      ...values,
      custom: Object.fromEntries(custom.filter(([k]) => k.trim() !== '')),
      ...(props.owners ? { ownerId: Number(owner) } : {}),
    };
    try {
      const name = [values.firstName, values.lastName].filter((x) => x.trim()).join(' ') || values.email;
      if (p) {
        await client.patch('/api/prospects/:id', { params: { id: p.id }, body });
        props.onClose({ id: p.id, message: `Saved ${name}.` });
      } else {
        const made = await client.post('/api/prospects', { body });
        props.onClose({ id: made.id, message: `Added ${name}.` });
      }
    } catch (err) {
      setError(err instanceof ApiFailure ? { message: err.message, field: err.error.field } : { message: 'the server did not answer', field: null });
    } finally {
      setBusy(false);
    }
  };

  const invalid = (key: string) => (error?.field?.split('.')[0] === key ? true : undefined);
  return (
    <Modal title={p ? `Edit ${[p.first_name, p.last_name].filter(Boolean).join(' ') || p.email}` : 'Add a prospect'} onClose={() => props.onClose(null)} className="prospect-form">
      <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
        {error && <p role="alert" className="error" id="prospect-form-error">Not saved: {error.message}</p>}
        <div className="form-grid">
          {FIELDS.map((f) => (
            <div className="field" key={f.key}>
              <label htmlFor={`pf-${f.key}`}>{f.label}{f.key === 'email' && ' (required)'}</label>
              <input
                id={`pf-${f.key}`}
                name={f.key}
                type={f.type ?? 'text'}
                list={f.key === 'timezone' ? 'pf-zones' : undefined}
                value={values[f.key]}
                required={f.key === 'email'}
                aria-invalid={invalid(f.key)}
                aria-describedby={invalid(f.key) ? 'prospect-form-error' : f.hint ? `pf-${f.key}-hint` : undefined}
                onChange={(e) => setValues({ ...values, [f.key]: e.target.value })}
              />
              {f.hint && <span className="sub" id={`pf-${f.key}-hint`}>{f.hint}</span>}
            </div>
          ))}
          {props.owners && (
            <div className="field">
              <label htmlFor="pf-owner">Owner</label>
              <select id="pf-owner" name="ownerId" value={owner} aria-invalid={invalid('ownerId')} onChange={(e) => setOwner(e.target.value)}>
                {props.owners.map((o) => <option key={o.id} value={String(o.id)}>{o.name}</option>)}
              </select>
            </div>
          )}
        </div>
        <datalist id="pf-zones">{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
        <fieldset className="custom-fields">
          <legend>Custom fields</legend>
          {custom.length === 0 && <p className="sub">None yet.</p>}
          {custom.map(([k, v], i) => (
            <div className="custom-row" key={i}>
              <input aria-label={`Custom field ${i + 1} name`} name="custom" value={k} placeholder="Name" onChange={(e) => setCustom(custom.map((c, j) => (j === i ? [e.target.value, c[1]] : c)))} />
              <input aria-label={`${k || `Custom field ${i + 1}`} value`} value={v} placeholder="Value" onChange={(e) => setCustom(custom.map((c, j) => (j === i ? [c[0], e.target.value] : c)))} />
              <button type="button" className="link" onClick={() => setCustom(custom.filter((_, j) => j !== i))}>Remove {k || `field ${i + 1}`}</button>
            </div>
          ))}
          <button type="button" onClick={() => setCustom([...custom, ['', '']])}>Add a custom field</button>
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>{p ? 'Save changes' : 'Add prospect'}</button>
          <button type="button" onClick={() => props.onClose(null)}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
