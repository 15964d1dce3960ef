// One cadence open in the editor: its steps, a live preview of the dates, its versions. Managers
// edit the current version and save it as the next one; reps and old versions are read-only.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CadenceFull, Objection, Session, ValueItem } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { emptyStep, errorPlace, fromFile, toFile, type Draft, type DraftStep } from './draft.ts';
import { StepEditor } from './StepEditor.tsx';
import { PreviewPanel } from './Preview.tsx';
import { useMessages } from './useMessages.ts';
import { Versions } from './Versions.tsx';
import { withoutField } from '../playbook/common.tsx';
import { guardLeaving, mayDiscard } from './leave-guard.ts';
import { Rates } from './Rates.tsx';
import { Lifecycle } from './Lifecycle.tsx';

/** "Saved v1" for the editor a new cadence opens in once saved (it mounts afresh under its id). */
let flash: { id: number; text: string } | null = null;

const NEW_DRAFT = (): Draft => ({ name: '', description: '', nurture: '', steps: [{ ...emptyStep('email'), amount: '0' }] });

export function Editor({ id, me, onOpen }: { id: number | 'new'; me: Session; onOpen: (id: number | null) => void }) {
  const isManager = me.user.role === 'manager';
  const [cadence, setCadence] = useState<CadenceFull | null>(null);
  const [viewing, setViewing] = useState<number | null>(null);
  const [draft, setDraft] = useState<Draft | null>(id === 'new' ? NEW_DRAFT() : null);
  const [objections, setObjections] = useState<Objection[]>([]);
  const [valueItems, setValueItems] = useState<ValueItem[]>([]);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  /** What was last loaded or saved, to tell unsaved edits apart. */
  const [baseline, setBaseline] = useState<string | null>(id === 'new' ? JSON.stringify(toFile(NEW_DRAFT())) : null);
  const [saved, setSaved] = useState<string | null>(() => (flash && flash.id === id ? flash.text : null));
  const [reloadRates, setReloadRates] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async (version?: number) => {
    if (id === 'new') return;
    const c = await client.get('/api/cadences/:ref', { params: { ref: String(id) }, query: { version } });
    setCadence(c);
    setViewing(c.version);
    const d = fromFile(c.definition);
    setDraft(d);
    setBaseline(JSON.stringify(toFile(d)));
    setError(null);
  }, [id]);

  useEffect(() => {
    load().catch((e: unknown) => setError({ field: null, message: e instanceof ApiFailure ? e.message : 'cannot load the cadence' }));
    // Archived entries too: an old version may name them.
    Promise.all([
      client.get('/api/playbook/objections', { query: { archived: true } }),
      client.get('/api/playbook/value-items', { query: { archived: true } }),
    ]).then(([o, v]) => {
      setObjections(o.items);
      setValueItems(v.items);
    }, () => setStatus('The playbook could not be loaded: steps can still use free text.'));
  }, [load]);

  useEffect(() => headingRef.current?.focus(), [id]);
  useEffect(() => {
    if (flash?.id === id) flash = null;
  }, [id]);

  const file = useMemo(() => (draft ? toFile(draft) : null), [draft]);
  const messages = useMessages(file);
  const old = cadence !== null && viewing !== null && viewing !== cadence.currentVersion;
  const readOnly = !isManager || old;
  const dirty = !readOnly && file !== null && baseline !== null && JSON.stringify(file) !== baseline;
  const dirtyRef = useRef(dirty);
  dirtyRef.current = dirty;
  useEffect(() => guardLeaving(() => dirtyRef.current), []);

  if (!draft || !file) return error ? <p role="alert" className="error">{error.message}</p> : <p className="loading">Loading the cadence…</p>;

  const setStep = (i: number, patch: Partial<DraftStep>) => setDraft({ ...draft, steps: draft.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const move = (i: number, by: -1 | 1) => {
    const steps = [...draft.steps];
    const [s] = steps.splice(i, 1);
    steps.splice(i + by, 0, s!);
    setDraft({ ...draft, steps });
    setStatus(`Moved step ${i + 1} to position ${i + by + 1}.`);
    // Keep the keyboard on the moved step's button.
    setTimeout(() => document.querySelector<HTMLButtonElement>(`[aria-label="Move step ${i + by + 1} ${by < 0 ? 'up' : 'down'}"]:not(:disabled)`)?.focus(), 0);
  };
  const remove = (i: number) => {
    setDraft({ ...draft, steps: draft.steps.filter((_, j) => j !== i) });
    setStatus(`Removed step ${i + 1}.`);
  };
  const add = () => {
    setDraft({ ...draft, steps: [...draft.steps, emptyStep('call')] });
    setStatus(`Added step ${draft.steps.length + 1}.`);
    setTimeout(() => document.querySelector<HTMLElement>(`#step-list > li:last-child select`)?.focus(), 0);
  };

  const place = errorPlace(error?.field ?? null);
  const errorFor = (step: number | null) => (field: string) => (place && place.step === step && place.field === field ? withoutField(error!) : null);
  const topError = error && (!place || (place.step === null && !['name', 'description', 'nurture'].includes(place.field)) || (place.step !== null && place.step >= draft.steps.length));

  const save = async () => {
    setBusy(true);
    setError(null);
    setStatus('');
    try {
      const r = id === 'new'
        ? await client.post('/api/cadences', { body: file })
        : await client.post('/api/cadences/:ref/versions', { params: { ref: String(id) }, body: file });
      setBaseline(JSON.stringify(file));
      const text = r.change === 'unchanged' ? `No change: this is v${r.cadence.version} already` : `Saved v${r.cadence.version}`;
      setSaved(text);
      setStatus(r.change === 'unchanged' ? `No change: this is version ${r.cadence.version} already.` : `Saved version ${r.cadence.version}.`);
      if (id === 'new') {
        // Saved: moving to the cadence's own address is no leaving with unsaved edits.
        dirtyRef.current = false;
        flash = { id: r.cadence.id, text };
        onOpen(r.cadence.id);
      } else await load();
    } catch (e) {
      setError(e instanceof ApiFailure ? { field: e.error.field, message: e.message } : { field: null, message: 'not saved: cannot reach the server' });
    } finally {
      setBusy(false);
    }
  };
  const restore = async (version: number) => {
    if (!mayDiscard()) return;
    try {
      const r = await client.post('/api/cadences/:ref/restore', { params: { ref: String(id) }, body: { version } });
      setSaved(r.change === 'unchanged' ? `v${version} is the current version already` : `Restored v${version} as v${r.cadence.version}`);
      setStatus(r.change === 'unchanged' ? '' : `Restored version ${version} as version ${r.cadence.version}.`);
      setBaseline(null);
      await load();
    } catch (e) {
      setError({ field: null, message: e instanceof ApiFailure ? e.message : 'not restored: cannot reach the server' });
    }
  };
  const topField = (field: 'name' | 'description' | 'nurture') => (place?.step === null && place.field === field ? withoutField(error!) : null);

  return (
    <div className="cadence-editor">
      <p><a href="#/cadences">← All cadences</a></p>
      <h1 tabIndex={-1} ref={headingRef}>
        {id === 'new' ? 'New cadence' : cadence?.name}
        {cadence && <span className="version-badge"> v{viewing}{old ? ` (read-only; current is v${cadence.currentVersion})` : ''}</span>}
      </h1>
      {!isManager && <p className="note-box">Cadences are shared by the team: only a manager can change them.</p>}
      {cadence?.archivedAt != null && <p className="note-box archived-note">Archived: nobody new can be enrolled; prospects already in it finish.</p>}
      {saved && !dirty && <p className="saved-badge" data-testid="saved">✓ {saved}</p>}
      {dirty && <p className="unsaved-badge">Unsaved changes</p>}
      <p role="status" aria-live="polite" className="status">{status}</p>
      {topError && <p role="alert" className="error">{error.message}</p>}
      <div className="editor-layout">
        <form className="editor-main" aria-label="Cadence" onSubmit={(e) => { e.preventDefault(); if (!readOnly) void save(); }}>
          <fieldset disabled={readOnly} className="cadence-fields">
            <legend className="visually-hidden">Cadence</legend>
            <div className="f">
              <label htmlFor="cadence-name">Name</label>
              <input id="cadence-name" value={draft.name} readOnly={id !== 'new'} aria-describedby="cadence-name-hint" aria-invalid={topField('name') ? true : undefined}
                onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
              <span className="hint" id="cadence-name-hint">{id === 'new' ? 'A name no other cadence has. To change an existing cadence, open it and save a new version.' : 'The name identifies the cadence: versions share it.'}</span>
              {topField('name') && <span className="field-error" role="alert">{topField('name')}</span>}
            </div>
            <div className="f">
              <label htmlFor="cadence-description">Description</label>
              <input id="cadence-description" value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
            </div>
            <div className="f">
              <label htmlFor="cadence-nurture">Nurture cadence when it ends with no reply</label>
              <input id="cadence-nurture" value={draft.nurture} onChange={(e) => setDraft({ ...draft, nurture: e.target.value })} aria-invalid={topField('nurture') ? true : undefined} />
              {topField('nurture') && <span className="field-error" role="alert">{topField('nurture')}</span>}
            </div>
          </fieldset>
          <h2>Steps</h2>
          <ol id="step-list" className="steps">
            {draft.steps.map((s, i) => (
              <StepEditor key={s.uid} step={s} index={i} count={draft.steps.length} readOnly={readOnly} objections={objections} valueItems={valueItems}
                message={messages?.steps.find((m) => m.step === i + 1) ?? null} sampleName={messages ? `${messages.prospect.name}${messages.prospect.company ? ` at ${messages.prospect.company}` : ''}` : ''} errorFor={errorFor(i)} onChange={(patch) => setStep(i, patch)} onMove={(by) => move(i, by)} onRemove={() => remove(i)} />
            ))}
          </ol>
          {!readOnly && (
            <div className="editor-actions">
              <button type="button" onClick={add}>Add a step</button>
              <button type="submit" className="primary" disabled={busy}>
                {id === 'new' ? 'Save cadence' : `Save as v${(cadence?.currentVersion ?? 0) + 1}`}
              </button>
            </div>
          )}
        </form>
        <aside className="editor-side">
          {cadence && <Rates cadenceId={cadence.id} version={cadence.version} stepNames={cadence.definition.steps.map((s) => s.name ?? '')} reload={reloadRates} />}
          <PreviewPanel file={file} workspaceZone={me.workspace.timezone} />
          {cadence && (
            <Versions versions={cadence.versions} viewing={viewing ?? cadence.currentVersion} canRestore={isManager}
              onView={(v) => { if (mayDiscard()) void load(v === cadence.currentVersion ? undefined : v); }}
              onRestore={(v) => void restore(v)} />
          )}
          {cadence && isManager && <Lifecycle cadence={cadence} onChanged={(message) => { setStatus(message); setReloadRates((n) => n + 1); void load(); }} onOpen={onOpen} />}
        </aside>
      </div>
    </div>
  );
}
