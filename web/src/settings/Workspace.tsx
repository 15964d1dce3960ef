// The workspace's settings (managers): its time zone, workdays and holidays, the sending window of
// each channel (the channel registry's, with its default), and the guardrails exactly as their
// registry describes them: what each keeps from happening, its settings, their units and bounds.
import { useEffect, useState } from 'react';
import type { GuardrailView, RequestFor, WorkspaceSettingsView } from '@contract';
import { client } from '../api.ts';
import { ErrorText, fieldError, useSubmit, type FormError } from '../playbook/common.tsx';
import { isKnownZone, ZoneField } from './ZoneField.tsx';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
type Body = NonNullable<RequestFor<'PUT /api/settings/workspace'>['body']>;
type Window = { start: string; end: string } | null;

export function Workspace() {
  const [view, setView] = useState<WorkspaceSettingsView | null>(null);
  const [saved, setSaved] = useState('');
  useEffect(() => void client.get('/api/settings/workspace').then(setView), []);
  if (!view) return <p className="loading">Loading the workspace settings…</p>;
  // The form starts again from what the server saved (a new key), and says so.
  const onSaved = (v: WorkspaceSettingsView) => {
    setView(v);
    setSaved('Workspace settings saved: the next scheduler tick plans with them.');
  };
  return <WorkspaceForm key={JSON.stringify(view)} view={view} saved={saved} onSaved={onSaved} onEdit={() => setSaved('')} />;
}

interface FormProps {
  view: WorkspaceSettingsView;
  saved: string;
  onSaved: (v: WorkspaceSettingsView) => void;
  onEdit: () => void;
}

