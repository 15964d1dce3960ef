// Notes on a prospect's timeline (issue 18): "Add note" in the board's panel, and a note in the
// timeline with its author, time, edits, and "Edit"/"Delete" for its author or a manager. A note is
// a record, not a touch: it is not in the tally and does not move the cadence. Ctrl+Enter saves.
import { useState, type KeyboardEvent } from 'react';
import type { ProspectView } from '@contract';
import { ApiFailure, client } from '../api.ts';
import { formatTime } from './format.ts';
import { ChangeHistory, ChangeLinks, ConfirmDelete } from './EntryChanges.tsx';

type Entry = ProspectView['timeline'][number];

/** Ctrl+Enter (⌘+Enter on a Mac) saves a note being written; Escape cancels where there is something to cancel. */
function noteKeys(save: () => void, cancel?: () => void) {
  return (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape' && cancel) {
      e.stopPropagation();
      cancel();
    }
  };
}

const failure = (what: string, e: unknown) => (e instanceof ApiFailure ? `${what}: ${e.message}` : `${what}: cannot reach the server`);

export function AddNote({ prospectId, onAdded }: { prospectId: number; onAdded: (message: string) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (busy) return;
    if (!text.trim()) {
      setError('Not added: the note is empty.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await client.post('/api/prospects/:id/notes', { params: { id: prospectId }, body: { text } });
      setText('');
      onAdded('Note added to the timeline (not a touch: the tally and the cadence are as they were).');
    } catch (e) {
      setError(failure('Not added', e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="add-note" aria-label="Add a note" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label htmlFor="note-text">New note</label>
      <textarea id="note-text" rows={3} value={text} placeholder="What you learned, for you and the team" aria-describedby="note-hint"
        onChange={(e) => setText(e.target.value)} onKeyDown={noteKeys(() => void save())} />
      <p id="note-hint" className="sub">Ctrl+Enter saves. A note is not a touch: it is not in the tally and does not move the cadence.</p>
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" disabled={busy}>Add note</button>
    </form>
  );
}

function EditNote({ entry, onDone, onCancel }: { entry: Entry; onDone: (message: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(entry.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `note-edit-${entry.noteId}`;
  const save = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await client.patch('/api/notes/:id', { params: { id: entry.noteId! }, body: { text } });
      onDone('Note edited: the text it had is kept in its history.');
    } catch (e) {
      setError(failure('Not saved', e));
      setBusy(false);
    }
  };
  return (
    <form className="correct" aria-label="Edit this note" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label htmlFor={id}>Note</label>
      <textarea id={id} rows={3} value={text} autoFocus onChange={(e) => setText(e.target.value)} onKeyDown={noteKeys(() => void save(), onCancel)} />
      {error && <p role="alert" className="error">{error}</p>}
      <button type="submit" disabled={busy}>Save note</button>
      <button type="button" onClick={onCancel}>Cancel</button>
    </form>
  );
}

export function NoteEntry({ entry, zone, onChanged }: { entry: Entry; zone: string; onChanged: (message: string) => void }) {
  const [mode, setMode] = useState<'view' | 'edit' | 'delete'>('view');
  const [error, setError] = useState<string | null>(null);
  const when = formatTime(entry.at, zone);
  const remove = async () => {
    setError(null);
    try {
      await client.delete('/api/notes/:id', { params: { id: entry.noteId! } });
      onChanged('Note deleted: the timeline keeps who deleted it.');
    } catch (e) {
      setError(failure('Not deleted', e));
    }
  };
  return (
    <div className="note-entry">
      <time dateTime={new Date(entry.at).toISOString()}>{when}</time> <span className="note-by">Note by {entry.by}</span>
      {entry.editedAt != null && <span className="sub"> · edited {formatTime(entry.editedAt, zone)}</span>}
      {entry.canChange && mode === 'view' && <ChangeLinks change="Edit" noun="note" when={when} onChange={() => setMode('edit')} onDelete={() => setMode('delete')} />}
      {mode === 'edit' ? <EditNote entry={entry} onDone={(m) => { setMode('view'); onChanged(m); }} onCancel={() => setMode('view')} /> : <p className="note-body">{entry.note}</p>}
      {mode === 'delete' && (
        <ConfirmDelete noun="note" question="Delete this note? The timeline keeps who deleted it and what it said." onDelete={() => void remove()} onKeep={() => setMode('view')} />
      )}
      {error && <p role="alert" className="error">{error}</p>}
      <ChangeHistory label="Edits to this note" changes={(entry.edits ?? []).map((c) => ({ ...c, done: 'edited' }))} zone={zone} />
    </div>
  );
}
