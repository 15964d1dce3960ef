// Bulk moves on the selected prospects (or on every prospect the filters match): enroll in a
// cadence, pause, resume. Before an enroll the server says who it would leave out (answered lately,
// opted out, bounced, already in a cadence) and the rep may include the ones who answered; a move on
// "all matching" asks first with its count. Each answers with a summary per outcome and can be
// undone for 10 seconds.
import { useEffect, useState } from 'react';
import type { BoardFilterQuery, CadenceListing, ResponseFor } from '@contract';
import type { IncludableReason } from '@core/enroll-safety.ts';
import { ApiFailure, client } from '../api.ts';
import { countReasons, summarise } from './format.ts';
import { Modal } from './Modal.tsx';

export interface Selection {
  ids: Set<number>;
  /** Every prospect the current filters match, on every page. */
  allMatching: boolean;
}

type Check = ResponseFor<'POST /api/enrollments/check'>;
type Pending =
  | { kind: 'enroll'; check: Check; include: IncludableReason[] }
  | { kind: 'pause' | 'resume' };
interface Undo {
  id: number;
  until: number;
  what: string;
}

/** The server keeps a bulk change undoable for 10 s from its own clock: offered for as long here. */
const UNDO_MS = 10_000;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "15 will be enrolled; 6 who replied in the last 30 days and 1 opted out are left out." */
export function enrollSentence(c: Check): string {
  const out = c.leftOut.map((g) => `${g.count} ${g.words}`);
  const left = out.length === 0 ? '' : `; ${out.length === 1 ? out[0] : `${out.slice(0, -1).join(', ')} and ${out[out.length - 1]}`} ${c.leftOut.reduce((n, g) => n + g.count, 0) === 1 ? 'is' : 'are'} left out`;
  return `${c.enroll} will be enrolled${left}.`;
}

