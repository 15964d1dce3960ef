// Import a CSV in the browser: pick or drop a file, check how each column maps to Tally's fields,
// see the first rows and the rejected ones (the server's dry run), then import with a progress bar
// and a report of what went in and what did not, downloadable as CSV.
import { useEffect, useRef, useState } from 'react';
import type { ImportJobView, ImportPreview, ImportReport } from '@contract';
import { ENCODINGS, type Encoding, type ProspectField } from '@core/import-format.ts';
import { ApiFailure, client } from '../api.ts';
import { oneOf } from '../select.ts';
import { EnrollImported } from './EnrollImported.tsx';
import { IMPORTED_EVENT } from './LastImportChip.tsx';

// In the order people look for them (Excel's first after UTF-8).
const ENCODING_CHOICES: { value: Encoding; label: string }[] = [
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'windows-1252', label: 'Windows-1252 (Excel)' },
  { value: 'latin1', label: 'Latin-1' },
  { value: 'utf-16le', label: 'UTF-16 LE' },
  { value: 'utf-16be', label: 'UTF-16 BE' },
];

const FIELD_LABELS: Record<string, string> = {
  email: 'Email', first_name: 'First name', last_name: 'Last name', name: 'Full name', phone: 'Phone', title: 'Title', linkedin_url: 'LinkedIn profile',
  company: 'Company', timezone: 'Time zone', owner: 'Owner (name or email)', priority: 'Priority',
  country: 'Country (zone clue)', state: 'State or region (zone clue)',
} satisfies Record<ProspectField, string>;

const POLL_MS = 250;

interface Picked {
  name: string;
  bytes: ArrayBuffer;
}

function query(file: Picked, encoding: Encoding, choices: Record<string, string>) {
  return { file: file.name, encoding, map: Object.entries(choices).map(([header, target]) => `${header}=${target}`) };
}

const message = (e: unknown) => (e instanceof ApiFailure ? e.message : 'the server did not answer');