function WorkspaceForm({ view, saved, onSaved, onEdit }: FormProps) {
  const [zone, setZone] = useState(view.timezone);
  const [workdays, setWorkdays] = useState(view.workdays);
  const [holidays, setHolidays] = useState(view.holidays);
  const [holiday, setHoliday] = useState('');
  const [windows, setWindows] = useState<Record<string, Window>>(Object.fromEntries(view.windows.map((w) => [w.channel, w.window])));
  const [guardrails, setGuardrails] = useState<Record<string, unknown>>(Object.fromEntries(view.guardrails.flatMap((g) => Object.entries(g.settings))));
  const [answers, setAnswers] = useState(view.answers);

  const { busy, error, submit } = useSubmit(async () => {
    onEdit();
    if (!isKnownZone(zone)) return;
    const body: Body = { timezone: zone, workdays, holidays, windows, guardrails, answers };
    onSaved(await client.put('/api/settings/workspace', { body }));
  });
  const zoneErr = !isKnownZone(zone) ? { id: 'ws-timezone-error', message: `"${zone}" is not a time zone of the list` } : fieldError(error, 'timezone', 'ws');
  const toggleDay = (d: number) => setWorkdays((days) => (days.includes(d) ? days.filter((x) => x !== d) : [...days, d].sort()));
  const addHoliday = () => {
    if (holiday && !holidays.includes(holiday)) setHolidays([...holidays, holiday].sort());
    setHoliday('');
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="ws-title" className="settings-page">
      <h1 id="ws-title">Workspace settings</h1>
      <p className="lede">For everyone in the workspace. Guardrails are checked for every touch a rep is asked to make and every email Tally sends.</p>
      <div className="settings-grid">
        <section className="card" aria-labelledby="ws-calendar-title">
          <h2 id="ws-calendar-title">Calendar</h2>
          <div className="settings-form">
            <ZoneField id="ws-timezone" label="Workspace time zone" value={zone} onChange={setZone} describedBy={zoneErr?.id ?? 'ws-timezone-hint'} invalid={zoneErr !== null} />
            <span id="ws-timezone-hint" className="hint">For prospects and reps without a zone of their own.</span>
            <ErrorText error={zoneErr} />
          </div>
          <fieldset className="days">
            <legend>Workdays</legend>
            {DAYS.map((d, i) => (
              <label key={d} className="inline"><input type="checkbox" checked={workdays.includes(i + 1)} onChange={() => toggleDay(i + 1)} /> {d}</label>
            ))}
            <ErrorText error={fieldError(error, 'workdays', 'ws')} />
          </fieldset>
          <fieldset>
            <legend>Holidays (no touch on these days)</legend>
            {holidays.length === 0 ? <p className="meta">No holidays.</p> : (
              <ul className="holidays">
                {holidays.map((h) => (
                  <li key={h}>{new Date(`${h}T12:00:00`).toLocaleDateString(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' })} <button type="button" className="link" aria-label={`Remove the holiday ${h}`} onClick={() => setHolidays(holidays.filter((x) => x !== h))}>Remove</button></li>
                ))}
              </ul>
            )}
            <label htmlFor="ws-holiday">Add a holiday</label>{' '}
            <input id="ws-holiday" type="date" value={holiday} onChange={(e) => setHoliday(e.target.value)} />{' '}
            <button type="button" onClick={addHoliday} disabled={!holiday}>Add holiday</button>
            <ErrorText error={fieldError(error, 'holidays', 'ws')} />
          </fieldset>
        </section>
        <section className="card" aria-labelledby="ws-windows-title">
          <h2 id="ws-windows-title">Sending windows</h2>
          <p className="hint">The hours of each channel in the prospect’s local time; a touch outside them waits for the next window.</p>
          <table className="windows">
            <thead><tr><th scope="col">Channel</th><th scope="col">From</th><th scope="col">Until</th><th scope="col"><span className="visually-hidden">Default</span></th></tr></thead>
            <tbody>
              {view.windows.map((w) => {
                const current = windows[w.channel] ?? w.defaultWindow;
                const set = (part: 'start' | 'end', value: string) => setWindows({ ...windows, [w.channel]: { start: current?.start ?? '09:00', end: current?.end ?? '17:00', [part]: value } });
                const err = fieldError(error, `windows.${w.channel}`, 'ws');
                return (
                  <tr key={w.channel}>
                    <th scope="row">{w.label}</th>
                    <td><input type="time" aria-label={`${w.label}: from`} value={current?.start ?? ''} onChange={(e) => set('start', e.target.value)} /></td>
                    <td><input type="time" aria-label={`${w.label}: until`} value={current?.end ?? ''} onChange={(e) => set('end', e.target.value)} aria-describedby={err?.id} /><ErrorText error={err} /></td>
                    <td>{windows[w.channel] ? <button type="button" className="link" onClick={() => setWindows({ ...windows, [w.channel]: null })}>Default{w.defaultWindow ? ` (${w.defaultWindow.start}–${w.defaultWindow.end})` : ''}</button> : <span className="meta">default</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <Answers values={answers} onChange={setAnswers} error={error} />
        <section className="card wide-card" aria-labelledby="ws-guardrails-title">
          <h2 id="ws-guardrails-title">Guardrails</h2>
          <ul className="guardrails">
            {view.guardrails.map((g) => <Guardrail key={g.id} rule={g} values={guardrails} onChange={(k, v) => setGuardrails({ ...guardrails, [k]: v })} error={error} />)}
          </ul>
        </section>
      </div>
      {error && !error.field && <p role="alert" className="error">{error.message}</p>}
      {error?.field && <p role="alert" className="error">Not saved: {error.message}</p>}
      <p role="status" aria-live="polite" className="status">{saved}</p>
      <button type="submit" className="primary" disabled={busy}>Save workspace settings</button>
    </form>
  );
}

type AnswersView = WorkspaceSettingsView['answers'];

/** What Tally does with the answers mail brings in: the company-wide stop, out-of-office and sender-side pauses. */
function Answers({ values, onChange, error }: { values: AnswersView; onChange: (v: AnswersView) => void; error: FormError | null }) {
  const number = (key: Exclude<keyof AnswersView, 'companyWideStop'>, label: string, unit: string, hint: string) => {
    const err = fieldError(error, `inbound.${key}`, 'ws');
    return (
      <div className="settings-form">
        <label htmlFor={`ws-${key}`}>{label}</label>
        <span><input id={`ws-${key}`} type="number" min={1} className="short" value={values[key]} onChange={(e) => onChange({ ...values, [key]: Number(e.target.value) })} aria-describedby={err?.id ?? `ws-${key}-hint`} aria-invalid={err !== null} /> {unit}</span>
        <span id={`ws-${key}-hint`} className="hint">{hint}</span>
        <ErrorText error={err} />
      </div>
    );
  };
  return (
    <section className="card" aria-labelledby="ws-answers-title">
      <h2 id="ws-answers-title">Answers</h2>
      <label className="inline">
        <input type="checkbox" checked={values.companyWideStop} onChange={(e) => onChange({ ...values, companyWideStop: e.target.checked })} /> Company-wide stop
      </label>
      <p className="hint">When one person at a company replies or books a meeting, pause the cadences of everyone else there and tell their owners.</p>
      {number('autoReplyDefaultBusinessDays', 'Out of office with no return date', 'business days', 'The prospect is snoozed this long, then the cadence resumes with the delay it had left.')}
      {number('senderFailuresToPause', "Pause a mailbox's sending after", 'sender-side bounces', 'Bounces that blame the sender (blocked, spam, SPF/DKIM) within the window below.')}
      {number('senderFailureWindowHours', 'Within', 'hours', 'The window those bounces are counted in.')}
    </section>
  );
}

/** "opted_out" → "Opted out": the rule's id in words, for a rule with no setting to label it. */
const titleOf = (id: string) => id.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());

function Guardrail({ rule, values, onChange, error }: { rule: GuardrailView; values: Record<string, unknown>; onChange: (key: string, value: unknown) => void; error: FormError | null }) {
  return (
    <li className="guardrail">
      <h3>{rule.fields[0]?.label ?? titleOf(rule.id)}{rule.permanent ? <span className="meta"> · always on</span> : null}</h3>
      <p>{rule.explanation}</p>
      {rule.fields.map((f) => {
        const id = `guardrail-${f.key}`;
        const err = fieldError(error, `guardrails.${f.key}`, 'ws');
        const value = values[f.key];
        if (f.kind === 'count') {
          return (
            <p key={f.key} className="guardrail-field">
              <label htmlFor={id} className="visually-hidden">{f.label}</label>
              <input id={id} type="number" min={f.min ?? undefined} max={f.max ?? undefined} value={typeof value === 'number' ? value : ''} onChange={(e) => onChange(f.key, e.target.value === '' ? null : Number(e.target.value))} aria-invalid={err ? true : undefined} aria-describedby={err?.id ?? `${id}-unit`} />
              {' '}<span id={`${id}-unit`}>{f.unitLabel}{f.min !== null && f.max !== null ? <span className="hint">{f.min}–{f.max}; default {String(f.default)}</span> : null}</span>
              <ErrorText error={err} />
            </p>
          );
        }
        const range = (value ?? null) as { start: string; end: string } | null;
        const fallback = (f.default ?? { start: '20:00', end: '08:00' }) as { start: string; end: string };
        return (
          <p key={f.key} className="guardrail-field">
            {f.nullable && <label className="inline"><input type="checkbox" checked={range !== null} onChange={(e) => onChange(f.key, e.target.checked ? fallback : null)} /> On</label>}
            {range && (
              <>
                <label htmlFor={`${id}-start`}>From</label> <input id={`${id}-start`} type="time" value={range.start} onChange={(e) => onChange(f.key, { ...range, start: e.target.value })} />{' '}
                <label htmlFor={`${id}-end`}>until</label> <input id={`${id}-end`} type="time" value={range.end} onChange={(e) => onChange(f.key, { ...range, end: e.target.value })} aria-describedby={err?.id} />
              </>
            )}
            <ErrorText error={err} />
          </p>
        );
      })}
      {rule.summary && <p className="meta">Now: {rule.summary}.</p>}
    </li>
  );
}