export function BulkBar(props: {
  selection: Selection;
  onSelection: (s: Selection) => void;
  pageIds: number[];
  total: number;
  /** The board's filter, sent as is when all matching prospects are selected. */
  filter: BoardFilterQuery;
  cadences: CadenceListing[];
  onDone: (summary: string) => void;
  onError: (message: string) => void;
}) {
  const { selection, total } = props;
  const [cadence, setCadence] = useState('');
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);
  const [undo, setUndo] = useState<Undo | null>(null);
  const count = selection.allMatching ? total : selection.ids.size;
  const wholePage = props.pageIds.length > 0 && props.pageIds.every((id) => selection.ids.has(id));
  const cadenceName = props.cadences.find((c) => String(c.id) === cadence)?.name ?? '';

  const target = () => (selection.allMatching ? { board: props.filter } : { prospectIds: [...selection.ids] });

  // The undo offer goes when its window closes.
  useEffect(() => {
    if (!undo) return;
    const t = setTimeout(() => setUndo(null), Math.max(0, undo.until - Date.now()));
    return () => clearTimeout(t);
  }, [undo]);

  const attempt = async <T,>(what: string, call: () => Promise<T>): Promise<T | null> => {
    if (busy) return null;
    setBusy(true);
    try {
      return await call();
    } catch (e) {
      props.onError(`${what} failed: ${e instanceof ApiFailure ? e.message : 'the server did not answer'}`);
      return null;
    } finally {
      setBusy(false);
    }
  };
  const run = async (what: string, call: () => Promise<string>) => {
    const summary = await attempt(what, call);
    if (summary !== null) props.onDone(summary);
  };

  // Says who the enroll would leave out before anything changes (again when an "include" is ticked).
  // The box shows the rep's tick at once (the sentence follows when the server has counted).
  const check = (include: IncludableReason[]) => attempt('Checking the enroll', async () => {
    setPending((p) => (p?.kind === 'enroll' ? { ...p, include } : p));
    const c = await client.post('/api/enrollments/check', { body: { ...target(), include } });
    setPending({ kind: 'enroll', check: c, include });
  });

  const enroll = (include: IncludableReason[]) => run('Enroll', async () => {
    setPending(null);
    const r = await client.post('/api/enrollments', { body: { cadence: Number(cadence), include, ...target() } });
    const summary = `${r.cadence}: ${summarise(countReasons(r.enrolled.length, 'enrolled', r.skipped))}.`;
    setUndo({ id: r.bulkChangeId, until: Date.now() + UNDO_MS, what: `enrolling ${plural(r.enrolled.length, 'prospect')}` });
    return summary;
  });

  const change = (action: 'pause' | 'resume') => run(action === 'pause' ? 'Pause' : 'Resume', async () => {
    setPending(null);
    const body = target();
    const r = await (action === 'pause' ? client.post('/api/enrollments/pause', { body }) : client.post('/api/enrollments/resume', { body }));
    setUndo({ id: r.bulkChangeId, until: Date.now() + UNDO_MS, what: `${action === 'pause' ? 'pausing' : 'resuming'} ${plural(r.changed.length, 'cadence')}` });
    return `${summarise(countReasons(r.changed.length, action === 'pause' ? 'paused' : 'resumed', r.skipped))}.`;
  });

  const askChange = (action: 'pause' | 'resume') => {
    if (count === 0) return;
    if (selection.allMatching) setPending({ kind: action });
    else void change(action);
  };

  const undoLast = () => run('Undo', async () => {
    if (!undo) return '';
    const r = await client.post('/api/bulk-changes/:id/undo', { params: { id: undo.id } });
    setUndo(null);
    return `Undone: ${undo.what} (${r.undone} put back${r.kept ? `; ${r.kept} changed since were kept` : ''}).`;
  });

  return (
    <div className="bulk" role="group" aria-label="Bulk actions">
      <p className="picked-count" aria-live="polite">
        {count === 0 ? 'No prospects selected.' : `${count} selected${selection.allMatching ? ' (all matching)' : ''}.`}
        {wholePage && !selection.allMatching && total > props.pageIds.length && (
          <button type="button" className="link" onClick={() => props.onSelection({ ids: new Set(), allMatching: true })}>
            Select all {total} matching
          </button>
        )}
        {count > 0 && (
          <button type="button" className="link" onClick={() => props.onSelection({ ids: new Set(), allMatching: false })}>
            Clear selection
          </button>
        )}
      </p>
      <form className="bulk-enroll" onSubmit={(e) => { e.preventDefault(); if (count > 0) void check([]); }}>
        <label htmlFor="bulk-cadence">Enroll in</label>
        <select id="bulk-cadence" value={cadence} onChange={(e) => setCadence(e.target.value)} required>
          <option value="">Choose a cadence…</option>
          {props.cadences.map((c) => <option key={c.id} value={String(c.id)}>{c.name}</option>)}
        </select>
        <button type="submit" disabled={busy || count === 0 || cadence === ''}>Enroll selected</button>
      </form>
      <button type="button" disabled={busy || count === 0} onClick={() => askChange('pause')}>Pause selected</button>
      <button type="button" disabled={busy || count === 0} onClick={() => askChange('resume')}>Resume selected</button>
      {undo && (
        <p className="undo" role="status">
          <button type="button" onClick={() => void undoLast()} disabled={busy}>Undo {undo.what}</button>
        </p>
      )}
      {pending?.kind === 'enroll' && (
        <Modal title={`Enroll in ${cadenceName}?`} onClose={() => setPending(null)} className="confirm">
          <p className="check-sentence">{enrollSentence(pending.check)}</p>
          {[...pending.check.leftOut.filter((g) => g.includable), ...pending.check.included].map((g) => {
            const reason = g.reason as IncludableReason;
            const on = pending.include.includes(reason);
            return (
              <div className="field check" key={g.reason}>
                <input id={`include-${g.reason}`} type="checkbox" checked={on} disabled={busy}
                  onChange={() => void check(on ? pending.include.filter((r) => r !== reason) : [...pending.include, reason])} />
                <label htmlFor={`include-${g.reason}`}>Include the {g.count} {g.words} anyway</label>
              </div>
            );
          })}
          <div className="actions">
            <button type="button" className="primary" disabled={busy || pending.check.enroll === 0} onClick={() => void enroll(pending.include)}>
              Enroll {plural(pending.check.enroll, 'prospect')}
            </button>
            <button type="button" onClick={() => setPending(null)}>Cancel</button>
          </div>
        </Modal>
      )}
      {(pending?.kind === 'pause' || pending?.kind === 'resume') && (
        <Modal title={`${pending.kind === 'pause' ? 'Pause' : 'Resume'} all ${total} matching?`} onClose={() => setPending(null)} className="confirm">
          <p>This {pending.kind === 'pause' ? 'pauses' : 'resumes'} the cadences of every one of the {total} prospects the filters match, on every page. You can undo it for 10 seconds.</p>
          <div className="actions">
            <button type="button" className="primary" disabled={busy} onClick={() => void change(pending.kind as 'pause' | 'resume')}>
              {pending.kind === 'pause' ? 'Pause' : 'Resume'} {total}
            </button>
            <button type="button" onClick={() => setPending(null)}>Cancel</button>
          </div>
        </Modal>
      )}
    </div>
  );
}