export function ImportDialog({ manager, onClose }: { manager: boolean; onClose: (summary: string | null) => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [file, setFile] = useState<Picked | null>(null);
  const [encoding, setEncoding] = useState<Encoding>('utf-8');
  const [choices, setChoices] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [job, setJob] = useState<ImportJobView | null>(null);
  const [jobError, setJobError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    const d = dialogRef.current;
    if (d && !d.open) d.showModal();
  }, []);

  // Every change of file, encoding or mapping is checked by the server's dry run.
  useEffect(() => {
    if (!file) return;
    let stale = false;
    setPreviewing(true);
    client.upload('/api/imports/preview', { query: query(file, encoding, choices), body: file.bytes })
      .then((p) => {
        if (stale) return;
        setPreview(p);
        setPreviewError(null);
      })
      .catch((e: unknown) => {
        if (stale) return;
        setPreview(null);
        setPreviewError(message(e));
      })
      .finally(() => !stale && setPreviewing(false));
    return () => {
      stale = true;
    };
  }, [file, encoding, choices]);

  // Poll the job until it ends.
  useEffect(() => {
    if (!job || (job.status !== 'running' && job.status !== 'queued')) return;
    const t = setTimeout(() => {
      client.get('/api/imports/:id', { params: { id: job.id } }).then(setJob, (e: unknown) => setJobError(message(e)));
    }, POLL_MS);
    return () => clearTimeout(t);
  }, [job]);

  const report = job?.status === 'done' ? job.report : null;
  useEffect(() => {
    if (report && !report.dryRun) window.dispatchEvent(new Event(IMPORTED_EVENT));
  }, [report]);

  const pick = async (f: File | undefined) => {
    if (!f) return;
    setChoices({});
    setPreview(null);
    setPreviewError(null);
    setFile({ name: f.name, bytes: await f.arrayBuffer() });
  };

  const start = async () => {
    if (!file) return;
    setJobError(null);
    try {
      setJob(await client.upload('/api/imports', { query: query(file, encoding, choices), body: file.bytes }));
    } catch (e) {
      setJobError(message(e));
    }
  };

  const close = () => {
    const r = job?.status === 'done' ? job.report : null;
    onClose(r ? `Imported ${file?.name ?? 'the file'}: ${r.inserted} new, ${r.updated} updated, ${r.rejectedCount} rejected.` : null);
  };

  const running = job?.status === 'running' || job?.status === 'queued';
  const progress = job ? Math.round((job.progress.bytes / Math.max(1, job.progress.totalBytes)) * 100) : 0;
  const canImport = !!preview && !preview.problem && !previewing && !job && (preview.counts?.new ?? 0) + (preview.counts?.updated ?? 0) > 0;

  return (
    <dialog
      ref={dialogRef}
      className="import"
      aria-labelledby="import-title"
      onCancel={(e) => {
        // Escape closes, except while the file is going in.
        if (running) e.preventDefault();
      }}
      onClose={close}
    >
      <div className="panel-head">
        <h2 id="import-title">Import prospects from CSV</h2>
        <button type="button" onClick={() => dialogRef.current?.close()} disabled={running}>Close</button>
      </div>

      {!job && (
        <div
          className={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void pick(e.dataTransfer.files[0]);
          }}
        >
          <label htmlFor="import-file">CSV file (or drop it here)</label>
          <input id="import-file" type="file" accept=".csv,text/csv,text/plain" onChange={(e) => void pick(e.target.files?.[0])} />
          <label htmlFor="import-encoding">Encoding</label>
          <select id="import-encoding" value={encoding} onChange={(e) => setEncoding(oneOf(ENCODINGS, e.target.value) ?? 'utf-8')}>
            {ENCODING_CHOICES.map((x) => <option key={x.value} value={x.value}>{x.label}</option>)}
          </select>
          <p className="hint">
            One row per prospect with an email column; rows whose email is already known update that prospect.
            {manager ? ' An owner column (names or emails of the team) assigns them; an owner not on the team makes the row yours.' : ' Everyone you import is yours.'}
            {' Without a time-zone column, the zone is inferred from the country, state or phone number.'}
          </p>
        </div>
      )}

      {previewing && <p className="loading" aria-live="polite">Checking {file?.name}…</p>}
      {previewError && <p role="alert" className="error">{previewError}</p>}

      {preview && !job && (
        <>
          {preview.problem && <p role="alert" className="error">{preview.problem.message}</p>}
          <div className="mapping">
            <div>
              <h3 id="columns-title">Columns</h3>
              <table className="columns" aria-labelledby="columns-title">
                <thead><tr><th scope="col">Column in the file</th><th scope="col">Imported as</th></tr></thead>
                <tbody>
                  {preview.columns.map((c, i) => {
                    const options = [...preview.fields, `custom.${c.header}`, 'ignore'];
                    if (!options.includes(c.target)) options.push(c.target);
                    return (
                      <tr key={c.header}>
                        <th scope="row"><label htmlFor={`map-${i}`}>{c.header}</label></th>
                        <td>
                          <select id={`map-${i}`} value={c.target} onChange={(e) => setChoices({ ...choices, [c.header]: e.target.value })}>
                            {options.map((o) => (
                              <option key={o} value={o}>
                                {o === 'ignore' ? 'Ignore this column' : o.startsWith('custom.') ? `Custom field “${o.slice(7)}”` : FIELD_LABELS[o] ?? o}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <div>
              {preview.counts && (
                <p className="counts" aria-live="polite">
                  {preview.counts.rows} rows: {preview.counts.new} new, {preview.counts.updated} updated, {preview.counts.duplicates} duplicates, {preview.counts.rejected} rejected.
                </p>
              )}
              {preview.report && <Rejected report={preview.report} title="Rows that will be rejected" />}
            </div>
          </div>

          {preview.rows.length > 0 && (
            <>
              <h3 id="preview-title">First rows as they will be imported</h3>
              <div className="scroll">
                <table className="preview" aria-labelledby="preview-title">
                  <thead>
                    <tr>
                      <th scope="col">Line</th><th scope="col">Email</th><th scope="col">Name</th><th scope="col">Company</th><th scope="col">Title</th>
                      <th scope="col">Phone</th><th scope="col">Time zone</th>{manager && <th scope="col">Owner</th>}<th scope="col">Custom fields</th><th scope="col">Action</th>
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows.map((r) => (
                      <tr key={r.line}>
                        <td>{r.line}</td>
                        <th scope="row">{r.email}</th>
                        <td>{[r.first_name, r.last_name].filter(Boolean).join(' ')}</td>
                        <td>{r.company}</td>
                        <td>{r.title}</td>
                        <td>{r.phone}</td>
                        <td>{r.timezone}{r.zoneInferred && <span className="tag inferred"> inferred</span>}</td>
                        {manager && <td>{r.owner}</td>}
                        <td>{Object.entries(r.custom).map(([k, v]) => `${k}: ${v}`).join('; ')}</td>
                        <td>{r.action === 'new' ? 'New' : 'Update'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}

          <div className="actions">
            <button type="button" className="primary" disabled={!canImport} onClick={() => void start()}>
              Import {preview.counts ? preview.counts.new + preview.counts.updated : ''} prospects
            </button>
          </div>
        </>
      )}

      {job && (
        <div className="job">
          <label htmlFor="import-progress">
            {job.status === 'queued'
              ? `Waiting for other imports to finish (${job.position === 1 ? 'next in line' : `number ${job.position} in line`})…`
              : job.status === 'running' ? `Importing… ${job.progress.rows} rows read` : job.status === 'done' ? 'Import finished' : 'Import failed: nothing was written'}
          </label>
          <progress id="import-progress" max={100} value={job.status === 'done' ? 100 : progress}>{progress}%</progress>
          {job.status === 'failed' && job.error && (
            <p role="alert" className="error">{job.error.line ? `line ${job.error.line}: ` : ''}{job.error.message}</p>
          )}
          {report && (
            <>
              <p role="status" className="summary">
                {report.rows} rows: {report.inserted} new, {report.updated} updated, {report.duplicateCount} duplicates, {report.rejectedCount} rejected
                {report.companiesCreated ? ` · ${report.companiesCreated} companies created` : ''}.
              </p>
              {report.zonesInferred > 0 && <p className="hint">{report.zonesInferred} time zones inferred from country, state or phone number (shown as “inferred” on each prospect; edit any that is wrong).</p>}
              {report.unmatchedOwners.length > 0 && (
                <p className="warn" role="note">
                  Owners not on the team, imported as yours: {report.unmatchedOwners.map((o) => `${o.owner} (${o.rows} row${o.rows === 1 ? '' : 's'})`).join(', ')}.
                </p>
              )}
              <Rejected report={report} title="Error report" downloadable={!!job.problemsUrl} />
              {report.importId !== null && <EnrollImported importId={report.importId} count={report.inserted + report.updated} />}
              {job.problemsUrl && (
                <a href={job.problemsUrl} download={`${file?.name.replace(/\.csv$/i, '') ?? 'import'}-errors.csv`}>Download the error report (CSV)</a>
              )}
              <div className="actions">
                <button type="button" className="primary" onClick={() => dialogRef.current?.close()}>Done</button>
              </div>
            </>
          )}
        </div>
      )}
      {jobError && <p role="alert" className="error">{jobError}</p>}
    </dialog>
  );
}

function Rejected({ report, title, downloadable = false }: { report: ImportReport; title: string; downloadable?: boolean }) {
  if (report.rejected.length === 0 && report.duplicates.length === 0) return null;
  const rows = [
    ...report.rejected.map((r) => ({ line: r.line, field: r.field ?? '', reason: r.reason })),
    ...report.duplicates.map((d) => ({ line: d.line, field: 'email', reason: `duplicate of line ${d.firstLine}: first occurrence kept` })),
  ].sort((a, b) => a.line - b.line);
  const total = report.rejectedCount + report.duplicateCount;
  return (
    <>
      <h3 id={`rejected-${title.replace(/\W+/g, '-')}`}>{title}</h3>
      <div className="scroll short">
        <table className="rejected" aria-labelledby={`rejected-${title.replace(/\W+/g, '-')}`}>
          <thead><tr><th scope="col">Line</th><th scope="col">Field</th><th scope="col">Reason</th></tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}><th scope="row">{r.line}</th><td>{r.field}</td><td>{r.reason}</td></tr>
            ))}
          </tbody>
        </table>
      </div>
      {total > rows.length && <p className="hint">The first {rows.length} of {total}{downloadable ? '; the downloadable report has them all' : ''}.</p>}
    </>
  );
}
