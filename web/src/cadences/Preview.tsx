// The dates the cadence being edited would produce for a sample prospect: the draft goes to the
// preview endpoint (nothing is saved) a moment after each change.
import { useEffect, useState } from 'react';
import type { CadenceFile, CadencePreview } from '@contract';
import { ApiFailure, client } from '../api.ts';

const ZONES = ['America/Los_Angeles', 'America/Denver', 'America/Chicago', 'America/New_York', 'America/Sao_Paulo', 'Europe/London', 'Europe/Paris', 'Europe/Berlin', 'Asia/Dubai', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland'];

const today = () => new Date().toISOString().slice(0, 10);

export function PreviewPanel({ file, workspaceZone }: { file: CadenceFile; workspaceZone: string }) {
  const [zone, setZone] = useState(workspaceZone);
  const [start, setStart] = useState(today);
  const [preview, setPreview] = useState<CadencePreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const request = { definition: file, timezone: zone, start: `${start}T09:00` };
  // Sent again only when what it says changes, not on every render.
  const key = JSON.stringify(request);

  useEffect(() => {
    let live = true;
    setBusy(true);
    // Debounced: typing in a template should not send a request per key.
    const timer = setTimeout(() => {
      client.post('/api/cadences/preview', { body: request })
        .then((p) => live && (setPreview(p), setError(null)))
        .catch((e: unknown) => live && setError(e instanceof ApiFailure ? e.message : 'cannot reach the server'))
        .finally(() => live && setBusy(false));
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);

  const fmt = (ms: number) => new Date(ms).toLocaleString(undefined, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  const zones = ZONES.includes(workspaceZone) ? ZONES : [workspaceZone, ...ZONES];
  return (
    <section className="preview" aria-labelledby="preview-heading" aria-busy={busy}>
      <h2 id="preview-heading">Preview the dates</h2>
      <p className="hint">A sample prospect enrolled at 09:00 who never answers, under the workspace’s windows, weekends and holidays.</p>
      <div className="preview-controls">
        <label htmlFor="preview-zone">Prospect’s time zone</label>
        <select id="preview-zone" value={zone} onChange={(e) => setZone(e.target.value)}>
          {zones.map((z) => <option key={z} value={z}>{z}</option>)}
        </select>
        <label htmlFor="preview-start">Enrolled on</label>
        <input id="preview-start" type="date" value={start} required onChange={(e) => e.target.value && setStart(e.target.value)} />
      </div>
      {error ? <p role="alert" className="error">Cannot preview this draft: {error}</p> : preview && (
        <table aria-label="Preview dates" aria-live="polite">
          <thead><tr><th>Step</th><th>Touch</th><th>Due ({zone})</th><th>Day</th></tr></thead>
          <tbody>
            {preview.steps.map((s) => (
              <tr key={s.step}>
                <td>{s.step}</td>
                <td>{s.name} <span className="channel">[{s.channel}]</span></td>
                <td><time dateTime={new Date(s.dueAt).toISOString()}>{fmt(s.dueAt)}</time></td>
                <td>{s.dayOffset}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
